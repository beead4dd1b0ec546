"""The benchmark (`make bench`): load on loopback with wrk, written up in BENCHMARKS.md."""
