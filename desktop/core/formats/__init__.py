"""Dataset formats: exports other tools read, imports from other tools."""
