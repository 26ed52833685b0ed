"""Agreement of two annotation layers (desktop/core/agreement): figures worked out by hand
on small cases, κ against plain counting and α against the `krippendorff` library over
every token, two real project files compared, and `factdesk agreement` as a command."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from desktop.core.agreement import AgreementError, compare, open_layer
from desktop.core.agreement import token_units as tu
from desktop.core.agreement.layers import DocumentLayer, FactItem, Layer, Span
from desktop.core.agreement.spans import MISSING
from desktop.core.ingest.importer import ingest
from desktop.core.store import Store
from desktop.core.tokens import token_spans

# 12 tokens: Alpha Corp met Beta Town officials on Monday in Gamma City .
TEXT = "Alpha Corp met Beta Town officials on Monday in Gamma City ."
ALPHA_CORP, ALPHA, BETA_TOWN, BETA = (0, 10), (0, 5), (15, 24), (15, 19)
MONDAY, GAMMA_CITY = (38, 44), (48, 58)


def layer(name: str, spans, facts=(), text: str = TEXT, sha: str = "doc1") -> Layer:
    doc = DocumentLayer(sha, f"source-{sha}", text, tuple(sorted(spans)), tuple(facts))
    return Layer(name, {sha: doc})


def span(offsets: tuple[int, int], label: str) -> Span:
    return Span(*offsets, label)


def test_the_figures_of_one_document_worked_out_by_hand():
    a = layer("a", [span(ALPHA_CORP, "ORG"), span(BETA_TOWN, "GPE")])
    b = layer("b", [span(ALPHA_CORP, "ORG"), span(BETA, "PERSON"), span(GAMMA_CITY, "GPE")])
    g = compare(a, b)
    # Spans: A has 2, B has 3, one is the same (ORG Alpha Corp): P = 1/3, R = 1/2,
    # F1 = 2·1/(2+3) = 0.4. No other same-label pair overlaps (GPE Beta Town and GPE
    # Gamma City are apart), so overlap F1 is 0.4 too.
    assert g.overall.exact.precision == pytest.approx(1 / 3)
    assert g.overall.exact.recall == pytest.approx(1 / 2)
    assert g.overall.exact.f1 == pytest.approx(0.4)
    assert g.overall.overlap.f1 == pytest.approx(0.4)
    by = {f.label: f for f in g.labels}
    assert by["ORG"].exact.f1 == 1.0
    assert by["GPE"].exact.f1 == 0.0
    assert by["PERSON"].exact.f1 == 0.0 and by["PERSON"].exact.recall is None
    # Tokens (O=0, GPE=1, ORG=2, PERSON=3):
    #   A: ORG ORG O GPE GPE O O O O O O O
    #   B: ORG ORG O PER O   O O O O GPE GPE O
    # Alike on 8 of 12: p_o = 8/12. A has O 8, GPE 2, ORG 2; B has O 7, GPE 2, ORG 2, PER 1.
    # p_e = (8·7 + 2·2 + 2·2)/144 = 64/144; κ = (96 − 64)/(144 − 64) = 32/80 = 0.4.
    assert g.tokens == 12
    assert g.overall.kappa == pytest.approx(0.4)
    # α: 24 values; n_O = 15, n_GPE = 4, n_ORG = 4, n_PER = 1. Four tokens differ, each
    # adding 2 off-diagonal coincidences: D_o = 8/24. D_e = (24² − (225+16+16+1))/(24·23)
    # = 318/552. α = 1 − (8/24)/(318/552) = 1 − 184/318 = 67/159 ≈ 0.42138.
    assert g.alpha == pytest.approx(float(Fraction(67, 159)))
    (doc,) = g.per_document
    assert doc.kappa == pytest.approx(0.4) and doc.alpha == pytest.approx(67 / 159)
    # GPE against the rest: A has tokens 3,4; B has 9,10: both 0, A only 2, B only 2,
    # neither 8. p_o = 8/12, p_e = (2·2 + 10·10)/144 = 104/144, κ = (96−104)/40 = −0.2.
    assert by["GPE"].kappa == pytest.approx(-0.2)
    # No two spans share offsets but ORG: the rest are one-sided.
    assert g.confusion == {
        ("ORG", "ORG"): 1,
        ("GPE", MISSING): 1,
        (MISSING, "PERSON"): 1,
        (MISSING, "GPE"): 1,
    }


def test_a_boundary_disagreement_counts_for_overlap_and_not_for_exact():
    g = compare(layer("a", [span(ALPHA_CORP, "ORG")]), layer("b", [span(ALPHA, "ORG")]))
    assert g.overall.exact.f1 == 0.0
    assert g.overall.overlap.f1 == 1.0
    # Tokens: A codes 'Alpha' and 'Corp' ORG, B only 'Alpha'. p_o = 11/12;
    # p_e = (10·11 + 2·1)/144 = 112/144; κ = (132 − 112)/(144 − 112) = 20/32 = 0.625.
    assert g.overall.kappa == pytest.approx(0.625)
    # α: n_O = 21, n_ORG = 3 of 24; one token differs: D_o = 2/24;
    # D_e = (576 − 441 − 9)/552 = 126/552; α = 1 − (2/24)(552/126) = 1 − 46/126 = 40/63.
    assert g.alpha == pytest.approx(40 / 63)
    assert g.confusion == {("ORG", MISSING): 1, (MISSING, "ORG"): 1}


def test_same_offsets_with_another_label_are_a_confusion_and_f1_is_symmetric():
    a = layer("a", [span(ALPHA_CORP, "ORG"), span(BETA_TOWN, "GPE"), span(MONDAY, "DATE")])
    b = layer("b", [span(ALPHA_CORP, "ORG"), span(BETA_TOWN, "PERSON")])
    g = compare(a, b)
    assert g.confusion == {("ORG", "ORG"): 1, ("GPE", "PERSON"): 1, ("DATE", MISSING): 1}
    back = compare(b, a)
    # F1 = 2·1/(3+2) = 0.4 both ways; precision and recall change places.
    assert g.overall.exact.f1 == back.overall.exact.f1 == pytest.approx(0.4)
    assert g.overall.exact.precision == back.overall.exact.recall == pytest.approx(1 / 2)
    assert g.overall.kappa == pytest.approx(back.overall.kappa)
    assert g.alpha == pytest.approx(back.alpha)
    assert back.confusion == {("ORG", "ORG"): 1, ("PERSON", "GPE"): 1, (MISSING, "DATE"): 1}


def test_facts_agree_on_type_and_arguments():
    meeting = FactItem("MEETING", (("participant", 0, 10), ("place", 48, 58)))
    role_a = FactItem("ROLE", (("holder", 15, 24),))
    role_b = FactItem("ROLE", (("holder", 15, 19),))
    a = layer("a", [], [meeting, role_a])
    b = layer("b", [], [meeting, role_b])
    g = compare(a, b)
    # MEETING agrees (1 of 1 each side), ROLE does not; overall 2·1/(2+2) = 0.5.
    assert g.facts["MEETING"].f1 == 1.0
    assert g.facts["ROLE"].f1 == 0.0
    assert g.facts_overall.f1 == pytest.approx(0.5)


def test_figures_without_anything_to_agree_on_are_undefined():
    g = compare(layer("a", []), layer("b", []))
    assert g.overall.exact.f1 is None and g.overall.overlap.f1 is None
    assert g.overall.kappa is None and g.alpha is None  # every token O in both
    assert g.facts_overall.f1 is None


def test_the_longest_span_over_a_token_gives_its_label():
    tokens = token_spans(TEXT)
    codes = {"O": 0, "GPE": 1, "ORG": 2}
    nested = [Span(0, 24, "ORG"), Span(15, 24, "GPE")]  # 'Alpha Corp met Beta Town'
    assert tu.token_codes(tokens, nested, codes).tolist()[:6] == [2, 2, 2, 2, 2, 0]
    # a span cutting into a token labels the whole token ('pha Co' covers two)
    assert tu.token_codes(tokens, [Span(2, 7, "ORG")], codes).tolist()[:3] == [2, 2, 0]


def test_documents_only_in_one_layer_are_counted_and_left_out():
    a = layer("a", [span(ALPHA_CORP, "ORG")])
    a.documents["other"] = DocumentLayer("other", "only-a", "Quiet day.", ())
    b = layer("b", [span(ALPHA_CORP, "ORG")])
    g = compare(a, b)
    assert (g.documents, g.only_a, g.only_b) == (1, ["only-a"], [])
    with pytest.raises(AgreementError, match=r"b\.factdesk: no document in common"):
        compare(a, Layer("b.factdesk", {"x": DocumentLayer("x", "x", "Other.", ())}))


def _plain_kappa(a: list[int], b: list[int]) -> float | None:
    """κ by counting, with no arrays."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    chance = sum((a.count(k) / n) * (b.count(k) / n) for k in set(a) | set(b))
    return None if chance == 1 else (observed - chance) / (1 - chance)


words = st.lists(
    st.sampled_from(["Ana", "Bo", "Cai", "met", "in", ",", "Doral", "Port"]),
    min_size=1,
    max_size=40,
)
labels = st.sampled_from(["ORG", "GPE", "PERSON"])


@st.composite
def two_layers(draw):
    text = " ".join(draw(words))
    tokens = token_spans(text)

    def spans():
        out = set()
        for _ in range(draw(st.integers(0, 6))):
            i = draw(st.integers(0, len(tokens) - 1))
            j = draw(st.integers(i, min(i + 2, len(tokens) - 1)))
            out.add(Span(tokens[i][0], tokens[j][1], draw(labels)))
        return out

    return text, spans(), spans()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_layers())
def test_kappa_and_alpha_agree_with_counting_and_with_the_library(case):
    text, spans_a, spans_b = case
    g = compare(layer("a", spans_a, text=text), layer("b", spans_b, text=text))
    codes = {"O": 0, "GPE": 1, "ORG": 2, "PERSON": 3}
    tokens = token_spans(text)
    ca = tu.token_codes(tokens, sorted(spans_a), codes).tolist()
    cb = tu.token_codes(tokens, sorted(spans_b), codes).tolist()
    expected_kappa = _plain_kappa(ca, cb)
    if expected_kappa is None:
        assert g.overall.kappa is None
    else:
        assert g.overall.kappa == pytest.approx(expected_kappa)
    if len(set(ca) | set(cb)) < 2:
        assert g.alpha is None
    else:
        library = krippendorff.alpha(
            reliability_data=np.array([ca, cb]), level_of_measurement="nominal"
        )
        assert g.alpha == pytest.approx(library)
        assert g.per_document[0].alpha == pytest.approx(library)
        assert tu.alpha(np.array(ca), np.array(cb), 4) == pytest.approx(library)


# --- two real project files -------------------------------------------------------------

ARTICLES = {
    "ferry.txt": "Ferry line opens\n\nThe Osterly Ferry Company opened a line from Vellmar "
    "to Quenby Isle on Friday. Mayor Ida Renholm cut the ribbon.",
    "school.txt": "New school wing\n\nThe Brackwater Trust paid for a school wing in "
    "Vellmar. Headteacher Tomas Oyelaran thanked the Brackwater Trust.",
}


def _import(store: Store, folder) -> dict[str, tuple[int, str]]:
    list(ingest(store, [folder]))
    docs = {}
    for doc_id in store.documents.ids():
        record = store.documents.get(doc_id)
        docs[record.info.source] = (doc_id, record.text)
    return docs


def _add(store: Store, doc: tuple[int, str], words: str, label: str, **kw) -> int:
    doc_id, text = doc
    start = text.index(words)
    change = store.mentions.add(doc_id, start, start + len(words), label, **kw)
    return change.batch


def _event(doc: tuple[int, str], store: Store, reverse: bool = False) -> None:
    """The ferry line's opening as an EVENT, its arguments in either order."""
    doc_id, text = doc
    arguments = [
        ("organizer", text.index("Osterly"), text.index(" opened"), "Osterly Ferry Company"),
        ("place", text.index("Quenby"), text.index(" on Friday"), "Quenby Isle"),
    ]
    store.facts.create(doc_id, "EVENT", (0, len(text)), arguments[::-1] if reverse else arguments)


@pytest.fixture
def two_projects(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "weather.txt").write_text("Fog again\n\nFog closed the harbour.", encoding="utf-8")
    paths = tmp_path / "a.factdesk", tmp_path / "b.factdesk"
    with Store.open(paths[0]) as a:
        docs = _import(a, articles)
        _add(a, docs["ferry"], "Osterly Ferry Company", "ORG")
        _add(a, docs["ferry"], "Vellmar", "GPE")
        _add(a, docs["ferry"], "Ida Renholm", "PERSON")
        _add(a, docs["school"], "Brackwater Trust", "ORG")
        # a model's proposal left proposed: does not count by default
        _add(a, docs["school"], "Tomas Oyelaran", "PERSON", origin="model", status="proposed")
        _event(docs["ferry"], a)
    with Store.open(paths[1]) as b:
        _import(b, extra)  # imported first: ids differ between the projects
        docs = _import(b, articles)
        _add(b, docs["ferry"], "Osterly Ferry Company", "ORG")
        _add(b, docs["ferry"], "Vellmar", "ORG")  # same span, another label
        # 'Mayor Ida Renholm' instead of 'Ida Renholm': overlaps, not exact
        _add(b, docs["ferry"], "Mayor Ida Renholm", "PERSON")
        _add(b, docs["school"], "Brackwater Trust", "ORG")
        _add(b, docs["school"], "Tomas Oyelaran", "PERSON")
        # an analyst's span the analyst then rejected: never counts
        doc_id, text = docs["school"]
        start = text.index("school wing")
        b.mentions.add(doc_id, start, start + 11, "FAC")
        rejected = max(m.id for m in b.mentions.for_document(doc_id))
        b.mentions.set_status(rejected, "rejected")
        _event(docs["ferry"], b, reverse=True)
    return paths


def test_two_project_files_are_compared_on_the_documents_they_share(two_projects):
    a_path, b_path = two_projects
    a, b = open_layer(a_path), open_layer(b_path)
    g = compare(a, b)
    assert (g.documents, g.only_a, g.only_b) == (2, [], ["weather"])
    # A: ORG Osterly, GPE Vellmar, PERSON Ida Renholm, ORG Brackwater (4; the proposal
    # does not count). B: ORG Osterly, ORG Vellmar, PERSON Mayor Ida Renholm,
    # ORG Brackwater, PERSON Tomas (5; the rejected FAC does not count).
    # Exact: Osterly and Brackwater: F1 = 2·2/(4+5) = 4/9. Overlap adds Ida Renholm:
    # A matched 3 of 4, B matched 3 of 5: F1 = 2·(3/5)(3/4)/(3/5+3/4) = 2/3.
    assert (g.overall.exact.a, g.overall.exact.b) == (4, 5)
    assert g.overall.exact.f1 == pytest.approx(4 / 9)
    assert g.overall.overlap.f1 == pytest.approx(2 / 3)
    assert g.confusion[("GPE", "ORG")] == 1
    assert g.confusion[("ORG", "ORG")] == 2
    assert "FAC" not in {f.label for f in g.labels}
    assert g.facts["EVENT"].f1 == 1.0  # the same arguments, written in another order
    # Counting proposals too brings Tomas Oyelaran into A: one more exact match.
    wide = compare(open_layer(a_path, statuses=("accepted", "proposed")), b)
    assert wide.overall.exact.a == 5 and wide.overall.exact.f1 == pytest.approx(6 / 10)


def test_a_file_that_is_not_a_project_is_one_line(tmp_path, two_projects, capsys):
    notes = tmp_path / "notes.factdesk"
    notes.write_text("not a database", encoding="utf-8")
    with pytest.raises(AgreementError, match=r"notes\.factdesk: not a Factdesk project"):
        open_layer(notes)
    assert main(["agreement", "--project", str(two_projects[0]), "--with", str(notes)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"factdesk: error: {notes}: not a Factdesk project (not an SQLite database)"]
    missing = tmp_path / "gone.factdesk"
    assert main(["agreement", "--project", str(missing), "--with", str(notes)]) == 2
    assert "gone.factdesk: no such project" in capsys.readouterr().err
    assert not missing.exists()
    empty = tmp_path / "empty.factdesk"
    Store.open(empty).close()
    assert main(["agreement", "--project", str(two_projects[0]), "--with", str(empty)]) == 2
    assert "empty.factdesk: no document in common" in capsys.readouterr().err


def test_the_command_prints_the_figures_as_json(two_projects):
    a_path, b_path = two_projects
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.cli",
            "agreement",
            "-p",
            str(a_path),
            "--with",
            str(b_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["documents"] == 2 and out["only_in_b"] == ["weather"]
    assert out["overall"]["exact_f1"] == pytest.approx(4 / 9)
    assert {(c["a"], c["b"]): c["count"] for c in out["confusion"]}[("GPE", "ORG")] == 1
    assert len(out["documents_detail"]) == 2


def test_the_command_says_so_when_nothing_counts(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text(ARTICLES["ferry.txt"], encoding="utf-8")
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.factdesk"
        with Store.open(path) as store:
            docs = _import(store, folder)
            _add(store, docs["ferry"], "Vellmar", "GPE", origin="model", status="proposed")
        paths.append(str(path))
    assert main(["agreement", "-p", paths[0], "--with", paths[1]]) == 0
    out, err = capsys.readouterr()
    assert "neither project has a span or fact that counts" in err
    assert main(["agreement", "-p", paths[0], "--with", paths[1], "--status", "proposed"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "GPE" in out


def test_a_current_project_is_read_without_a_write_and_an_old_one_is_upgraded(
    tmp_path, two_projects
):
    import hashlib
    import sqlite3

    from desktop.core.store import db

    a_path, _b = two_projects
    before = a_path.read_bytes()
    assert len(open_layer(a_path).documents) == 2
    assert a_path.read_bytes() == before

    old = tmp_path / "old.factdesk"
    engine = db.create_engine(old)
    db.upgrade(engine, "0001")
    engine.dispose()
    text = ARTICLES["ferry.txt"]
    raw = sqlite3.connect(old)
    with raw:
        raw.execute(
            "INSERT INTO document (sha256, source, language, text, created_at)"
            " VALUES (?, 'ferry', 'en', ?, '2026-01-01 00:00:00')",
            (hashlib.sha256(text.encode()).hexdigest(), text),
        )
    raw.close()
    layer = open_layer(old)
    assert [d.source for d in layer.documents.values()] == ["ferry"]
    assert compare(open_layer(a_path), layer).documents == 1  # the same text, so matched
    with Store.open(old, create=False) as store:
        assert store.schema_revision() == db.head_revision()
