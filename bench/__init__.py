"""Benchmarks of the store, validation and API (see bench/README.md). Not part of the installed package."""
