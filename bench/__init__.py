"""Benchmarks run by `make bench`; figures are recorded in bench/RESULTS.md."""
