"""Fixture projects under tests/fixtures/ are data (Flask apps imported by the
differential harness in subprocesses), not test modules: never collect them,
even when a fixture has a tests/ folder of its own."""

collect_ignore = ["fixtures"]
