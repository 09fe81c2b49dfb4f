"""Full screens and modal screens of the app, one per module."""
