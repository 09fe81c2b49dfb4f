"""Shared widgets every section reuses: the record table, returns grid, filter bar, history and
dialogs."""
