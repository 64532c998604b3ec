"""The ``newsgraph`` command line: parser, output envelope and the commands.

Every command exits non-zero with a one-line reason on bad input; ``--debug`` shows the traceback.
Commands return an :class:`Outcome` so text for people and ``--json`` for scripts come from one place.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from pipelines.settings import Settings

if TYPE_CHECKING:
    from pipelines.store import CompactionReport

DESCRIPTION = """\
Turn German news into a Wikidata-linked RDF knowledge graph, one night at a time, and query it.

Run the nightly Dagster job in process (run, backfill) and see what a night did (status); run one
stage on your own files (clean, entities); query, validate and serve the published store (query,
validate, serve, tallies, compact); maintain the knowledge base (kb); measure (eval, bench)."""

EPILOG = """\
state:     NEWSGRAPH_HOME (default: .newsgraph in the current folder); every setting is a NEWSGRAPH_*
           variable, see README.md
input:     "-" reads standard input (clean, entities, query)
--json:    one JSON document on stdout, always of this shape:
           {"command": "clean", "ok": true, "summary": "one line for people",
            "result": <the command's data>, "errors": [{"input": "a.txt", "message": "..."}]}
progress:  bars on stderr, only on a terminal; --quiet turns them off
exit:      0 success, 1 failure (one-line reason on stderr), 2 usage error, 130 interrupted

Run "newsgraph COMMAND --help" for a command's options."""

STDIN = "-"


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


class InputError(CliError):
    """One input file refused: named in the message, listed in ``errors`` with ``--json``."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{_display(source)}: {reason}")
        self.source, self.reason = source, reason


@dataclass
class Outcome:
    """What a command did: ``text`` for people (``summary`` when None), ``result`` for ``--json``."""

    summary: str
    result: Any = None
    text: str | None = None
    errors: list[dict[str, str | None]] = field(default_factory=list)
    ok: bool | None = None  # None: ok when there are no errors
    footer: str | None = None  # a last line for stderr after the errors, in text mode

    @property
    def succeeded(self) -> bool:
        return not self.errors if self.ok is None else self.ok


def envelope(command: str, outcome: Outcome) -> dict[str, Any]:
    """The one shape of ``--json`` output, for every command that offers it."""
    return {
        "command": command,
        "ok": outcome.succeeded,
        "summary": outcome.summary,
        "result": outcome.result,
        "errors": outcome.errors,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and not getattr(args, "tool_missing", False):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    as_json = bool(getattr(args, "json", False))
    try:
        settings = Settings.from_env()
        with _progress(args):
            outcome = args.handler(args, settings)
        if not isinstance(outcome, Outcome):
            return int(outcome or 0)
        _print_outcome(args, outcome, as_json)
        return 0 if outcome.succeeded else 1
    except KeyboardInterrupt:
        print("newsgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()  # the reader (head, less) has gone: nothing left to say, and no traceback at exit
        return 1
    except Exception as exc:
        if args.debug:
            raise
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        if not isinstance(exc, CliError | ValueError | OSError | LookupError):
            message = f"{exc.__class__.__name__}: {message} (run with --debug for the traceback)"
        if as_json:
            failed = Outcome(summary=message, errors=[{"input": getattr(exc, "source", None), "message": message}])
            print(json.dumps(envelope(_command_name(args), failed), ensure_ascii=False, indent=2))
        print(f"newsgraph: {message}", file=sys.stderr)
        return 1


def console() -> NoReturn:
    """The installed ``newsgraph`` command: :func:`main`, then a quick way out.

    After a night the process holds a gigabyte of small objects, which the interpreter would free one
    by one on its way out (over a second at 1,000 articles) although the system takes the memory back
    at once. So when the command is done, the exit handlers run, the output is flushed and the process
    ends there. An exception still leaves the usual way, with its traceback.
    """
    import atexit
    import os

    code = main()
    atexit._run_exitfuncs()  # logging's shutdown, multiprocessing's and tempfile's clean-ups
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = code or 1
    sys.stderr.flush()
    os._exit(code)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test's captured stream)
        pass


def _print_outcome(args: argparse.Namespace, outcome: Outcome, as_json: bool) -> None:
    for error in outcome.errors:
        where = f"{_display(error['input'])}: " if error.get("input") else ""
        print(f"newsgraph: {where}{error['message']}", file=sys.stderr)
    if as_json:
        print(json.dumps(envelope(_command_name(args), outcome), ensure_ascii=False, indent=2))
        if not args.quiet:
            print(f"newsgraph: {outcome.summary}", file=sys.stderr)
    else:
        if outcome.footer:
            print(f"newsgraph: {outcome.footer}", file=sys.stderr)
        text = outcome.text if outcome.text is not None else outcome.summary
        if text:
            print(text)


def _command_name(args: argparse.Namespace) -> str:
    """``clean``, ``kb build``, ``eval ner``: the words that chose the command."""
    words = [args.command, getattr(args, "kb_command", None), getattr(args, "stage", None)]
    return " ".join(word for word in words if word)


@contextmanager
def _progress(args: argparse.Namespace) -> Iterator[None]:
    """Bars on stderr when it is a terminal and ``--quiet`` was not given.

    They are drawn on a duplicate of the terminal's descriptor: Dagster captures descriptor 2 into
    its compute logs while a step runs, and a bar written there would never be seen.
    """
    from pipelines import progress

    stream = _bar_stream(sys.stderr, quiet=args.quiet)
    if stream is None:
        with progress.shown(None):
            yield
        return
    try:
        import os

        terminal = open(os.dup(stream.fileno()), "w", buffering=1, encoding="utf-8")  # noqa: SIM115 (closed below)
    except (AttributeError, OSError, ValueError):  # no descriptor to duplicate: draw on the stream itself
        with progress.shown(stream):
            yield
        return
    with terminal, progress.shown(terminal):
        yield


def _bar_stream(stream: IO[str], *, quiet: bool) -> IO[str] | None:
    isatty = getattr(stream, "isatty", None)
    return stream if not quiet and callable(isatty) and isatty() else None


def _note(message: str, args: argparse.Namespace) -> None:
    """A line about what is happening, on stderr; none with ``--quiet``."""
    if not args.quiet:
        from pipelines import progress

        progress.write(f"newsgraph: {message}")


def _display(source: str | None) -> str:
    return "(standard input)" if source == STDIN else str(source)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsgraph")
    except PackageNotFoundError:
        from pipelines import __version__

        return __version__


# --- the parser -----------------------------------------------------------------------------


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions keep their line breaks; every option with a value shows its default."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (
            action.option_strings
            and "default" not in text
            and not action.required
            and action.default not in (None, False, argparse.SUPPRESS)
            and action.nargs != 0
        ):
            text += " (default: %(default)s)"
        return text


def _common_options(*, at_top: bool) -> argparse.ArgumentParser:
    """--debug and --quiet, accepted before and after the command's name."""
    common = argparse.ArgumentParser(add_help=False)
    default: Any = False if at_top else argparse.SUPPRESS
    common.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    common.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="no progress bars and no notes on stderr"
    )
    return common


def _json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help='print one JSON document {"command", "ok", "summary", "result", "errors"}'
    )


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgraph",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=_HelpFormatter,
        parents=[_common_options(at_top=True)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    common = _common_options(at_top=False)

    def command(
        group: Any, name: str, summary: str, details: str = "", *, json_output: bool = True
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = group.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + "." + (f"\n\n{details}" if details else ""),
            formatter_class=_HelpFormatter,
            parents=[common],
        )
        if json_output:
            _json_option(sub)
        return sub

    run = command(
        commands,
        "run",
        "materialize every asset for one day's partition",
        "Runs the nightly Dagster job in process, recorded in NEWSGRAPH_HOME's Dagster instance, and prints\n"
        "what the night collected, the Dagster run id and its page in the Dagster UI (make dev).",
    )
    run.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="partition date YYYY-MM-DD (default: the day that ended last in Europe/Berlin, as the 02:00 schedule)",
    )
    run.add_argument("--sources", type=Path, metavar="FILE", help="sources file (default: data/sources.yaml)")
    run.set_defaults(handler=_cmd_run)

    backfill = command(
        commands,
        "backfill",
        "run the nightly job for every day of a date range",
        "One line per night as it ends, then one summary: nights succeeded and failed, articles,\n"
        "triples published, and the Dagster UI page of every failed night. Each night is idempotent.",
    )
    backfill.add_argument("--from", dest="start", metavar="YYYY-MM-DD", required=True, help="first day YYYY-MM-DD")
    backfill.add_argument(
        "--to", dest="end", metavar="YYYY-MM-DD", required=True, help="last day YYYY-MM-DD (inclusive)"
    )
    backfill.add_argument("--sources", type=Path, metavar="FILE", help="sources file (default: data/sources.yaml)")
    backfill.add_argument(
        "--no-compact",
        dest="compact",
        action="store_false",
        help="leave the embedded store's files as the nights left them (default: compact them once at the end,"
        " as newsgraph compact)",
    )
    backfill.set_defaults(handler=_cmd_backfill)

    status = command(
        commands,
        "status",
        "what a night collected, what failed and why",
        "Reads the night's partition folder and the scraper's retry ledger; runs nothing.",
    )
    status.add_argument("--date", metavar="YYYY-MM-DD", help="partition date YYYY-MM-DD (default: the latest night)")
    status.set_defaults(handler=_cmd_status)

    clean = command(
        commands,
        "clean",
        "remove boilerplate from raw documents (text or HTML)",
        "Prints the clean text of each document; --json gives every document's record (title, blocks,\n"
        "removed, metadata) in a list, one item per input, whatever their number. Files ending in .html\n"
        "or .htm are read as HTML; standard input (-) is recognised by its content.",
    )
    clean.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a text or HTML file, or - for stdin")
    clean.add_argument(
        "--out", type=Path, metavar="DIR", help="write DIR/<input name>.json, - as stdin.json (default: print)"
    )
    clean.set_defaults(handler=_cmd_clean)

    entities = command(
        commands,
        "entities",
        "NER and entity linking of clean text files",
        "Prints one line per mention (offsets, type, Wikidata QID or NIL, confidence, text); --json\n"
        "gives a list with one item per input: {input, mentions: [...]}.",
    )
    entities.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a UTF-8 text file, or - for stdin")
    entities.add_argument(
        "--out", type=Path, metavar="DIR", help="write DIR/<input name>.json, - as stdin.json (default: print)"
    )
    entities.set_defaults(handler=_cmd_entities)

    query = command(
        commands,
        "query",
        "query the published store with SPARQL",
        "SELECT and ASK answers print as CSV, SPARQL 1.1 JSON results or a table; CONSTRUCT and\n"
        "DESCRIBE print N-Triples. Query output is the standard format itself, not the --json envelope.",
        json_output=False,
    )
    query.add_argument("query", help="a SPARQL query, @FILE.rq, or - (also @-) to read it from stdin")
    query.add_argument("--format", choices=("csv", "json", "table"), default="csv", help="answer format")
    query.set_defaults(handler=_cmd_query)

    serve = command(
        commands,
        "serve",
        "SPARQL endpoint and linked-data pages over the published store",
        "Serves /sparql, a page for every IRI, VoID at /.well-known/void and the dumps until Ctrl-C.",
        json_output=False,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on")
    serve.set_defaults(handler=_cmd_serve)

    validate = command(
        commands,
        "validate",
        "SHACL-validate a graph file or the published store",
        "Exit status 1 when the graph does not conform.",
    )
    validate.add_argument(
        "path", nargs="?", type=Path, help="TriG, N-Quads or Turtle file (default: the published store)"
    )
    validate.set_defaults(handler=_cmd_validate)

    tallies = command(
        commands,
        "tallies",
        "recompute every run's night tallies",
        "Publication keeps them current; run this once for a store published before they existed.",
    )
    tallies.set_defaults(handler=_cmd_tallies)

    compact = command(
        commands,
        "compact",
        "merge the embedded store's files so queries read fewer of them",
        "Each night's publication adds files that overlap the older ones; queries on a store of two\n"
        "bulk-loaded nights took ~1.5x as long as after compaction. Costs about 2 s per million triples;\n"
        "the weekly store_maintenance schedule runs it, or run it after a backfill. Not while a night\n"
        "publishes (the store has one writer); the web server reopens the compacted files by itself.",
    )
    compact.set_defaults(handler=_cmd_compact)

    kb = command(commands, "kb", "knowledge-base index: build, update, export", json_output=False)
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND", title="commands")
    kb_build = command(
        kb_commands,
        "build",
        "(re)build the local index of Wikidata items",
        "Reads the shipped sources, NEWSGRAPH_KB_SOURCES, every --source and the rows fetched into\n"
        "NEWSGRAPH_HOME/kb/ (dump rows, SPARQL extracts).",
    )
    kb_build.add_argument(
        "--source",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="extra JSONL or dump file, repeatable (default: none)",
    )
    kb_build.add_argument(
        "--wikidata-dump",
        type=Path,
        metavar="FILE",
        help="ingest Wikidata's JSON dump (latest-all.json.gz/.bz2) first (default: no dump)",
    )
    kb_build.add_argument(
        "--dump-out", type=Path, metavar="PATH", help="rows kept from the dump (default: NEWSGRAPH_HOME/kb/dump/)"
    )
    kb_build.add_argument(
        "--workers", type=int, metavar="N", default=0, help="dump worker processes (default: one per CPU)"
    )
    kb_build.add_argument("--resume", action="store_true", help="continue an interrupted dump ingest")
    kb_build.add_argument("--skip-bad-lines", action="store_true", help="report malformed dump lines, do not stop")
    kb_build.set_defaults(handler=_cmd_kb_build)
    kb_export = command(
        kb_commands, "export", "rebuild the shipped KB extract data/kb/wikidata-extract.jsonl.gz from ../shared/kb"
    )
    kb_export.add_argument("--shared", type=Path, metavar="DIR", help="the shared data folder (default: ../shared)")
    kb_export.add_argument("--out", type=Path, metavar="FILE", help="where to write (default: the shipped extract)")
    kb_export.set_defaults(handler=_cmd_kb_export)
    kb_update = command(
        kb_commands,
        "update",
        "fetch the named SPARQL extracts, then rebuild the index",
        "Asks Wikidata's query service (NEWSGRAPH_WIKIDATA_SPARQL) for each extract in data/kb/extracts/.",
    )
    kb_update.add_argument("names", nargs="*", help="extracts to fetch (default: all; see --list)")
    kb_update.add_argument("--list", action="store_true", help="list the extracts and exit")
    kb_update.add_argument(
        "--max-age-days", type=float, metavar="DAYS", default=7.0, help="reuse cached answers this fresh"
    )
    kb_update.add_argument(
        "--page-size", type=int, metavar="ROWS", default=0, help="rows per SPARQL request (default: per extract)"
    )
    kb_update.add_argument("--no-build", action="store_true", help="fetch only, do not rebuild the index")
    kb_update.set_defaults(handler=_cmd_kb_update)

    _add_tool_commands(commands, command)
    return parser


# --- run / backfill / status ----------------------------------------------------------------


def _cmd_run(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines.days import night_of, utc_now
    from pipelines.workspace import validate_partition

    partition = validate_partition(args.date) if args.date else night_of(utc_now())
    settings = _with_sources(settings, args.sources)
    night = _run_partition(settings, partition, args)
    summary = f"{_night_line(night)}; Dagster run {night['run_id']}: {night['run_url']}"
    text = "\n".join([*_night_lines(settings, night), f"  try:              {_query_hint()}"])
    return Outcome(summary=summary, result=night, text=text, errors=night["errors"], ok=night["succeeded"])


def _cmd_backfill(args: argparse.Namespace, settings: Settings) -> Outcome:
    from datetime import date, timedelta

    from pipelines import progress
    from pipelines.workspace import validate_partition

    first = date.fromisoformat(validate_partition(args.start))
    last = date.fromisoformat(validate_partition(args.end))
    if last < first:
        raise CliError(f"--to {args.end} is before --from {args.start}")
    settings = _with_sources(settings, args.sources)
    days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    nights = []
    for partition in progress.track(days, "backfill", unit="nights"):
        night = _run_partition(settings, partition, args)
        nights.append(night)
        _note(f"{_night_line(night)} (Dagster run {night['run_id']})", args)
    compaction = _compact_after_backfill(settings, nights, args) if args.compact else None
    return _backfill_outcome(settings, nights, compaction)


def _compact_after_backfill(
    settings: Settings, nights: list[dict[str, Any]], args: argparse.Namespace
) -> dict[str, Any] | None:
    """Many nights published one after another leave many overlapping files: merge them once at the end."""
    from pipelines import factory
    from pipelines.store import StoreError

    if settings.store_kind != "embedded" or not any(n["succeeded"] for n in nights):
        return None
    if not factory.store_exists(settings):
        return None
    try:
        return _compact_store(settings, args).counts()
    except StoreError as exc:  # the nights are published; a failed compaction loses nothing
        _note(f"the store was not compacted: {exc}", args)
        return {"error": str(exc)}


def _backfill_outcome(
    settings: Settings, nights: list[dict[str, Any]], compaction: dict[str, Any] | None = None
) -> Outcome:
    """One summary for all nights: counts, totals, where to look at each failed night, and the compaction."""
    failed = [n for n in nights if not n["succeeded"]]
    total = {
        "nights": len(nights),
        "succeeded": len(nights) - len(failed),
        "failed": len(failed),
        "failed_nights": [n["partition"] for n in failed],
        "articles": sum(n["articles"] for n in nights),
        "articles_collected": sum(n["articles_collected"] for n in nights),
        "triples_published": sum(n["triples_published"] for n in nights),
        "store_triples": _store_triples(settings),
        "compaction": compaction,
    }
    span = f"{nights[0]['partition']} to {nights[-1]['partition']}" if nights else "no nights"
    summary = (
        f"backfill {span}: {total['nights']} nights, {total['succeeded']} succeeded, {total['failed']} failed"
        + (f" ({', '.join(total['failed_nights'])})" if failed else "")
        + f"; {_plural(total['articles'], 'article')}, {total['triples_published']} triples published"
    )
    lines = [
        summary,
        f"  articles:         {total['articles']} clean of {total['articles_collected']} collected",
        f"  triples:          {total['triples_published']} published"
        + (f"; the store holds {total['store_triples']}" if total["store_triples"] is not None else "")
        + _compaction_note(compaction),
    ]
    lines += [f"  failed:           {n['partition']}  {n['run_url']}" for n in failed]
    lines.append(f"  Dagster runs:     {settings.dagster_url}runs (while `make dev` runs)")
    lines.append(f"  try:              {_query_hint()}")
    errors = [error for n in failed for error in n["errors"]]
    return Outcome(summary=summary, result={"nights": nights, "total": total}, text="\n".join(lines), errors=errors)


def _compaction_note(compaction: dict[str, Any] | None) -> str:
    if not compaction:
        return ""
    if "error" in compaction:
        return "; not compacted (run newsgraph compact)"
    return f" (compacted in {compaction['seconds']:.1f} s)"


def _cmd_status(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines.status import latest_partition, night_status, render_status
    from pipelines.workspace import validate_partition

    partition = validate_partition(args.date) if args.date else latest_partition(settings.partitions_dir)
    if partition is None:
        raise CliError(f"no night has run yet in {settings.home}: run 'newsgraph run' first")
    status = night_status(settings.partitions_dir, partition, state_dir=settings.state_dir)
    scrape = status["scrape"]
    summary = f"night {partition}: {scrape['documents']} documents from {scrape['fetches']} fetches" + (
        f", {len(scrape['failures'])} failed" if scrape["failures"] else ""
    )
    return Outcome(summary=summary, result=status, text=render_status(status))


def _with_sources(settings: Settings, sources: Path | None) -> Settings:
    """Settings with another sources file, checked before any run starts."""
    if sources is None:
        return settings
    from dataclasses import replace

    from pipelines.scraping import load_sources

    load_sources(sources.resolve())  # fail early, with the file's own error
    return replace(settings, sources_file=sources.resolve())


def _run_partition(settings: Settings, partition: str, args: argparse.Namespace) -> dict[str, Any]:
    """Materialize the nightly job for one partition in process, recorded in NEWSGRAPH_HOME's Dagster
    instance (so ``make dev`` shows the run), and describe what the night did."""
    import uuid

    from pipelines.defs import build_definitions
    from pipelines.instance import open_instance

    job = build_definitions(settings).resolve_job_def("nightly")
    run_id = str(uuid.uuid4())
    _note(f"running the nightly job for {partition} as Dagster run {run_id} (state in {settings.home})", args)
    with _step_bar(settings, run_id, partition, len(job.nodes)):
        result = job.execute_in_process(
            partition_key=partition,
            instance=open_instance(settings),
            raise_on_error=False,
            run_id=run_id,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    errors: list[dict[str, str | None]] = [
        {"input": partition, "message": f"step {event.step_key}: {_first_line(event.step_failure_data.error)}"}
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data is not None
    ]
    if not result.success and not errors:
        errors.append({"input": partition, "message": "the run failed (see the Dagster UI)"})
    triples = 0
    for materialization in result.asset_materializations_for_node("published_graph"):
        triples += int(getattr(materialization.metadata.get("triples"), "value", 0) or 0)
    return {
        "partition": partition,
        "succeeded": bool(result.success),
        "run_id": result.run_id,
        "run_url": f"{settings.dagster_url}runs/{result.run_id}",
        **_night_counts(settings, partition),
        "triples_published": triples,
        "errors": errors,
    }


def _first_line(error: Any) -> str:
    """The first line of what went wrong: the innermost cause, not Dagster's wrapper around it."""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    message = str(getattr(error, "message", error) or "").strip()
    return message.splitlines()[0] if message else "failed"


@contextmanager
def _step_bar(settings: Settings, run_id: str, partition: str, steps: int) -> Iterator[None]:
    """A bar of the run's finished steps, read from the Dagster instance while the run goes on."""
    import threading

    from pipelines import progress

    if not progress.active():
        yield
        return
    stop = threading.Event()

    def watch() -> None:
        import dagster as dg

        from pipelines.instance import open_instance

        kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
        shown: tuple[int, str] = (0, "")
        with progress.bar(f"night {partition}", total=steps, unit="steps") as bar, open_instance(settings) as instance:
            while not stop.wait(0.5):
                try:
                    records = instance.get_records_for_run(run_id, of_type=kinds).records
                except Exception:  # the run's storage is still being created, or is busy: try again
                    continue
                events = [(r.event_log_entry.step_key, r.event_log_entry.dagster_event_type) for r in records]
                done = [key for key, kind in events if kind != dg.DagsterEventType.STEP_START]
                running = [key for key, kind in events if kind == dg.DagsterEventType.STEP_START and key not in done]
                state = (len(done), str(running[-1]) if running else "")
                if state != shown:
                    bar.update(state[0] - bar.n)
                    bar.set_postfix_str(state[1], refresh=True)
                    shown = state

    watcher = threading.Thread(target=watch, name="newsgraph-steps", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(timeout=5)


def _night_counts(settings: Settings, partition: str) -> dict[str, Any]:
    from pipelines.stages import DOCUMENT_STAGES, NightFile
    from pipelines.workspace import PartitionWorkspace

    ws = PartitionWorkspace(settings.partitions_dir, partition)

    def count(name: str) -> int:
        return len(ws.rows(name))

    mentions = [m for row in ws.rows(NightFile.LINKED) for m in row["mentions"]]
    validation = ws.json_or(NightFile.VALIDATION, None)
    return {
        "articles_collected": count(NightFile.RAW),
        "articles": count(NightFile.CLEAN),
        "mentions": len(mentions),
        "linked_mentions": sum(1 for m in mentions if m["qid"]),
        "entities": len({m["qid"] for m in mentions if m["qid"]}),
        "failed_documents": sum(count(NightFile.failures(stage)) for stage in DOCUMENT_STAGES),
        "failures": str(ws.dir),
        "validation": None
        if validation is None
        else {"conforms": bool(validation["conforms"]), "violation_count": validation["violation_count"]},
        "store_triples": _store_triples(settings),
    }


def _store_triples(settings: Settings) -> int | None:
    from pipelines import factory

    if not factory.store_exists(settings):
        return None
    with factory.store(settings, read_only=True) as store:
        return int(store.triple_count())


def _night_lines(settings: Settings, night: dict[str, Any]) -> list[str]:
    lines = [f"night {night['partition']}: {'succeeded' if night['succeeded'] else 'FAILED'}"]
    lines.append(f"  articles:         {night['articles']} clean of {night['articles_collected']} collected")
    if night["mentions"]:
        lines.append(f"  mentions:         {night['mentions']} ({night['linked_mentions']} linked)")
        lines.append(f"  linked entities:  {night['entities']} distinct Wikidata items")
    failures = night["failed_documents"]
    lines.append(
        f"  failed documents: {failures}" + (f" (see {night['failures']}/failures-*.jsonl)" if failures else "")
    )
    if night["validation"] is not None:
        validation = night["validation"]
        verdict = (
            "conforms" if validation["conforms"] else f"{validation['violation_count']} violations (not published)"
        )
        lines.append(f"  SHACL validation: {verdict}")
    if night["store_triples"] is not None:
        lines.append(
            f"  store:            {settings.store_path} ({night['store_triples']} triples, "
            f"{night['triples_published']} published tonight)"
        )
    lines.append(f"  Dagster run:      {night['run_id']}")
    lines.append(f"  in the UI:        {night['run_url']} (while `make dev` runs)")
    return lines


def _night_line(night: dict[str, Any]) -> str:
    verdict = "succeeded" if night["succeeded"] else "FAILED"
    return (
        f"night {night['partition']} {verdict}: {_plural(night['articles'], 'article')}, "
        f"{night['triples_published']} triples published"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _query_hint() -> str:
    command = sys.argv[0] if sys.argv and sys.argv[0].endswith("newsgraph") else "newsgraph"
    return f"{command} query '{_example_query()}' --format table"


def _example_query() -> str:
    """The query editor's example (ontology/queries/web/editor-example.rq) on one line, for a shell."""
    from pipelines.namespaces import ONTOLOGY_DIR

    text = (ONTOLOGY_DIR / "queries" / "web" / "editor-example.rq").read_text(encoding="utf-8")
    return " ".join(" ".join(line.split()) for line in text.splitlines() if line.strip() and not line.startswith("#"))


# --- clean / entities -----------------------------------------------------------------------


MAX_INPUT_BYTES = 10 * 1024 * 1024  # the scraper's page cap: no page of the night is bigger


def _read_bytes(path: Path) -> bytes:
    """One input's bytes, from a file or (``-``) standard input, refused when empty or too large."""
    source = str(path)
    if source == STDIN:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(source, f"more than the limit of {MAX_INPUT_BYTES} bytes for one document")
    else:
        if path.is_dir():
            raise InputError(source, "is a directory, not a file")
        if not path.exists():
            raise InputError(source, "no such file")
        if not path.is_file():
            raise InputError(source, "not a regular file")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(source, f"{size} bytes, more than the limit of {MAX_INPUT_BYTES} bytes for one document")
        data = path.read_bytes()
    if not data.strip():
        raise InputError(source, "empty document")
    return data


def _read_text(path: Path) -> str:
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    if "\x00" in text:
        raise InputError(str(path), f"contains NUL bytes (offset {text.index(chr(0))}); not a text file")
    return text


def _check_stdin_once(paths: Sequence[Path]) -> None:
    if sum(1 for p in paths if str(p) == STDIN) > 1:
        raise CliError("- (standard input) can be read only once")


def _documents_outcome(
    args: argparse.Namespace,
    results: list[tuple[Path, dict[str, Any]]],
    errors: list[dict[str, str | None]],
    render: Callable[[dict[str, Any]], str],
    done: str,
) -> Outcome:
    """The same shape for one input or many: a list with one item per accepted input, in order."""
    total = len(args.paths)
    summary = f"{done} {len(results)} of {total} file(s)" + (f"; {len(errors)} refused" if errors else "")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        written = []
        for path, record in results:
            target = args.out / f"{'stdin' if str(path) == STDIN else path.name}.json"
            target.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            written.append({"input": str(path), "output": str(target)})
        text = "\n".join(item["output"] for item in written) if written else ""
        return Outcome(summary=summary, result=written, text=text, errors=errors, footer=_tally(errors, total))
    items = [{"input": str(path), **record} for path, record in results]
    parts = [
        (f"==> {_display(str(path))} <==\n" if total > 1 else "") + render(record).rstrip("\n")
        for path, record in results
    ]
    return Outcome(summary=summary, result=items, text="\n\n".join(parts), errors=errors, footer=_tally(errors, total))


def _tally(errors: list[dict[str, str | None]], total: int) -> str | None:
    return f"{len(errors)} of {total} file(s) refused" if errors and total > 1 else None


def _refused(exc: InputError) -> dict[str, str | None]:
    return {"input": exc.source, "message": exc.reason}


def _cmd_clean(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines import factory, progress
    from pipelines.cleanup import CleanupError, clean_document
    from pipelines.cleanup.budget import page_budget

    _check_stdin_once(args.paths)
    profiles = factory.profiles(settings)
    results: list[tuple[Path, dict[str, Any]]] = []
    errors: list[dict[str, str | None]] = []
    for path in progress.track(args.paths, "clean", unit="files"):
        try:
            if str(path) == STDIN:
                content, content_type = _read_bytes(path), None  # sniffed: HTML or text
            elif path.suffix.lower() in (".html", ".htm"):
                content, content_type = _read_bytes(path), "text/html"
            else:
                content, content_type = _read_text(path).encode("utf-8"), None
            with page_budget(settings.cleanup_budget_s):
                clean = clean_document(content, content_type, url=None, profiles=profiles)
        except CleanupError as exc:
            errors.append({"input": str(path), "message": str(exc)})
            continue
        except InputError as exc:
            errors.append(_refused(exc))
            continue
        results.append((path, clean.to_dict()))
    return _documents_outcome(args, results, errors, _clean_text, "cleaned")


def _clean_text(record: dict[str, Any]) -> str:
    return "\n\n".join(block["text"] for block in record["blocks"])


def _cmd_entities(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines import factory, progress
    from pipelines.ner import find_mentions

    _check_stdin_once(args.paths)
    texts: list[tuple[Path, str]] = []
    errors: list[dict[str, str | None]] = []
    for path in args.paths:
        try:
            texts.append((path, _read_text(path)))
        except InputError as exc:
            errors.append(_refused(exc))
    nlp = factory.ner_for(settings) if texts else None
    if nlp is not None:
        errors += [
            {"input": str(p), "message": f"{len(t)} characters, more than the NER model's limit of {nlp.max_length}"}
            for p, t in texts
            if len(t) > nlp.max_length
        ]
        texts = [(p, t) for p, t in texts if len(t) <= nlp.max_length]
    order = {str(p): i for i, p in enumerate(args.paths)}
    errors.sort(key=lambda e: order.get(str(e["input"]), 0))
    results = []
    if texts and nlp is not None:
        linker = factory.linker(settings)
        found = find_mentions(nlp, [text for _, text in texts])
        for (path, text), mentions in progress.track(
            zip(texts, found, strict=True), "entities", total=len(texts), unit="files"
        ):
            linked = linker.link(text, mentions)
            mention_rows = [
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
            results.append((path, {"mentions": mention_rows}))
    return _documents_outcome(args, results, errors, _mentions_text, "linked the mentions of")


def _mentions_text(record: dict[str, Any]) -> str:
    rows = [
        f"{m['start']:>6}-{m['end']:<6} {m['type']:<4} {m['qid'] or 'NIL':<11} {m['confidence']:.2f}  {m['text']}"
        for m in record["mentions"]
    ]
    return "\n".join(rows) if rows else "(no mentions)"


# --- query / serve / validate / tallies ------------------------------------------------------


def _query_text(argument: str) -> str:
    """The query itself, ``@FILE``, or ``-``/``@-`` for standard input."""
    if argument in (STDIN, f"@{STDIN}"):
        text = sys.stdin.read()
        if not text.strip():
            raise InputError(STDIN, "empty query")
        return text
    if argument.startswith("@"):
        return _read_text(Path(argument[1:]))
    return argument


def _cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from pipelines import factory
    from pipelines.queryformat import run_and_render
    from pipelines.store.guard import check_query

    text = _query_text(args.query)
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
    _note(f"serving {settings.store_kind} store at http://{args.host}:{args.port}/", args)
    serve(config, host=args.host, port=args.port)
    return 0


def _cmd_validate(args: argparse.Namespace, settings: Settings) -> Outcome:
    import tempfile

    from pipelines import factory
    from pipelines.graph.validation import validate_path

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
    text = f"{where}: {result.summary(20)}"
    return Outcome(
        summary=text.splitlines()[0],
        result={
            "path": where,
            "conforms": result.conforms,
            "violation_count": result.violation_count,
            "violations": result.violations,
            "per_graph": result.per_graph,
        },
        text=text,
        ok=result.conforms,
    )


def _cmd_tallies(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines import factory, progress
    from pipelines.store.tallies import refresh_all_tallies

    if not factory.store_exists(settings):
        raise CliError(f"no published store at {settings.store_path}: run 'newsgraph run' first")

    with progress.bar("tallies", unit="runs") as bar, factory.store(settings) as store:

        def advance(done: int, total: int, run: str) -> None:
            bar.total = total
            bar.update(done - bar.n)
            if not progress.active():
                _note(f"tallies of {run} ({done}/{total})", args)

        report = refresh_all_tallies(store, factory.namespaces(settings), progress=advance)
    counts = {"store": str(settings.store_path), **report.counts()}
    summary = f"tallies recomputed for {counts.get('tally_runs', 0)} run(s): " + ", ".join(
        f"{value} {key}" for key, value in report.counts().items() if key != "tally_runs"
    )
    return Outcome(summary=summary, result=counts)


def _compact_store(settings: Settings, args: argparse.Namespace) -> CompactionReport:
    """The published store compacted, said first: the merge shows no progress until it ends."""
    from pipelines import factory
    from pipelines.store.embedded import COMPACTION_COST

    if settings.store_kind == "embedded":
        _note(f"compacting the store's files (newsgraph compact): {settings.store_path}, {COMPACTION_COST}", args)
    with factory.store(settings) as store:
        return store.compact()


def _cmd_compact(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines import factory

    if not factory.store_exists(settings):
        raise CliError(f"no published store at {settings.store_path}: run 'newsgraph run' first")
    report = _compact_store(settings, args)
    where = settings.store_query_url if settings.store_kind == "remote" else str(settings.store_path)
    result = {"store": where, **report.counts(), "note": report.note}
    if report.note:
        return Outcome(summary=f"nothing compacted: {report.note}", result=result)
    summary = (
        f"store compacted in {report.seconds:.1f} s: {report.files_before} -> {report.files_after} files, "
        f"{report.bytes_before / 1e6:.1f} -> {report.bytes_after / 1e6:.1f} MB"
    )
    return Outcome(summary=summary, result=result)


# --- kb -------------------------------------------------------------------------------------


def _cmd_kb_build(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines import progress

    settings.kb_index_path.parent.mkdir(parents=True, exist_ok=True)
    for source in args.source:
        if not source.is_file():
            raise CliError(f"{source}: no such file")
    report: dict[str, Any] = {}
    summary = ""
    if args.wikidata_dump is not None:
        from pipelines.kb.dump import DumpOptions, ingest_dump
        from pipelines.kb.local import dump_rows_path

        if not args.wikidata_dump.is_file():
            raise CliError(f"{args.wikidata_dump}: no such file")
        options = DumpOptions(
            workers=args.workers, resume=args.resume, skip_bad_lines=args.skip_bad_lines, progress=progress.active()
        )
        out = args.dump_out or dump_rows_path(settings.kb_dir)
        report["dump"] = ingest_dump(args.wikidata_dump, out, options)
        _note(f"dump rows in {out}", args)
        summary = f"dump: {report['dump'].get('kept', 0)} items kept of {report['dump'].get('entities_read', 0)}; "
        if args.dump_out is not None:
            args.source.append(args.dump_out)
    report["index"] = _rebuild_index(settings, args.source)
    return Outcome(summary=summary + _index_summary(report["index"]), result=report)


def _index_summary(index: dict[str, Any]) -> str:
    return (
        f"index {index['path']}: {index.get('entities', 0)} entities, {index.get('names', 0)} names "
        f"from {len(index.get('sources', {}))} sources in {index.get('seconds', 0)} s"
    )


def _rebuild_index(settings: Settings, sources: Sequence[Path] = ()) -> dict[str, Any]:
    """Build the index from the defaults, NEWSGRAPH_KB_SOURCES, ``sources`` and the fetched KB rows."""
    from pipelines import factory
    from pipelines.kb import build_index
    from pipelines.kb.local import local_sources

    extra = list(dict.fromkeys([*settings.kb_extra_sources, *sources, *local_sources(settings.kb_dir)]))
    stats = build_index(settings.kb_index_path, extra_sources=extra, **factory.kb_shipped_sources(settings.kb_data_dir))
    return {**stats, "path": str(settings.kb_index_path)}


def _cmd_kb_update(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines.kb.extracts import load_extracts, update_extracts

    extracts = load_extracts()
    if args.list:
        rows = [{"name": e.name, "type": e.type, "title": e.title} for e in extracts.values()]
        return Outcome(
            summary=f"{len(rows)} extracts",
            result=rows,
            text="\n".join(f"{row['name']}\t{row['type']}\t{row['title']}" for row in rows),
        )
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
            log=lambda message: _note(message, args),
        )
    }
    summary = f"{len(chosen)} extract(s) fetched"
    if not args.no_build:
        report["index"] = _rebuild_index(settings)
        summary += "; " + _index_summary(report["index"])
    return Outcome(summary=summary, result=report)


def _cmd_kb_export(args: argparse.Namespace, settings: Settings) -> Outcome:
    from pipelines import factory
    from pipelines.kb.export import export_kb

    shared_kb = (args.shared or settings.shared_dir) / "kb"
    if not shared_kb.is_dir():
        raise CliError(f"{shared_kb}: the shared knowledge-base files are not there (pass --shared DIR)")
    target = args.out or factory.kb_shipped_sources(settings.kb_data_dir)["extract"]
    report = export_kb(shared_kb, target)
    summary = (
        f"{target}: {report.rows_written} rows written of {sum(report.rows_read.values())} read, "
        f"{sum(report.dropped.values())} dropped, {report.size_bytes} bytes"
    )
    return Outcome(summary=summary, result={"extract": str(target), **report.to_dict()})


# --- commands of newsgraph-tools ------------------------------------------------------------


def _add_tool_commands(commands: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """bench, eval, train-ner (and whatever else newsgraph-tools registers), or a line saying how to get them."""
    from pipelines.tool_commands import EXPECTED, installed_commands, missing_tool

    installed = installed_commands()
    for name in sorted(EXPECTED.keys() | installed.keys()):
        tool = installed.get(name)
        if tool is None:
            sub = command(commands, name, EXPECTED[name] + " (needs newsgraph-tools)", json_output=False)
            sub.add_argument("arguments", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
            sub.set_defaults(handler=missing_tool(name), tool_missing=True)
        else:
            sub = command(commands, name, tool.summary, tool.details)
            tool.add_arguments(sub)
            sub.set_defaults(handler=tool.run)


if __name__ == "__main__":
    # run the module under its own name, so commands from newsgraph-tools share its Outcome and CliError
    from pipelines.cli import console as cli_console

    cli_console()
