"""Qt-free domain: models, store, ingest, NLP and formats."""
