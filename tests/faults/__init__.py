"""Faults: a server killed in the middle of its work, in a child process of its own."""
