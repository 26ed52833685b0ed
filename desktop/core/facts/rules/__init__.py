"""Fact rules, one module per fact type: `extract(doc, ents, ctx) -> Iterator[FactCandidate]`."""
