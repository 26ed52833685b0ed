"""A simple coreference for speakers and participants: "he", "she" and "the minister" stand
for the latest compatible person named shortly before.

- A personal pronoun ("he", "she", "him", "her") refers to the latest person named in the
  same sentence before it or in the sentences just before, preferring one who was the
  subject of a clause ("Haryo received Tang ... He said": Haryo); "she" prefers a person
  written with a woman's form of address ("Ms.", "Daw", "Bu", "Ma.") and neither pronoun
  takes one written with the other's ("Mr.", "U", "Pak").
- A title phrase with "the" ("the minister", "the Thai premier", "the deputy prime
  minister") refers to the latest such person whose title words, written right before or
  after the name, hold the phrase's head word (and its modifiers: "the Myanmar minister"),
  in the sentences just before (for a meeting's participant, else anywhere before); no
  person with that title, no antecedent. "The leader" and "the official" stand for any
  person written with a title ("the Vietnamese leader": the latest Vietnamese one).
The fact that uses an antecedent takes the sentence naming it into its evidence, so the
evidence still holds every argument.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from desktop.core.facts.lexicon import lexicon
from desktop.core.facts.spans import EntityIndex

PRONOUNS = frozenset({"he", "she", "him", "her"})
REACH = 3  # sentences to look back
TITLE_WINDOW = 8  # tokens around a name where its title words are looked for
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
FEMALE = frozenset({"Ms", "Ms.", "Mrs", "Mrs.", "Madam", "Madame", "Mdm", "Mdm.", "Daw", "Bu"})
FEMALE |= {"Ma.", "Chumteav", "Puan", "Datin", "Hajah", "Dayang", "Dame", "Miss"}
MALE = frozenset({"Mr", "Mr.", "U", "Pak", "Haji", "Awang", "Sir"})
GENERIC = frozenset({"leader", "official"})  # "the Vietnamese leader": any titled person


def refers(tok: Token) -> bool:
    """Whether a token is a pronoun or a "the <title>" phrase head this module resolves."""
    return tok.lower_ in PRONOUNS or _title_head(tok) is not None


def _title_head(tok: Token) -> str | None:
    """The title word heading "the minister", "the Thai premier" (None for other phrases)."""
    heads = lexicon()["title_heads"] | {"premier", "pm", "councilor", "councillor"}
    if tok.lower_ not in heads or tok.ent_type_ == "PERSON":
        return None
    if not any(c.lower_ == "the" and c.dep_ == "det" for c in tok.lefts):
        return None
    if any(c.dep_ == "prep" for c in tok.rights):
        return None  # "the minister of X" says more than an anaphor
    return tok.lower_


def antecedent(tok: Token, ents: EntityIndex, far: bool = False) -> Span | None:
    """The person a pronoun or title phrase stands for, or None; with `far`, a title
    phrase may name a holder further back than the sentences just before."""
    doc = tok.doc
    sents = list(doc.sents)
    here = tok.sent
    k = next((n for n, s in enumerate(sents) if s.start == here.start), 0)
    first = sents[max(k - REACH, 0)].start
    before = [e for e in ents.ents if e.label_ == "PERSON" and e.end <= tok.i]
    people = [e for e in before if first <= e.start]
    head = _title_head(tok)
    if head is not None:
        # a title names its holder however far back ("the Prime Minister"), nearest first;
        # its modifiers ("the Myanmar minister") pick among holders of the same title
        heads = lexicon()["title_heads"] if head in GENERIC else {head}
        for pool in (people, before) if far else (people,):
            titled = [p for p in pool if heads & _title_words_near(p)]
            marks = {c.lower_ for c in tok.lefts if c.dep_ in {"compound", "amod", "nmod"}}
            marked = [p for p in titled if marks and marks <= _title_words_near(p)]
            if marked or titled:
                return (marked or titled)[-1]
        return None
    people = _of_gender(tok.lower_, people)
    if not people:
        return None
    subjects = [p for p in people if p.root.dep_ in SUBJECTS]
    return (subjects or people)[-1]


def _of_gender(pronoun: str, people: list[Span]) -> list[Span]:
    """The people a pronoun may stand for, by the forms of address written before them:
    "she" prefers a "Ms."/"Daw"/"Bu"/"Ma." and never takes a "Mr."/"U"/"Pak"; "he" never
    takes the former."""
    marks = [_address(p) for p in people]
    if pronoun in {"she", "her"}:
        women = [p for p, m in zip(people, marks, strict=True) if m == "female"]
        return women or [p for p, m in zip(people, marks, strict=True) if m != "male"]
    return [p for p, m in zip(people, marks, strict=True) if m != "female"]


def _address(person: Span) -> str | None:
    """'female' or 'male' when a form of address right before (or opening) the name says so."""
    doc = person.doc
    words = [t.text for t in doc[max(person.sent.start, person.start - 3) : person.start]]
    words += ["".join(t.text for t in person[:2])]  # "Ma." is two tokens
    if any(w in FEMALE for w in words):
        return "female"
    if any(w in MALE for w in words[-2:]):
        return "male"
    return None


def _title_words_near(person: Span) -> set[str]:
    """Lower-case words written in a window right before and after a name."""
    doc = person.doc
    lo = max(person.sent.start, person.start - TITLE_WINDOW)
    hi = min(person.sent.end, person.end + TITLE_WINDOW)
    words = {t.lower_ for t in doc[lo : person.start]}
    words |= {t.lower_.removesuffix("'s") for t in doc[lo : person.start]}
    after = doc[person.end : hi]
    if len(after) and after[0].text == ",":
        words |= {t.lower_ for t in after}
    if "prime" in words and "minister" in words:
        words |= {"premier", "pm"}
    return words
