"""`factdesk open postgresql://...` opens the window on a shared project (issue 17): the URL
reaches the store as a URL (not folded into a file path), the window shows its documents."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_factdesk_open_takes_a_server_url(pg_url, tmp_path, factdesk_cli):
    assert factdesk_cli("migrate", "--project", pg_url, cwd=tmp_path).returncode == 0
    one = sorted(SEEDS.iterdir())[0]
    ingest = factdesk_cli("ingest", "--project", pg_url, "--no-extract", one, cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    probe = tmp_path / "probe.txt"
    home = tmp_path / "home"
    env = {
        "FACTDESK_STARTUP_PROBE": str(probe),
        "FACTDESK_STARTUP_EXIT": "1",
        "FACTDESK_ANALYST": "Ana",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    opened = factdesk_cli("open", pg_url, cwd=tmp_path, env=env)
    assert opened.returncode == 0, opened.stderr
    assert "first_window" in probe.read_text(encoding="utf-8")
    shown = (tmp_path / "probe.txt.project").read_text(encoding="utf-8")
    assert shown.startswith("postgresql://") and shown.endswith(pg_url.rsplit("/", 1)[1])
    assert not (tmp_path / "postgresql:").exists()  # no file project made of the URL
    # and a server that does not answer is an error on the command line, not a window
    gone = factdesk_cli("open", "postgresql://nobody@127.0.0.1:1/none", cwd=tmp_path, env=env)
    assert gone.returncode != 0 and "Connection refused" in gone.stderr
    assert not (tmp_path / "probe.txt").read_text(encoding="utf-8").count("first_window") > 1
