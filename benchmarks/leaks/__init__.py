"""The leak benchmark: simulated district inflows with leaks, scored (docs/leak-benchmark.md)."""
