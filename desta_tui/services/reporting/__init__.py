"""The read side of reports: what each PDF prints, gathered from the services' read models."""
