"""Section 7, settings: who you are, RAG thresholds, backups and importing records."""
