"""File › Open shared project… (issue 17): the password is asked, kept in the keyring
where there is one or read from ~/.pgpass, and never written to the settings or the log;
the project opens off the GUI thread, and a failure says what went wrong."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import psycopg
import pytest

from desktop.core.store import Store
from desktop.ui import passwords, settings
from desktop.ui.dialogs.shared_project import SharedProjectDialog, build_url

pytestmark = pytest.mark.usefixtures("private_settings")  # tests/ui/conftest.py


@pytest.fixture
def analyst(pg_server):
    """A login with a password the server checks (scram) and a migrated project it owns:
    (url without password, password)."""
    user = f"analyst_{uuid.uuid4().hex[:8]}"
    secret = f"pw-{uuid.uuid4().hex}"
    admin = dict(host="127.0.0.1", port=pg_server.port, user="postgres", dbname="postgres")
    hba = pg_server.data / "pg_hba.conf"
    rules = hba.read_text()
    line = f"host all {user} 127.0.0.1/32 scram-sha-256\n"
    hba.write_text(line + rules)  # before the trust lines: checked first
    database = pg_server.create_database().rsplit("/", 1)[1]
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{secret}'")
        conn.execute(f'ALTER DATABASE "{database}" OWNER TO {user}')
        conn.execute("SELECT pg_reload_conf()")
    url = build_url("127.0.0.1", pg_server.port, database, user)
    with Store.open(url, password=secret):  # `factdesk migrate` as the team would
        pass
    return url, secret


def _dialog(qtbot, window, url):
    dialog = SharedProjectDialog(window, url)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _try(qtbot, dialog, password=""):
    dialog.password.setText(password)
    dialog.open_project()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=15000)


def test_wrong_then_right_password_and_nothing_kept_in_settings_or_log(
    qtbot, open_window, analyst, tmp_path, caplog
):
    url, secret = analyst
    window = open_window(tmp_path / "local.factdesk")
    caplog.set_level(logging.DEBUG)
    dialog = _dialog(qtbot, window, url)
    assert dialog.host.text() == "127.0.0.1"
    assert dialog.user.text() == url.split("//")[1].split("@")[0]
    _try(qtbot, dialog, "not-the-password")
    assert "Wrong password" in dialog.status.text()
    assert window.store.location.endswith("local.factdesk")  # still the old project
    _try(qtbot, dialog, secret)
    assert dialog.error == ""
    qtbot.waitUntil(lambda: window.store is not None and window.store.location == url)
    assert window.store.documents.ids() == []
    assert url in settings.recent_projects()
    assert window.watcher is not None
    window.close_project()
    settings.settings().sync()
    ini = "".join(
        p.read_text(errors="replace") for p in (tmp_path / "ini").rglob("*") if p.is_file()
    )
    assert "analyst_" in ini  # the URL is remembered...
    assert secret not in ini  # ...without its password
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert secret not in logged
    if not passwords.available():  # headless: nothing kept, asked again next time
        assert passwords.get(url) is None


def test_password_from_pgpass(qtbot, open_window, analyst, tmp_path, monkeypatch):
    url, secret = analyst
    host_port_db_user = url.split("//")[1]
    user, rest = host_port_db_user.split("@")
    hostport, database = rest.split("/")
    host, port = hostport.split(":")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{host}:{port}:{database}:{user}:{secret}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    window = open_window(tmp_path / "local.factdesk")
    dialog = _dialog(qtbot, window, url)
    _try(qtbot, dialog, "")
    assert dialog.error == ""
    qtbot.waitUntil(lambda: window.store is not None and window.store.location == url)


def test_unreachable_server_empty_and_foreign_databases(qtbot, open_window, pg_server, tmp_path):
    from pg_server import _free_port

    window = open_window(tmp_path / "local.factdesk")
    nowhere = build_url("127.0.0.1", _free_port(), "team", "postgres")
    dialog = _dialog(qtbot, window, nowhere)
    _try(qtbot, dialog)
    assert "Cannot reach the server" in dialog.status.text()

    empty = pg_server.create_database()
    dialog = _dialog(qtbot, window, empty)
    _try(qtbot, dialog)
    assert "needs migrating" in dialog.status.text()
    assert "factdesk migrate --project" in dialog.status.text()

    foreign = pg_server.create_database()
    with psycopg.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    dialog = _dialog(qtbot, window, foreign)
    _try(qtbot, dialog)
    assert "not a Factdesk project" in dialog.status.text()
    with psycopg.connect(foreign) as conn:  # left unchanged
        tables = {
            r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }
    assert tables == {"invoices"}
    assert window.store.location == str(Path(tmp_path / "local.factdesk"))
