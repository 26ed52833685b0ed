"""Agreement of more than two layers and of layers read from export files: α over three
layers worked out by hand and against the `krippendorff` library (with a missing layer),
a project compared with its own real exports (Prodigy JSONL; CoNLL, whose text is
re-spaced), the CSV of the figures and `factdesk agreement --with B --with C --csv`."""

from __future__ import annotations

import csv
import json
from fractions import Fraction

import krippendorff
import numpy as np
import pytest

from desktop.cli import main
from desktop.core.agreement import AgreementError, open_layer
from desktop.core.agreement import token_units as tu
from desktop.core.agreement.files import guess_format, open_any, read_export
from desktop.core.agreement.layers import DocumentLayer, FactItem, Layer, Span
from desktop.core.agreement.many import compare_many, compare_steps, steps_of
from desktop.core.agreement.matching import align
from desktop.core.agreement.report import CSV_COLUMNS, panel_text, write_csv
from desktop.core.formats.run import run_export
from desktop.core.formats.selection import Selection
from desktop.core.ingest.importer import ingest
from desktop.core.store import Store
from desktop.core.tokens import token_spans

TEXT = "Alpha met Beta ."  # tokens: Alpha (0, 5), met, Beta (10, 14), .


def one(name: str, spans, text: str = TEXT, sha: str = "d1") -> Layer:
    return Layer(name, {sha: DocumentLayer(sha, sha, text, tuple(sorted(spans)))})


def test_alpha_of_three_layers_worked_out_by_hand_and_by_the_library():
    a = one("a", [Span(0, 5, "ORG")])
    b = one("b", [Span(0, 5, "ORG"), Span(10, 14, "GPE")])
    c = one("c", [Span(0, 5, "PERSON")])
    panel = compare_many([a, b, c])
    # Units (tokens) × 3 coders: Alpha ORG ORG PERSON; met O O O; Beta O GPE O; . O O O.
    # Each pair in a unit of 3 weighs 1/2: o(O,O) = 3 + 1 + 3 = 7, o(O,GPE) = o(GPE,O) = 1,
    # o(ORG,ORG) = 1, o(ORG,PER) = o(PER,ORG) = 1. n = 12; n_O 8, n_GPE 1, n_ORG 2, n_PER 1.
    # Off-diagonal 4; Σ n_c·n_k (c≠k) = 144 − (64 + 1 + 4 + 1) = 74.
    # α = 1 − (n − 1)·4/74 = 1 − 44/74 = 15/37.
    assert panel.alpha == pytest.approx(float(Fraction(15, 37)))
    assert panel.tokens == 4 and [d.layers for d in panel.documents] == [3]
    # ORG against the rest: Alpha is ORG, ORG, not; the rest not, not, not.
    # o(ORG,ORG) = 1, o(ORG,¬) = o(¬,ORG) = 1, o(¬,¬) = 1 + 3·3 = 10; n_ORG 2, n_¬ 10.
    # α = 1 − 11·2/(144 − 4 − 100) = 1 − 22/40 = 9/20.
    assert panel.label_alpha["ORG"] == pytest.approx(0.45)
    # three pairs, each the two-layer figures
    assert [(g.a, g.b) for g in panel.pairs] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert panel.pairs[0].overall.exact.f1 == pytest.approx(2 / 3)  # 1 of A's 1, 1 of B's 2
    library = krippendorff.alpha(
        reliability_data=[[1, 0, 0, 0], [1, 0, 2, 0], [3, 0, 0, 0]],
        level_of_measurement="nominal",
    )
    assert panel.alpha == pytest.approx(library)
    assert panel.label_alpha["ORG"] == pytest.approx(
        krippendorff.alpha(
            reliability_data=[[1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]],
            level_of_measurement="nominal",
        )
    )


def test_the_steps_of_three_layers_and_each_pairs_alpha_per_label():
    a = one("a", [Span(0, 5, "ORG")])
    b = one("b", [Span(0, 5, "ORG"), Span(10, 14, "GPE")])
    c = one("c", [Span(0, 5, "PERSON")])
    steps = list(compare_steps([a, b, c]))
    assert steps[:-1] == [(1, 4), (2, 4), (3, 4), (4, 4)] and steps_of(3) == 4
    panel = steps[-1]
    assert panel.alpha == compare_many([a, b, c]).alpha
    a_c = panel.pairs[1]
    org = next(f for f in a_c.labels if f.label == "ORG")
    # a–c, ORG against the rest: Alpha is ORG in a only; o(ORG,¬) = o(¬,ORG) = 1,
    # o(¬,¬) = 6; n = 8, n_ORG 1, n_¬ 7: α = 1 − 7·2/(64 − 1 − 49) = 0
    assert org.alpha == pytest.approx(0.0)
    assert org.alpha == pytest.approx(
        krippendorff.alpha(
            reliability_data=[[1, 0, 0, 0], [0, 0, 0, 0]], level_of_measurement="nominal"
        )
    )
    gpe = next(f for f in panel.pairs[0].labels if f.label == "GPE")  # a–b: Beta only in b
    assert gpe.alpha == pytest.approx(
        krippendorff.alpha(
            reliability_data=[[0, 0, 0, 0], [0, 0, 1, 0]], level_of_measurement="nominal"
        )
    )
    assert a_c.overall.alpha == a_c.alpha


def test_a_document_one_layer_lacks_is_a_missing_value_as_in_the_library():
    other = "Gamma left Delta ."  # Gamma (0, 5), left, Delta (11, 16), .
    a = one("a", [Span(0, 5, "ORG")])
    a.documents["d2"] = DocumentLayer("d2", "d2", other, (Span(11, 16, "GPE"),))
    b = one("b", [Span(0, 5, "PERSON")])
    b.documents["d2"] = DocumentLayer("d2", "d2", other, (Span(11, 16, "GPE"), Span(0, 5, "ORG")))
    c = one("c", [Span(0, 5, "ORG")])  # c has no d2
    panel = compare_many([a, b, c])
    nan = np.nan
    library = krippendorff.alpha(
        reliability_data=[
            [1, 0, 0, 0, 0, 0, 2, 0],
            [3, 0, 0, 0, 1, 0, 2, 0],
            [1, 0, 0, 0, nan, nan, nan, nan],
        ],
        level_of_measurement="nominal",
    )  # codes: O 0, ORG 1, GPE 2, PERSON 3
    assert panel.alpha == pytest.approx(library)
    assert sorted(d.layers for d in panel.documents) == [2, 3]
    assert panel.tokens == 8


def test_alpha_of_pooled_counts_is_alpha_over_every_token():
    rng = np.random.default_rng(7)
    counts = tu.value_counts([rng.integers(0, 4, 300) for _ in range(4)], 4)
    counts[::7] = 0
    counts[::7, 1] = 1  # some tokens only one layer codes: not pairable
    data = np.full((4, 300), np.nan)
    for t, row in enumerate(counts):
        values = [v for v, n in enumerate(row) for _ in range(n)]
        data[: len(values), t] = values
    assert tu.alpha_of_counts(counts) == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )


def test_fewer_than_two_layers_is_refused():
    with pytest.raises(AgreementError, match="at least two layers"):
        compare_many([one("a", [])])


ARTICLES = {
    "harbour.txt": "Harbour crane arrives\n\nThe Lisvane Port Authority took delivery of a "
    "crane in Corrow on Tuesday. Engineer Mara Quellin said it lifts 90 tonnes.",
    "library.txt": "Library reopens\n\nThe Tennick Foundation reopened the old library in "
    "Abermoor. Librarian Osian Pell welcomed the first readers.",
}
SPANS = [
    ("harbour", "Lisvane Port Authority", "ORG"),
    ("harbour", "Corrow", "GPE"),
    ("harbour", "Mara Quellin", "PERSON"),
    ("library", "Tennick Foundation", "ORG"),
    ("library", "Abermoor", "GPE"),
]


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path / "ours.factdesk"
    with Store.open(path) as store:
        list(ingest(store, [folder]))
        docs = {}
        for doc_id in store.documents.ids():
            record = store.documents.get(doc_id)
            docs[record.info.source] = (doc_id, record.text)
        for source, words, label in SPANS:
            doc_id, text = docs[source]
            start = text.index(words)
            store.mentions.add(doc_id, start, start + len(words), label)
    return path


def _export(path, fmt, out):
    with Store.open(path, create=False) as store:
        report = run_export(store, fmt, out, Selection())
    assert report.empty is None
    return out


@pytest.mark.parametrize(
    ("fmt", "name", "reader"), [("jsonl", "x.jsonl", "prodigy"), ("conll", "x.conll", "conll")]
)
def test_a_project_agrees_fully_with_its_own_real_export(project, tmp_path, fmt, name, reader):
    out = _export(project, fmt, tmp_path / name)
    assert guess_format(out) == reader
    theirs = open_any(out)
    ours = open_layer(project)
    g = compare_many([ours, theirs]).pairs[0]
    assert g.documents == 2 and not g.only_a and not g.only_b
    assert (g.overall.exact.a, g.overall.exact.b) == (5, 5)
    assert g.overall.exact.f1 == 1.0 and g.overall.kappa == pytest.approx(1.0)
    if reader == "conll":  # tokens joined by spaces: matched by its characters, not its sha
        assert not set(theirs.documents) & set(ours.documents)
        assert set(align(ours, theirs).documents) == set(ours.documents)


def test_an_edited_export_shows_the_colleagues_changes(project, tmp_path):
    out = _export(project, "jsonl", tmp_path / "x.jsonl")
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for record in records:
        for s in record["spans"]:
            if s["label"] == "GPE" and record["text"][s["start"] : s["end"]] == "Corrow":
                s["label"] = "LOC"  # the colleague's label for the town
    edited = tmp_path / "colleague.jsonl"
    edited.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    g = compare_many([open_layer(project), read_export(edited, "prodigy")]).pairs[0]
    assert g.overall.exact.a_matched == 4
    assert g.confusion[("GPE", "LOC")] == 1


def test_guessing_refuses_a_file_that_says_nothing(tmp_path):
    odd = tmp_path / "notes.md"
    odd.write_text("# notes\n", encoding="utf-8")
    with pytest.raises(AgreementError, match="format cannot be told"):
        guess_format(odd)


def test_the_csv_holds_every_section_with_the_figures(tmp_path):
    a = one("a", [Span(0, 5, "ORG"), Span(10, 14, "GPE")])
    b = one("b", [Span(0, 5, "ORG"), Span(10, 14, "ORG")])
    a.documents["d1"] = DocumentLayer(
        "d1", "d1", TEXT, a.documents["d1"].spans, (FactItem("MEETING", (("place", 10, 14),)),)
    )
    out = tmp_path / "figures.csv"
    rows = write_csv(compare_many([a, b]), out)
    with out.open(encoding="utf-8", newline="") as fh:
        read = list(csv.DictReader(fh))
    assert len(read) == rows and tuple(read[0]) == CSV_COLUMNS
    by = {(r["section"], r["item"]): r for r in read}
    assert by[("label", "ORG")]["exact_f1"] == str(round(2 / 3, 6))  # 1 of 1 and 1 of 2
    assert by[("overall", "all")]["exact_f1"] == "0.5"
    assert by[("confusion", "GPE -> ORG")]["count"] == "1"
    assert by[("facts", "all")]["spans_a"] == "1" and by[("facts", "all")]["exact_f1"] == "0.0"
    assert by[("document", "d1")]["count"] == "4"  # tokens
    assert float(by[("alpha", "all")]["alpha"]) == pytest.approx(
        krippendorff.alpha(
            reliability_data=[[1, 0, 2, 0], [1, 0, 1, 0]], level_of_measurement="nominal"
        )
    )


def test_the_command_compares_three_layers_and_writes_csv(project, tmp_path, capsys):
    prodigy = _export(project, "jsonl", tmp_path / "x.jsonl")
    conll = _export(project, "conll", tmp_path / "x.conll")
    out = tmp_path / "f.csv"
    argv = ["agreement", "--project", str(project), "--with", str(prodigy), "--with", str(conll)]
    assert main([*argv, "--csv", str(out)]) == 0
    printed = capsys.readouterr()
    assert "alpha over 3 layers" in printed.out and "1.000" in printed.out
    pairs = printed.out[printed.out.index("pairs (spans") :].splitlines()[2:]
    assert [line.split()[:2] for line in pairs] == [
        [str(project), str(prodigy)],
        [str(project), str(conll)],
        [str(prodigy), str(conll)],
    ]
    assert all(line.split()[3] == "1.000" for line in pairs)  # exact F1: the same spans
    assert f"rows written to {out}" in printed.err
    sections = {row["section"] for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert {"label", "overall", "confusion", "document", "alpha", "label_alpha"} <= sections
    assert {"entities", "entity_label", "facts"} <= sections  # no fact types: no facts
    assert main(["agreement", "--project", str(project), "--with", str(tmp_path / "none")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_panel_text_of_two_layers_is_the_pair_table():
    a, b = one("a", [Span(0, 5, "ORG")]), one("b", [Span(0, 5, "ORG")])
    text = panel_text(compare_many([a, b]))
    assert "alpha over" not in text and "A (reference): a" in text
    assert len(token_spans(TEXT)) == 4


def _colleague_export(project, tmp_path):
    """Our Prodigy export with the colleague's label for Corrow (LOC, where we said GPE)."""
    out = _export(project, "jsonl", tmp_path / "ours.jsonl")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for record in records:
        for s in record["spans"]:
            if record["text"][s["start"] : s["end"]] == "Corrow":
                s["label"] = "LOC"
    theirs = tmp_path / "colleague.jsonl"
    theirs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return theirs


def test_an_export_of_agreed_items_only_leaves_out_what_the_colleague_labelled_otherwise(
    project, tmp_path, capsys
):
    theirs = _colleague_export(project, tmp_path)
    out = tmp_path / "agreed.jsonl"
    argv = ["export", "--project", str(project), "--format", "jsonl", "--out", str(out)]
    assert main([*argv, "--agreed-with", str(theirs)]) == 0
    layer = read_export(out, "prodigy")  # the importer's own reader takes it back
    kept = {
        doc.text[s.start : s.end]: s.label for doc in layer.documents.values() for s in doc.spans
    }
    assert kept == {
        "Lisvane Port Authority": "ORG",
        "Mara Quellin": "PERSON",
        "Tennick Foundation": "ORG",
        "Abermoor": "GPE",
    }
    capsys.readouterr()
    assert main([*argv, "--agreed-with", str(tmp_path / "missing.jsonl")]) == 2
    assert "nothing was written" in capsys.readouterr().err


def test_agreed_facts_need_the_same_type_and_arguments(project, tmp_path):
    from desktop.core.agreement.agreed import agreed_with

    with Store.open(project, create=False) as store:
        doc_id = next(
            i for i in store.documents.ids() if store.documents.get(i).info.source == "harbour"
        )
        text = store.documents.get(doc_id).text
        org, place = text.index("Lisvane Port Authority"), text.index("Corrow")
        store.facts.create(
            doc_id,
            "EVENT",
            (0, len(text)),
            [
                ("organizer", org, org + 22, "Lisvane Port Authority"),
                ("place", place, place + 6, "Corrow"),
            ],
        )
        ours = open_layer(project)
        (fact,) = [f for d in ours.documents.values() for f in d.facts]
        same = Layer("same", {sha: d for sha, d in ours.documents.items()})
        other_place = Layer(
            "other",
            {
                sha: DocumentLayer(
                    d.sha256,
                    d.source,
                    d.text,
                    d.spans,
                    tuple(
                        FactItem(f.type, (f.arguments[0], ("place", place, place + 3)))
                        for f in d.facts
                    ),
                )
                for sha, d in ours.documents.items()
            },
        )
        for agreed, facts in (
            (agreed_with(ours, [same]), 1),
            (agreed_with(ours, [other_place]), 0),
        ):
            out = tmp_path / f"facts{facts}.jsonl"
            report = run_export(store, "facts-jsonl", out, Selection(agreed=agreed))
            written = [] if report.empty else out.read_text(encoding="utf-8").splitlines()
            assert len(written) == facts
    assert fact.type == "EVENT"


@pytest.mark.parametrize(
    ("fmt", "name"), [("jsonl", "x.jsonl"), ("brat", "x-brat"), ("conll", "x.conll")]
)
def test_a_project_agrees_with_its_own_export_on_facts_too(project, tmp_path, fmt, name):
    with Store.open(project, create=False) as store:
        doc_id = next(
            i for i in store.documents.ids() if store.documents.get(i).info.source == "harbour"
        )
        text = store.documents.get(doc_id).text
        org, day = text.index("Lisvane Port Authority"), text.index("Tuesday")
        place = text.index("Corrow")
        # three arguments: two relations from the first in the export; Tuesday is no
        # mention, so its relation end is labelled with its role
        store.facts.create(
            doc_id,
            "EVENT",
            (0, len(text)),
            [
                ("organizer", org, org + 22, "Lisvane Port Authority"),
                ("place", place, place + 6, "Corrow"),
                ("date", day, day + 7, "Tuesday"),
            ],
        )
    out = _export(project, fmt, tmp_path / name)
    g = compare_many([open_layer(project), open_any(out)]).pairs[0]
    # Prodigy: relations from the first argument, ends labelled with roles; brat: an event
    # with a trigger over the evidence; CoNLL holds no facts, so they are not compared
    facts = (0, 0, None) if fmt == "conll" else (1, 1, 1.0)
    assert (g.facts_overall.a, g.facts_overall.b, g.facts_overall.f1) == facts
    assert (g.overall.exact.a, g.overall.exact.b, g.overall.exact.f1) == (5, 5, 1.0)


def test_entities_agree_on_label_and_folded_name_wherever_they_are():
    text = "Việt Nam and Laos met in Vientiane. Viet Nam agreed with the Mekong Board."
    at = {w: text.index(w) for w in ("Việt Nam", "Viet Nam", "Laos", "Mekong Board")}
    ours = one(
        "a",
        [
            Span(at["Việt Nam"], at["Việt Nam"] + 8, "GPE"),
            Span(at["Viet Nam"], at["Viet Nam"] + 8, "GPE"),  # the same entity twice
            Span(at["Mekong Board"], at["Mekong Board"] + 12, "ORG"),
        ],
        text,
    )
    theirs = one(
        "b",
        [
            Span(at["Viet Nam"], at["Viet Nam"] + 8, "GPE"),  # once, the other spelling's place
            Span(at["Laos"], at["Laos"] + 4, "GPE"),
        ],
        text,
    )
    g = compare_many([ours, theirs]).pairs[0]
    # names: ours {GPE viet nam, ORG mekong board}, theirs {GPE viet nam, GPE laos}:
    # one in common; P = 1/2, R = 1/2, F1 = 1/2. GPE alone: ours 1, theirs 2, both 1.
    e = g.entities_overall
    assert (e.a, e.b, e.a_matched, e.f1) == (2, 2, 1, 0.5)
    assert (g.entities["GPE"].a, g.entities["GPE"].b, g.entities["GPE"].f1) == (1, 2, 2 / 3)
    assert g.entities["ORG"].f1 == 0.0
    # the spans themselves agree less: 1 exact match of 3 and 2
    assert g.overall.exact.f1 == pytest.approx(2 * 1 / 5)
    assert "entities (label and folded name" in panel_text(compare_many([ours, theirs]))


def test_facts_are_compared_on_what_an_export_can_hold():
    from types import SimpleNamespace

    from desktop.core.agreement.agreed import agreed_with

    meeting = FactItem("MEETING", (("date", None, None), ("participant", 0, 5), ("place", 10, 14)))
    lone = FactItem("ROLE", (("person", 0, 5),))  # one spanned argument: no Prodigy relation
    ours = one("ours", [Span(0, 5, "PERSON"), Span(10, 14, "GPE")])
    ours.documents["d1"] = DocumentLayer(
        "d1", "d1", TEXT, ours.documents["d1"].spans, (meeting, lone)
    )
    theirs = one("theirs.jsonl", [Span(0, 5, "PERSON"), Span(10, 14, "GPE")])
    theirs.literal_arguments, theirs.min_arguments = False, 2
    spanned = FactItem("MEETING", (("participant", 0, 5), ("place", 10, 14)))
    theirs.documents["d1"] = DocumentLayer(
        "d1", "d1", TEXT, theirs.documents["d1"].spans, (spanned,)
    )
    g = compare_many([ours, theirs]).pairs[0]
    # the date (a literal) and the lone ROLE cannot be in a Prodigy file: left out of both
    assert (g.facts_overall.a, g.facts_overall.b, g.facts_overall.f1) == (1, 1, 1.0)
    # against a project (which can hold both) they count, and differ
    other = one("other", [])
    other.documents["d1"] = DocumentLayer("d1", "d1", TEXT, (), (spanned,))
    assert compare_many([ours, other]).pairs[0].facts_overall.f1 == pytest.approx(0.0)
    agreed = agreed_with(ours, [theirs])

    def arg(role, start, end):
        return SimpleNamespace(role=role, start=start, end=end)

    record = SimpleNamespace(
        type="MEETING",
        arguments=[arg("participant", 0, 5), arg("date", None, None), arg("place", 10, 14)],
    )
    assert agreed.fact_ok("d1", record)  # agreed on what the export holds
