"""Screens every section shares: the section frame, the start screen, help, keys, history."""
