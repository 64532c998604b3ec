"""``python -m newsgraph_tools.bench --sizes 100,1000 --out bench/results.json`` (until the CLI has ``bench``)."""

import argparse
from pathlib import Path

from newsgraph_tools.bench.runner import bench_command, parse_sizes
from newsgraph_tools.checkout import CHECKOUT
from pipelines.settings import Settings

parser = argparse.ArgumentParser(prog="python -m newsgraph_tools.bench")
parser.add_argument("--sizes", default="100,1000,10000")
parser.add_argument("--out", type=Path, default=CHECKOUT / "bench" / "results.json")
parser.add_argument("--docs", type=Path, default=CHECKOUT / "docs" / "benchmarks.md")
parser.add_argument("--no-dagster", action="store_true")
parser.add_argument("--sparql-triples", type=int, default=1_000_000)
parser.add_argument("--backgrounds", default="10000,100000")
parser.add_argument("--merge", action="store_true", help="add to the results already in --out")
parser.add_argument("--graph-file", type=Path, help="night graph to copy for the store benchmarks")
parser.add_argument("--keep-dir", type=Path, help="keep each size's graph file here")
parser.add_argument("--rdflib-max", type=int, default=1000, help="compare rdflib with the store up to this size")
parser.add_argument("--staged-max", type=int, default=1000, help="time the stages one by one up to this size")
args = parser.parse_args()
raise SystemExit(
    bench_command(
        Settings.from_env(),
        parse_sizes(args.sizes) if args.sizes else (),
        args.out,
        args.docs,
        dagster=not args.no_dagster,
        sparql_triples=args.sparql_triples,
        backgrounds=parse_sizes(args.backgrounds, "--backgrounds") if args.backgrounds else (),
        merge=args.merge,
        graph_file=args.graph_file,
        keep_dir=args.keep_dir,
        rdflib_max_articles=args.rdflib_max,
        staged_max_articles=args.staged_max,
    )
)
