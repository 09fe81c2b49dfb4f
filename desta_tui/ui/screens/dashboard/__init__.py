"""Section 1, the dashboard: the consortium at a glance."""
