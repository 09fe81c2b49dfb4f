"""Section 4, performance: the monthly returns grid, targets and figures to date."""
