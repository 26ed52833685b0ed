"""The README's "Team server" commands, run as written (issue 17) against a throwaway
PostgreSQL cluster of this test's own that asks a password over TCP (scram-sha-256) of
everyone but its administrator: the host and port are the only words changed."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST, PORT = "db.example.org", "5432"


def readme_team_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Team server\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the Team server section shows its commands in a sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture
def password_server(tmp_path):
    """A cluster where TCP logins other than the administrator's need a password."""
    sys.path.insert(0, str(ROOT / "tests"))
    from pg_server import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl)")
    server = PgServer(bindir)
    server.start()
    try:
        (server.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host all postgres 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        server._run(str(bindir / "pg_ctl"), "-D", str(server.data), "reload")
        yield server
    finally:
        server.stop()


def _run(line: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_team_server_commands_work_as_written(password_server, tmp_path, factdesk_cli):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    made = factdesk_cli(
        "ingest", "--no-model", "--project", work / "p.factdesk", ROOT / "seeds", cwd=work
    )
    assert made.returncode == 0, made.stderr
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")} | {
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
    }
    factdesk = f"{shlex.quote(sys.executable)} -m desktop.cli"
    port = str(password_server.port)
    outputs = []
    for line in readme_team_lines():
        ran = line.replace(HOST, "127.0.0.1").replace(PORT, port)
        ran = ran.replace(".venv/bin/factdesk", factdesk)
        done = _run(ran, work, env)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        outputs.append(done)
    url = f"postgresql://newsdesk@127.0.0.1:{port}/newsdesk"
    stats = json.loads(
        factdesk_cli(
            "stats",
            "--project",
            url,
            "--json",
            cwd=work,
            env=env | {"PGPASSFILE": str(home / ".pgpass")},
        ).stdout
    )
    assert stats["documents"] == len(list((ROOT / "seeds").iterdir()))
    assert (home / ".pgpass").stat().st_mode & 0o077 == 0
    # the password came from ~/.pgpass: without it the server refuses the same command
    (home / ".pgpass").rename(home / "pgpass.away")
    refused = factdesk_cli("stats", "--project", url, cwd=work, env=env)
    assert refused.returncode == 2
    assert "password" in refused.stderr and "change-this-password" not in refused.stderr
    # the team's user is no superuser: the migrations' extension and triggers work as owner
    check = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-tA", "-c",
         "SELECT rolsuper FROM pg_roles WHERE rolname = 'newsdesk'"],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    assert check.stdout.strip() == "f"
