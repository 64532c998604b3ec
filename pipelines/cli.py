"""The ``newsgraph`` command line.

Every command exits non-zero with a one-line reason on bad input; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipelines.settings import Settings

EXAMPLE_QUERY = (
    "PREFIX schema: <http://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?entity (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?article) AS ?articles) "
    "WHERE { ?article a schema:NewsArticle ; schema:mentions ?entity . "
    'OPTIONAL { ?entity rdfs:label ?name FILTER(LANG(?name) = "de") } } '
    "GROUP BY ?entity ORDER BY DESC(?articles) LIMIT 10"
)


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        return int(args.handler(args, settings) or 0)
    except KeyboardInterrupt:
        print("newsgraph: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        if not isinstance(exc, CliError | ValueError | OSError | LookupError):
            message = f"{exc.__class__.__name__}: {message} (run with --debug for the traceback)"
        print(f"newsgraph: {message}", file=sys.stderr)
        return 1


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsgraph", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="materialize every asset for one day's partition")
    run.add_argument(
        "--date",
        help="partition date YYYY-MM-DD (default: the day that ended last in Europe/Berlin, as the 02:00 schedule)",
    )
    run.add_argument("--sources", type=Path, help="sources file (default: data/sources.yaml)")
    run.set_defaults(handler=_cmd_run)

    backfill = commands.add_parser("backfill", help="run the nightly job for every day of a date range")
    backfill.add_argument("--from", dest="start", required=True, help="first day YYYY-MM-DD")
    backfill.add_argument("--to", dest="end", required=True, help="last day YYYY-MM-DD (inclusive)")
    backfill.add_argument("--sources", type=Path, help="sources file (default: data/sources.yaml)")
    backfill.set_defaults(handler=_cmd_backfill)

    status = commands.add_parser("status", help="what a night collected, what failed and why")
    status.add_argument("--date", help="partition date YYYY-MM-DD (default: the latest night)")
    status.add_argument("--json", action="store_true", help="print JSON instead of text")
    status.set_defaults(handler=_cmd_status)

    clean = commands.add_parser("clean", help="remove boilerplate from raw documents (text or HTML)")
    clean.add_argument("paths", nargs="+", type=Path)
    clean.add_argument("--out", type=Path, help="write DIR/<input name>.json instead of printing")
    clean.set_defaults(handler=_cmd_clean)

    entities = commands.add_parser("entities", help="NER and entity linking of clean text files")
    entities.add_argument("paths", nargs="+", type=Path)
    entities.add_argument("--out", type=Path, help="write DIR/<input name>.json instead of printing")
    entities.set_defaults(handler=_cmd_entities)

    query = commands.add_parser("query", help="query the published store with SPARQL")
    query.add_argument("query", help="a SPARQL query, or @FILE.rq")
    query.add_argument("--format", choices=("csv", "json", "table"), default="csv")
    query.set_defaults(handler=_cmd_query)

    serve = commands.add_parser("serve", help="SPARQL endpoint and linked-data pages over the published store")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.set_defaults(handler=_cmd_serve)

    validate = commands.add_parser("validate", help="SHACL-validate a graph file (default: the published store)")
    validate.add_argument("path", nargs="?", type=Path, help="TriG, N-Quads or Turtle file")
    validate.set_defaults(handler=_cmd_validate)

    tallies = commands.add_parser(
        "tallies", help="recompute every run's night tallies (for a store published before they existed)"
    )
    tallies.set_defaults(handler=_cmd_tallies)

    kb = commands.add_parser("kb", help="knowledge-base index")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    kb_build = kb_commands.add_parser("build", help="(re)build the local index of Wikidata items")
    kb_build.add_argument("--source", action="append", type=Path, default=[], help="extra JSONL or dump file")
    kb_build.add_argument(
        "--wikidata-dump", type=Path, help="ingest Wikidata's JSON dump (latest-all.json.gz/.bz2) first"
    )
    kb_build.add_argument("--dump-out", type=Path, help="rows kept from the dump (default: NEWSGRAPH_HOME/kb/dump/)")
    kb_build.add_argument("--workers", type=int, default=0, help="dump worker processes (default: one per CPU)")
    kb_build.add_argument("--resume", action="store_true", help="continue an interrupted dump ingest")
    kb_build.add_argument("--skip-bad-lines", action="store_true", help="report malformed dump lines, do not stop")
    kb_build.set_defaults(handler=_cmd_kb_build)
    kb_export = kb_commands.add_parser(
        "export", help="rebuild the shipped KB extract data/kb/wikidata-extract.jsonl.gz from ../shared/kb"
    )
    kb_export.add_argument("--shared", type=Path, help="the shared data folder (default: ../shared)")
    kb_export.add_argument("--out", type=Path, help="where to write (default: the shipped extract)")
    kb_export.set_defaults(handler=_cmd_kb_export)
    kb_update = kb_commands.add_parser("update", help="fetch the named SPARQL extracts, then rebuild the index")
    kb_update.add_argument("names", nargs="*", help="extracts to fetch (default: all; see --list)")
    kb_update.add_argument("--list", action="store_true", help="list the extracts and exit")
    kb_update.add_argument("--max-age-days", type=float, default=7.0, help="reuse cached answers this fresh")
    kb_update.add_argument("--page-size", type=int, default=0, help="rows per SPARQL request (default: per extract)")
    kb_update.add_argument("--no-build", action="store_true", help="fetch only, do not rebuild the index")
    kb_update.set_defaults(handler=_cmd_kb_update)

    bench = commands.add_parser(
        "bench", help="throughput, scaling and memory; writes bench/results.json and docs/benchmarks.md"
    )
    bench.add_argument("--sizes", default="100,1000,10000", help="corpus sizes, comma-separated")
    bench.add_argument("--out", type=Path, default=Path("bench/results.json"))
    bench.add_argument("--docs", type=Path, default=Path("docs/benchmarks.md"))
    bench.add_argument("--no-dagster", action="store_true", help="skip the runs through Dagster")
    bench.add_argument(
        "--sections",
        default="nights",
        help="nights (the corpus sizes), kb (dump ingest, 1M-entity index, linking cost), or both: nights,kb",
    )
    bench.add_argument("--kb-lines", type=int, default=1_100_000, help="lines of the kb section's synthetic dump")
    bench.set_defaults(handler=_cmd_bench)

    evaluate = commands.add_parser("eval", help="score a stage against the gold files in ../shared")
    evaluate.add_argument("stage", choices=("cleanup", "ner", "linking", "quotes"))
    evaluate.add_argument("--shared", type=Path, help="the shared data folder (default: ../shared)")
    evaluate.set_defaults(handler=_cmd_eval)
    return parser


# --- run ------------------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.days import night_of, utc_now
    from pipelines.workspace import validate_partition

    partition = validate_partition(args.date) if args.date else night_of(utc_now())
    settings = _with_sources(settings, args.sources)
    success = _run_partition(settings, partition)
    print(_run_summary(settings, partition, success))
    return 0 if success else 1


def _cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import date, timedelta

    from pipelines.workspace import validate_partition

    first = date.fromisoformat(validate_partition(args.start))
    last = date.fromisoformat(validate_partition(args.end))
    if last < first:
        raise CliError(f"--to {args.end} is before --from {args.start}")
    settings = _with_sources(settings, args.sources)
    failed: list[str] = []
    day = first
    while day <= last:
        partition = day.isoformat()
        success = _run_partition(settings, partition)
        print(_run_summary(settings, partition, success))
        if not success:
            failed.append(partition)
        day += timedelta(days=1)
    if failed:
        print(f"newsgraph: {len(failed)} night(s) failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.status import latest_partition, night_status, render_status
    from pipelines.workspace import validate_partition

    partition = validate_partition(args.date) if args.date else latest_partition(settings.partitions_dir)
    if partition is None:
        raise CliError(f"no night has run yet in {settings.home}: run 'newsgraph run' first")
    status = night_status(settings.partitions_dir, partition, state_dir=settings.state_dir)
    print(json.dumps(status, ensure_ascii=False, indent=2) if args.json else render_status(status))
    return 0


def _with_sources(settings: Settings, sources: Path | None) -> Settings:
    """Settings with another sources file, checked before any run starts."""
    if sources is None:
        return settings
    from dataclasses import replace

    from pipelines.scraping import load_sources

    load_sources(sources.resolve())  # fail early, with the file's own error
    return replace(settings, sources_file=sources.resolve())


def _run_partition(settings: Settings, partition: str) -> bool:
    """Materialize the nightly job for one partition in process, recorded in NEWSGRAPH_HOME's Dagster instance."""
    from pipelines.defs import build_definitions
    from pipelines.instance import open_instance

    job = build_definitions(settings).resolve_job_def("nightly")
    print(f"newsgraph: running the nightly job for {partition} (state in {settings.home})", file=sys.stderr)
    result = job.execute_in_process(
        partition_key=partition,
        instance=open_instance(settings),
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
    )
    return result.success


def _run_summary(settings: Settings, partition: str, success: bool) -> str:
    from pipelines.workspace import PartitionWorkspace

    ws = PartitionWorkspace(settings.partitions_dir, partition)
    lines = [f"night {partition}: {'succeeded' if success else 'FAILED'}"]

    def count(name: str) -> int:
        return sum(1 for _ in ws.read_jsonl(name)) if ws.exists(name) else 0

    lines.append(f"  articles:         {count('clean.jsonl')} clean of {count('raw.jsonl')} collected")
    if ws.exists("linked.jsonl"):
        mentions = [m for row in ws.read_jsonl("linked.jsonl") for m in row["mentions"]]
        qids = {m["qid"] for m in mentions if m["qid"]}
        lines.append(f"  mentions:         {len(mentions)} ({sum(1 for m in mentions if m['qid'])} linked)")
        lines.append(f"  linked entities:  {len(qids)} distinct Wikidata items")
    failures = sum(count(f"failures-{s}.jsonl") for s in ("scrape", "cleanup", "ner", "linking", "graph"))
    lines.append(f"  failed documents: {failures}" + (f" (see {ws.dir}/failures-*.jsonl)" if failures else ""))
    if ws.exists("validation.json"):
        status = ws.read_json("validation.json")
        verdict = "conforms" if status["conforms"] else f"{status['violation_count']} violations (not published)"
        lines.append(f"  SHACL validation: {verdict}")
    from pipelines import factory

    if factory.store_exists(settings):
        with factory.store(settings, read_only=True) as store:
            lines.append(f"  store:            {settings.store_path} ({store.triple_count()} triples)")
    command = sys.argv[0] if sys.argv and sys.argv[0].endswith("newsgraph") else "newsgraph"
    lines.append(f"  try:              {command} query '{EXAMPLE_QUERY}' --format table")
    return "\n".join(lines)


# --- clean / entities -----------------------------------------------------------------------


MAX_INPUT_BYTES = 10 * 1024 * 1024  # the scraper's page cap: no page of the night is bigger


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise CliError(f"{path}: is a directory, not a file")
    if not path.exists():
        raise CliError(f"{path}: no such file")
    if not path.is_file():
        raise CliError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise CliError(f"{path}: {size} bytes, more than the limit of {MAX_INPUT_BYTES} bytes for one document")
    data = path.read_bytes()
    if not data.strip():
        raise CliError(f"{path}: empty document")
    return data


def _read_text(path: Path) -> str:
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    if "\x00" in text:
        raise CliError(f"{path}: contains NUL bytes (offset {text.index(chr(0))}); not a text file")
    return text


def _emit(results: list[tuple[Path, dict[str, Any]]], out: Path | None) -> None:
    if not results:
        return
    if out is None:
        payload: Any = results[0][1] if len(results) == 1 else {str(p): r for p, r in results}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    out.mkdir(parents=True, exist_ok=True)
    for path, result in results:
        target = out / f"{path.name}.json"
        target.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(target)


def _report_refused(refused: list[str], total: int) -> int:
    """Each refused file on its own line; exit status 1 if any was refused."""
    for message in refused:
        print(f"newsgraph: {message}", file=sys.stderr)
    if refused and total > 1:
        print(f"newsgraph: {len(refused)} of {total} file(s) refused", file=sys.stderr)
    return 1 if refused else 0


def _cmd_clean(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines import factory
    from pipelines.cleanup import CleanupError, clean_document
    from pipelines.cleanup.budget import page_budget

    profiles = factory.profiles(settings)
    results, refused = [], []
    for path in args.paths:
        try:
            html = path.suffix.lower() in (".html", ".htm")
            content = _read_bytes(path) if html else _read_text(path).encode("utf-8")
            with page_budget():
                clean = clean_document(content, "text/html" if html else None, url=None, profiles=profiles)
        except CleanupError as exc:
            refused.append(f"{path}: {exc}")
            continue
        except CliError as exc:
            refused.append(str(exc))
            continue
        results.append((path, clean.to_dict()))
    _emit(results, args.out)
    return _report_refused(refused, len(args.paths))


def _cmd_entities(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines import factory
    from pipelines.ner import find_mentions

    texts, refused = [], []
    for path in args.paths:
        try:
            texts.append((path, _read_text(path)))
        except CliError as exc:
            refused.append(str(exc))
    nlp = factory.ner_pipeline(settings.ner_model, settings.ner_workers) if texts else None
    if nlp is not None:
        too_long = [(p, t) for p, t in texts if len(t) > nlp.max_length]
        refused += [
            f"{p}: {len(t)} characters, more than the NER model's limit of {nlp.max_length}" for p, t in too_long
        ]
        texts = [(p, t) for p, t in texts if len(t) <= nlp.max_length]
    results = []
    if texts and nlp is not None:
        linker = factory.linker(settings)
        found = find_mentions(nlp, [text for _, text in texts])
        for (path, text), mentions in zip(texts, found, strict=True):
            linked = linker.link(text, mentions)
            results.append(
                (
                    path,
                    {
                        "mentions": [
                            {
                                "start": m.start,
                                "end": m.end,
                                "text": m.text,
                                "type": m.label,
                                "qid": m.qid,
                                "confidence": round(m.confidence, 4),
                            }
                            for m in linked
                        ]
                    },
                )
            )
    _emit(results, args.out)
    return _report_refused(refused, len(args.paths))


# --- query / validate / kb ------------------------------------------------------------------


def _cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines import factory
    from pipelines.queryformat import run_and_render
    from pipelines.store.guard import check_query

    text = args.query
    if text.startswith("@"):
        text = _read_text(Path(text[1:]))
    check_query(text, factory.query_policy(settings))  # before the engine: federation, nesting, length
    if not factory.store_exists(settings):
        raise CliError(f"no published store at {settings.store_path}: run 'newsgraph run' (or 'make run') first")
    with factory.store(settings, read_only=True) as store:
        sys.stdout.write(run_and_render(store, text, args.format))
    return 0


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines import factory
    from pipelines.web import serve

    config = factory.web_config(settings)
    print(f"newsgraph: serving {settings.store_kind} store at http://{args.host}:{args.port}/", file=sys.stderr)
    serve(config, host=args.host, port=args.port)
    return 0


def _cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    import tempfile

    from pipelines import factory
    from pipelines.graph.files import validate_path

    if args.path is not None:
        if not args.path.exists():
            raise CliError(f"{args.path}: no such file or directory")
        where, result = str(args.path), validate_path(args.path)
    else:
        if not factory.store_exists(settings):
            raise CliError(f"no published store at {settings.store_path}: pass a PATH or run 'newsgraph run' first")
        with tempfile.TemporaryDirectory() as tmp, factory.store(settings, read_only=True) as store:
            dump = Path(tmp) / "store.nq"
            store.dump(dump, "nquads")
            where, result = str(settings.store_path), validate_path(dump)
    print(f"{where}: {result.summary(20)}")
    return 0 if result.conforms else 1


def _cmd_tallies(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines import factory
    from pipelines.store.tallies import refresh_all_tallies

    if not factory.store_exists(settings):
        raise CliError(f"no published store at {settings.store_path}: run 'newsgraph run' first")

    def progress(done: int, total: int, run: str) -> None:
        print(f"newsgraph: tallies of {run} ({done}/{total})", file=sys.stderr, flush=True)

    with factory.store(settings) as store:
        report = refresh_all_tallies(store, factory.namespaces(settings), progress=progress)
    print(json.dumps({"store": str(settings.store_path), **report.counts()}, indent=2))
    return 0


def _cmd_kb_build(args: argparse.Namespace, settings: Settings) -> int:
    settings.kb_index_path.parent.mkdir(parents=True, exist_ok=True)
    for source in args.source:
        if not source.is_file():
            raise CliError(f"{source}: no such file")
    report: dict[str, Any] = {}
    if args.wikidata_dump is not None:
        from pipelines.kb.dump import DumpOptions, ingest_dump
        from pipelines.kb.local import dump_rows_path

        if not args.wikidata_dump.is_file():
            raise CliError(f"{args.wikidata_dump}: no such file")
        options = DumpOptions(
            workers=args.workers, resume=args.resume, skip_bad_lines=args.skip_bad_lines, progress=sys.stderr.isatty()
        )
        out = args.dump_out or dump_rows_path(settings.kb_dir)
        report["dump"] = ingest_dump(args.wikidata_dump, out, options)
        print(f"newsgraph: dump rows in {out}", file=sys.stderr)
        if args.dump_out is not None:
            args.source.append(args.dump_out)
    report["index"] = _rebuild_index(settings, args.source)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _rebuild_index(settings: Settings, sources: Sequence[Path] = ()) -> dict[str, Any]:
    """Build the index from the defaults, NEWSGRAPH_KB_SOURCES, ``sources`` and the fetched KB rows."""
    from pipelines.kb import build_index
    from pipelines.kb.local import local_sources

    extra = list(dict.fromkeys([*settings.kb_extra_sources, *sources, *local_sources(settings.kb_dir)]))
    stats = build_index(settings.kb_index_path, extra_sources=extra)
    return {"path": str(settings.kb_index_path), **stats}


def _cmd_kb_update(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.kb.extracts import load_extracts, update_extracts

    extracts = load_extracts()
    if args.list:
        for extract in extracts.values():
            print(f"{extract.name}\t{extract.type}\t{extract.title}")
        return 0
    unknown = [name for name in args.names if name not in extracts]
    if unknown:
        raise CliError(f"unknown extract {unknown[0]!r}; known: {', '.join(extracts)}")
    chosen = [extracts[name] for name in args.names] if args.names else list(extracts.values())
    report: dict[str, Any] = {
        "extracts": update_extracts(
            settings,
            chosen,
            max_age_s=args.max_age_days * 86400,
            page_size=args.page_size or None,
            log=lambda message: print(f"newsgraph: {message}", file=sys.stderr, flush=True),
        )
    }
    if not args.no_build:
        report["index"] = _rebuild_index(settings)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _cmd_kb_export(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.kb import DEFAULT_EXTRACT
    from pipelines.kb.export import export_kb

    shared_kb = (args.shared or settings.shared_dir) / "kb"
    if not shared_kb.is_dir():
        raise CliError(f"{shared_kb}: the shared knowledge-base files are not there (pass --shared DIR)")
    report = export_kb(shared_kb, args.out or DEFAULT_EXTRACT)
    print(json.dumps({"extract": str(args.out or DEFAULT_EXTRACT), **report.to_dict()}, ensure_ascii=False, indent=2))
    return 0


def _cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.bench import bench_command, parse_sizes

    sections = {part.strip() for part in args.sections.split(",") if part.strip()}
    if not sections or sections - {"nights", "kb"}:
        raise CliError(f"--sections {args.sections!r}: expected nights, kb or nights,kb")
    if "nights" in sections:
        bench_command(settings, parse_sizes(args.sizes), args.out, args.docs, dagster=not args.no_dagster)
    if "kb" in sections:
        from pipelines.bench.kb import kb_bench_command

        kb_bench_command(settings, args.out, args.docs, lines=args.kb_lines)
    return 0


# --- eval -----------------------------------------------------------------------------------


def _cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines.evaluation import run_evaluation

    shared = (args.shared or settings.shared_dir).resolve()
    if not shared.is_dir():
        raise CliError(f"{shared}: the shared gold data is not there (pass --shared DIR)")
    report = run_evaluation(args.stage, shared, settings)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
