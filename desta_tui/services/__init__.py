"""Services: the only code that writes; each write is one transaction with its audit rows."""
