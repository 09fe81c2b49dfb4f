"""Section 2, members: organisations, their contacts, memberships and compliance papers."""
