"""Section 5, support tickets: the list, one ticket, its forms and tickets from red figures."""
