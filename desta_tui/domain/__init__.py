"""Pure-Python domain rules: money, UK dates, periods, RAG status, validation and their errors."""
