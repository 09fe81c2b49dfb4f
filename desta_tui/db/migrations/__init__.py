"""Numbered, frozen schema migrations: each file `NNNN_name.py` has `up(migrator, database)`."""
