"""One module per group of clauses: each turns the facts of its apps into a line."""
