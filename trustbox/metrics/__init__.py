"""Counters an operator can scrape (Prometheus): nothing finer than the hour of a writer."""
