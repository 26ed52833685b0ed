"""Document ingest: decoding, readers for each file type, metadata and zones."""
