"""`python -m bench`: run every benchmark (bench/run.py)."""

from bench.run import main

main()
