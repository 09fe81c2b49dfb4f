"""Shared widgets every section reuses: the record table, filter bar, form fields, dialogs."""
