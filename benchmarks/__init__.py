"""Benchmarks that need more than the product itself (a fake Bot API server, a reference peer)."""
