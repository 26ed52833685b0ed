"""NLP: the spaCy pipeline (imported lazily), domain rules and extraction."""
