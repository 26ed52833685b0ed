"""File › Compare with other projects… with two files at once: a colleague's real Prodigy
export and another colleague's project file (named as ours, in another folder), compared
with the project off the GUI thread; every figure of the three layers worked out by hand
below, read from the dialog's tables, and the adjudication against the pair chosen."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction

import pytest

from desktop.core.formats.run import run_export
from desktop.core.formats.selection import Selection
from desktop.core.ingest.importer import ingest
from desktop.core.store import Store
from desktop.ui.compare_actions import compare_with
from desktop.ui.dialogs.compare_dialog import ALPHA_TAB, PAIRS_TAB

pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py

# tokens: Quay opens The Brindle Trust opened Harlow Quay in Tamsford .  (11)
TEXT = "Quay opens\n\nThe Brindle Trust opened Harlow Quay in Tamsford.\n"


def _mark(store: Store, words: str, label: str) -> None:
    (doc_id,) = store.documents.ids()
    start = store.documents.get(doc_id).text.index(words)
    store.mentions.add(doc_id, start, start + len(words), label)


@pytest.fixture
def three(tmp_path):
    """Ours: Brindle Trust ORG, Tamsford GPE. Anna's Prodigy export: the same with Tamsford
    a LOC. Ben's project (a copy of ours, also called ours.factdesk): Harlow Quay a FAC too."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "quay.txt").write_text(TEXT, encoding="utf-8")
    ours = tmp_path / "ours.factdesk"
    with Store.open(ours) as store:
        list(ingest(store, [folder]))
        _mark(store, "Brindle Trust", "ORG")
        _mark(store, "Tamsford", "GPE")
        export = tmp_path / "export.jsonl"
        assert run_export(store, "jsonl", export, Selection()).empty is None
    (tmp_path / "anna").mkdir()
    anna = tmp_path / "anna" / "colleague.jsonl"
    records = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    for record in records:
        for span in record["spans"]:
            if record["text"][span["start"] : span["end"]] == "Tamsford":
                span["label"] = "LOC"
    anna.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (tmp_path / "ben").mkdir()
    ben = tmp_path / "ben" / "ours.factdesk"
    shutil.copy(ours, ben)
    with Store.open(ben, create=False) as store:
        _mark(store, "Harlow Quay", "FAC")
    return ours, anna, ben


def _cells(model):
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _f(value: Fraction | float) -> str:
    return f"{float(value):.3f}"


def test_three_layers_in_the_dialog_with_figures_worked_out_by_hand(qtbot, open_window, three):
    ours, anna, ben = three
    win = open_window(ours, idle=True)
    dialog = compare_with(win, [anna, ben])
    qtbot.addWidget(dialog)
    assert dialog.runner.busy  # off the GUI thread, with the dialog's progress bar
    qtbot.waitUntil(lambda: dialog.compared is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10_000)
    assert dialog.tabs.currentIndex() == PAIRS_TAB  # more than two layers: the pairs first
    assert dialog.compared.panel.names == ["ours.factdesk", "colleague.jsonl", "ben/ours.factdesk"]

    # Tokens × layers (ours, Anna, Ben): Brindle Trust ORG ORG ORG; Harlow Quay O O FAC;
    # Tamsford GPE LOC GPE; the six other tokens O O O.
    # ours–Anna: spans 2 and 2, one exact: F1 1/2. Cross table: O/O 8, ORG/ORG 2, GPE/LOC 1;
    #   p_o = 10/11, p_e = (8·8 + 2·2)/121 = 68/121, κ = 42/53. α: o(O,O) 16, o(ORG,ORG) 4,
    #   o(GPE,LOC) = o(LOC,GPE) = 1; n = 22, Σ n_c·n_k (c≠k) = 484 − 274 = 210,
    #   α = 1 − 21·2/210 = 4/5.
    # ours–Ben: spans 2 and 3, two exact: F1 4/5. O/O 6, O/FAC 2, ORG/ORG 2, GPE/GPE 1;
    #   p_o = 9/11, p_e = (8·6 + 4 + 1)/121 = 53/121, κ = 46/68 = 23/34. α: o(O,O) 12,
    #   o(O,FAC) = o(FAC,O) = 2, o(ORG,ORG) 4, o(GPE,GPE) 2; 484 − 220 = 264,
    #   α = 1 − 21·4/264 = 15/22.
    # Anna–Ben: one exact of 2 and 3: F1 2/5. O/O 6, O/FAC 2, ORG/ORG 2, LOC/GPE 1;
    #   p_o = 8/11, p_e = (48 + 4)/121 = 52/121, κ = 36/69 = 12/23.
    pairs = {(row[0], row[1]): row for row in _cells(dialog.pairs)}
    header = list(dialog.pairs.headers)
    f1, kappa, alpha = header.index("Exact F1"), header.index("κ"), header.index("α")
    expected = {
        ("ours.factdesk", "colleague.jsonl"): (Fraction(1, 2), Fraction(42, 53), Fraction(4, 5)),
        ("ours.factdesk", "ben/ours.factdesk"): (
            Fraction(4, 5),
            Fraction(23, 34),
            Fraction(15, 22),
        ),
        ("colleague.jsonl", "ben/ours.factdesk"): (Fraction(2, 5), Fraction(12, 23), None),
    }
    assert set(pairs) == set(expected)
    for pair, (want_f1, want_kappa, want_alpha) in expected.items():
        row = pairs[pair]
        assert (row[f1], row[kappa]) == (_f(want_f1), _f(want_kappa)), pair
        assert row[header.index("Documents")] == "1"
        if want_alpha is not None:
            assert row[alpha] == _f(want_alpha), pair

    # α over the three layers, units of 3 values (each pair weighs 1/2): o(O,O) 6·3 + 2·1 = 20,
    # o(ORG,ORG) 6, o(O,FAC) = o(FAC,O) = 2, o(GPE,GPE) 1, o(GPE,LOC) = o(LOC,GPE) = 1.
    # n = 33; n_O 22, n_ORG 6, n_FAC 2, n_GPE 2, n_LOC 1: Σ n_c·n_k (c≠k) = 1089 − 529 = 560;
    # α = 1 − 32·6/560 = 23/35. GPE against the rest: o(GPE,GPE) 1, o(GPE,¬) = o(¬,GPE) = 1,
    # n_GPE 2, n_¬ 31: α = 1 − 32·2/(1089 − 4 − 961) = 15/31. ORG: all three agree, α = 1.
    dialog.tabs.setCurrentIndex(ALPHA_TAB)
    alphas = {row[0]: row for row in _cells(dialog.alphas)}
    assert alphas["all labels"][1:] == [_f(Fraction(23, 35)), "3"]
    assert alphas["GPE"][1] == _f(Fraction(15, 31))
    assert alphas["ORG"][1] == "1.000"
    assert "all <b>3</b> layers: <b>0.657</b>" in dialog.summary.text()

    # the per-pair tabs follow the pair chosen: ours–Anna first; GPE against the rest there:
    # o(GPE,¬) = o(¬,GPE) = 1, o(¬,¬) 20, n_GPE 1, n_¬ 21: α = 1 − 21·2/(484 − 442) = 0
    labels = {row[0]: row for row in _cells(dialog.labels)}
    assert labels["GPE"][1:4] == ["1", "0", "0"] and labels["GPE"][9] == "0.000"
    assert labels["all labels"][8:] == [_f(Fraction(42, 53)), _f(Fraction(4, 5))]
    assert dialog.adjudicate_button.isEnabled()
    assert "1 disagreements with colleague.jsonl" in dialog.adjudicate_button.text()
    dialog.show_pair(2)  # Anna–Ben: no pair with ours, nothing to adjudicate
    labels = {row[0]: row for row in _cells(dialog.labels)}
    assert labels["FAC"][1:4] == ["0", "1", "0"]
    assert dialog.labels.headers[1:3] == ["A", "B"]
    assert not dialog.adjudicate_button.isEnabled()
    dialog.show_pair(1)  # ours–Ben: adjudicate against Ben's project
    assert dialog.labels.headers[1:3] == ["Ours", "Theirs"]
    assert "With <b>ben/ours.factdesk</b>" in dialog.summary.text()
    dialog.adjudicate_button.click()
    window = win.adjudication_window
    qtbot.addWidget(window)
    assert [p.kind for p in window.view.places] == ["only theirs"]
    assert "Harlow Quay" in window.view.theirs_list.text()
    window.close()

    # the CSV holds every pair and α over the three
    out = dialog.export_csv(ours.with_name("figures.csv"))
    text = out.read_text(encoding="utf-8")
    assert "ben/ours.factdesk" in text and "ours.factdesk + colleague.jsonl" in text
    dialog.close()


def test_several_files_can_be_cancelled_and_run_again(qtbot, three):
    from desktop.ui.dialogs.compare_dialog import CompareDialog

    ours, anna, ben = three
    with Store.open(ours, create=False) as store:
        dialog = CompareDialog(store, [anna])
        qtbot.addWidget(dialog)
        dialog.add_files([ben, anna])  # listed once
        assert dialog.paths() == [anna, ben]
        with qtbot.waitSignal(dialog.runner.idle, timeout=30_000):
            dialog.start()
            assert dialog.close_button.text() == "Cancel"
            dialog.close_button.click()
        assert dialog.compared is None and dialog.summary.text() == "Comparison cancelled."
        assert dialog.close_button.text() == "Close" and dialog.compare_button.isEnabled()
        with qtbot.waitSignal(dialog.runner.idle, timeout=30_000):
            dialog.start()
        assert len(dialog.compared.panel.pairs) == 3
        assert dialog.progress.isHidden()
        dialog.close()
