"""`factdesk --analyst NAME` (or FACTDESK_ANALYST, or the OS user name): the name every
change a command makes is recorded under (issue 17)."""

from __future__ import annotations

import getpass

from desktop.cli import main
from desktop.core.store import Store

TEXT = "Harbour minister Ilse Marrow met the Tarnby ferry board in Quellport on Monday.\n"


def _steps(project) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with Store.open(project) as store:
        return [(e.summary, e.actor) for e in store.history.entries()]


def test_the_command_line_records_the_analyst_it_is_given(tmp_path, monkeypatch, capsys):
    # main() sets FACTDESK_ANALYST for the Stores it opens: setenv first so that monkeypatch
    # puts the variable back as it was (absent) after the test, for the tests that follow.
    monkeypatch.setenv("FACTDESK_ANALYST", "")
    monkeypatch.delenv("FACTDESK_ANALYST")
    (tmp_path / "ferry.txt").write_text(TEXT, encoding="utf-8")
    project = str(tmp_path / "p.factdesk")
    assert main(["ingest", "--project", project, "--no-extract", str(tmp_path / "ferry.txt")]) == 0
    assert main(["--analyst", "Ana Weiss", "extract", "--project", project, "--no-model"]) == 0
    assert _steps(project)[-1][1] == "Ana Weiss"
    assert main(["extract", "--project", project, "--all", "--no-model", "--analyst", "Ben"]) == 0
    assert _steps(project)[-1][1] == "Ben"
    monkeypatch.setenv("FACTDESK_ANALYST", "Cleo")
    assert main(["extract", "--project", project, "--all", "--no-model"]) == 0
    assert _steps(project)[-1][1] == "Cleo"
    monkeypatch.delenv("FACTDESK_ANALYST")
    assert main(["extract", "--project", project, "--all", "--no-model"]) == 0
    assert _steps(project)[-1][1] == getpass.getuser()
    capsys.readouterr()
    assert main(["--analyst", "  ", "extract", "--project", project, "--no-model"]) != 0
    assert "analyst's name cannot be empty" in capsys.readouterr().err
