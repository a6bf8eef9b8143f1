"""Trust Box: the digital trust box for schools."""
