"""File › Open shared project…: a Factdesk project on a PostgreSQL server (issue 17).

The analyst gives the server's URL, or its host, port, database and user; the password
is asked here, taken from the system keyring (and kept there when asked to), or left to
libpq, which reads ~/.pgpass. It never reaches the settings or the log: the project is
remembered by its URL without it. Opening runs off the GUI thread and its failure is said
in the dialog: a wrong password, a server that does not answer, a database that is not a
Factdesk project or needs `factdesk migrate` first."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import passwords

if TYPE_CHECKING:
    from desktop.core.store import Store
    from desktop.ui.main_window import MainWindow

DEFAULT_PORT = 5432
UNREACHABLE = (
    "connection refused",
    "could not connect",
    "timeout",
    "timed out",
    "could not translate host",
    "no route",
    "name or service",
)


def build_url(host: str, port: int, database: str, user: str) -> str:
    """A postgresql:// URL without a password."""
    who = f"{quote(user, safe='')}@" if user else ""
    return f"postgresql://{who}{host}:{port}/{quote(database, safe='')}"


def split_url(url: str) -> tuple[str, int, str, str, str | None]:
    """(host, port, database, user, password or None) of a postgresql:// URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise ValueError("a shared project's URL starts with postgresql://")
    database = unquote(parts.path.lstrip("/"))
    if not parts.hostname or not database:
        raise ValueError("the URL needs a host and a database: postgresql://user@host/db")
    password = unquote(parts.password) if parts.password is not None else None
    user = unquote(parts.username or "")
    return parts.hostname, parts.port or DEFAULT_PORT, database, user, password


def explain(message: str, location: str) -> tuple[str, bool]:
    """What went wrong, in the analyst's words, and whether a password is what is missing."""
    text = message.lower()
    if "password authentication failed" in text:
        return "Wrong password (or user name) for this server.", True
    if "no password supplied" in text or "password is required" in text:
        return "The server asks for a password.", True
    if "does not exist" in text and "database" in text:
        return "The server has no such database.", False
    if "role" in text and "does not exist" in text:
        return "The server knows no such user.", False
    if "not a factdesk database" in text:
        return "This database is not a Factdesk project (it holds other tables).", False
    if "factdesk migrate" in text:
        detail = message.split(": ", 1)[-1]
        return f"The database needs migrating first. {detail}", False
    if "newer factdesk" in text:
        return "This project was made by a newer Factdesk; update this one.", False
    if any(word in text for word in UNREACHABLE):
        return f"Cannot reach the server ({urlsplit(location).netloc}).", False
    return message, False


class _Opening(QObject):
    """One attempt to open a store in a thread; the answer on the GUI thread."""

    opened = Signal(object)
    failed = Signal(str)

    def start(self, location: str, password: str | None) -> None:
        def run() -> None:
            from desktop.core.store import Store

            try:
                store = Store.open(location, password=password, migrate=False)
            except Exception as exc:
                self.failed.emit(str(exc))
                return
            self.opened.emit(store)

        threading.Thread(target=run, name="factdesk-open", daemon=True).start()


class SharedProjectDialog(QDialog):
    """Asks for a server project and opens it in the background."""

    def __init__(self, window: MainWindow, url: str = "") -> None:
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Open shared project")
        self.opened_store: Store | None = None
        self.error = ""
        self._attempt: _Opening | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A project on your team's PostgreSQL server. The password is asked once and "
            "kept in the system keyring if you wish, or read from ~/.pgpass."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://analyst@db.example.org:5432/newsdesk")
        self.url.setObjectName("shared_url")
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("from the keyring or ~/.pgpass when empty")
        form.addRow("URL:", self.url)
        form.addRow("or host:", self.host)
        form.addRow("port:", self.port)
        form.addRow("database:", self.database)
        form.addRow("user:", self.user)
        form.addRow("Password:", self.password)
        layout.addLayout(form)
        self.remember = QCheckBox("Keep the password in the system keyring")
        if passwords.available():
            self.remember.setChecked(True)
        else:
            self.remember.setEnabled(False)
            self.remember.setText("Keep the password in the system keyring (none on this system)")
        layout.addWidget(self.remember)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setObjectName("shared_status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.open_project)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.url.textEdited.connect(self._url_edited)
        for field in (self.host, self.database, self.user):
            field.textEdited.connect(self._fields_edited)
        self.port.valueChanged.connect(self._fields_edited)
        if url:
            self.url.setText(url)
            self._url_edited(url)

    def _fields(self) -> list[QWidget]:
        return [self.host, self.port, self.database, self.user]

    def _url_edited(self, text: str) -> None:
        """Fill the fields from the URL (a password in it moves to the password field)."""
        try:
            host, port, database, user, password = split_url(text)
        except ValueError:
            return
        for field, value in ((self.host, host), (self.database, database), (self.user, user)):
            field.setText(value)
        self.port.blockSignals(True)
        self.port.setValue(port)
        self.port.blockSignals(False)
        if password is not None:
            self.password.setText(password)
            self.url.setText(self.location())

    def _fields_edited(self, *_args: object) -> None:
        if self.host.text() and self.database.text():
            self.url.setText(self.location())

    def location(self) -> str:
        """The project's URL, without a password."""
        return build_url(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
        )

    def set_busy(self, busy: bool) -> None:
        for widget in [self.url, self.password, *self._fields(), self.buttons]:
            widget.setEnabled(not busy)

    def open_project(self) -> None:
        """Try to open the project in the background (the dialog stays until it is)."""
        if not self.host.text().strip() or not self.database.text().strip():
            self.status.setText("Give the server's URL, or its host and database.")
            return
        location = self.location()
        self.error = ""
        password = self.password.text() or passwords.get(location)
        self.status.setText(f"Connecting to {self.host.text().strip()}…")
        self.set_busy(True)
        attempt = _Opening(self)
        attempt.opened.connect(lambda store: self._opened(store, location))
        attempt.failed.connect(lambda message: self._failed(message, location))
        self._attempt = attempt
        attempt.start(location, password or None)

    def _opened(self, store: Store, location: str) -> None:
        self.set_busy(False)
        typed = self.password.text()
        if typed and self.remember.isChecked():
            passwords.put(location, typed)
        self.opened_store = store
        self.window.show_project(store, location)
        self.accept()

    def _failed(self, message: str, location: str) -> None:
        self.set_busy(False)
        self.error, needs_password = explain(message, location)
        self.status.setText(f"<b>Not opened.</b> {self.error}")
        if needs_password:
            self.password.clear()
            self.password.setFocus()


def open_shared_project(window: MainWindow, url: str = "") -> SharedProjectDialog:
    """Show the dialog (non-blocking); with a remembered `url`, try it at once."""
    dialog = SharedProjectDialog(window, url)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    if url:
        dialog.open_project()
    window.shared_dialog = dialog  # type: ignore[attr-defined]
    return dialog
