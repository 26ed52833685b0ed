"""Functions the training config (resources/training/ner.cfg) names from spaCy's registry.

Imported before the config is read, by the app's training and by
`python -m spacy train --code desktop/core/learning/spacy_registry.py`."""

from __future__ import annotations

import spacy
from spacy.lookups import Lookups


@spacy.registry.misc("factdesk.base_lookups.v1")
def base_lookups(model: str) -> Lookups:
    """The lookup tables (lexeme norms) of the base model's vocabulary."""
    nlp = spacy.load(
        model,
        exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"],
    )
    return nlp.vocab.lookups
