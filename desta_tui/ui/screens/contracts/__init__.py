"""Section 3, contracts: the list, the pipeline, one contract and its forms."""
