"""Benchmarks for the budgets in DESIGN.md: each prints a figure and its ratio to a baseline."""
