"""The benchmark: throughput, scaling and memory of a night, measured side by side (``newsgraph bench``)."""

from newsgraph_tools.bench.runner import BenchError, BenchOptions, bench_command, parse_sizes, run_benchmark

__all__ = ["BenchError", "BenchOptions", "bench_command", "parse_sizes", "run_benchmark"]
