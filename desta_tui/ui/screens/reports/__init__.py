"""Section 6, reports: the meeting pack."""
