"""The project's label set: names, colours and hotkeys, editable and undoable."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from sqlmodel import Session, col, select

from desktop.core.models import Label, Mention
from desktop.core.records import LabelRecord
from desktop.core.resources import resource_path
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import transaction

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
HOTKEYS = tuple("123456789")
FALLBACK_COLORS = ("#6a5acd", "#20b2aa", "#cd5c5c", "#778899", "#daa520", "#5f9ea0")


def _record(label: Label) -> LabelRecord:
    return LabelRecord(label.id or 0, label.name, label.color, label.hotkey, label.position)


def default_labels() -> list[dict]:
    """The label set a new project starts with (resources/labels.json)."""
    return json.loads(resource_path("labels.json").read_text(encoding="utf-8"))["labels"]


class Labels:
    """Queries and edits of the label set."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def all(self) -> list[LabelRecord]:
        """Every label, in palette order."""
        with Session(self._engine) as session:
            rows = session.exec(select(Label).order_by(col(Label.position), col(Label.id)))
            return [_record(r) for r in rows.all()]

    def usage(self) -> dict[str, int]:
        """How many mentions (not rejected) carry each label: the palette's order of use."""
        query = (
            select(Mention.label, sa.func.count())
            .where(Mention.status != "rejected")
            .group_by(Mention.label)
        )
        with Session(self._engine) as session:
            return {str(label): int(n) for label, n in session.exec(query).all()}

    def ensure(self) -> list[LabelRecord]:
        """Add the default labels to an empty set and any label mentions use but the set lacks."""
        with transaction(self._engine) as session:
            have = set(session.exec(select(Label.name)).all())
            used = set(session.exec(select(Mention.label).distinct()).all())
            missing = [d for d in default_labels() if not have] + [
                {"name": name, "color": None, "hotkey": None} for name in sorted(used - have)
            ]
            position = len(have)
            for i, spec in enumerate(missing):
                if spec["name"] in have:
                    continue
                color = spec["color"] or FALLBACK_COLORS[i % len(FALLBACK_COLORS)]
                session.add(
                    Label(name=spec["name"], color=color, hotkey=spec["hotkey"], position=position)
                )
                have.add(spec["name"])
                position += 1
        return self.all()

    def add(self, name: str, color: str, hotkey: str | None = None) -> Change:
        """Add a label (taking its hotkey from any label that had it)."""
        name = _check_name(name)
        with transaction(self._engine) as session:
            if session.exec(select(Label.id).where(Label.name == name)).first() is not None:
                raise ValueError(f"label {name!r} exists already")
            rec = Recorder(session, "analyst", "label.add", f"Add label {name}")
            _free_hotkey(session, rec, hotkey)
            count = len(session.exec(select(Label.id)).all())
            rec.insert(
                "label",
                {"name": name, "color": _check_color(color), "hotkey": hotkey, "position": count},
            )
            return Change(rec.batch)

    def update(
        self,
        label_id: int,
        *,
        name: str | None = None,
        color: str | None = None,
        hotkey: str | bool | None = False,
    ) -> Change:
        """Rename (mentions follow), recolour, or set the hotkey (None clears it) of a label."""
        with transaction(self._engine) as session:
            label = session.get(Label, label_id)
            if label is None:
                raise KeyError(f"no label {label_id}")
            old = label.name
            rec = Recorder(session, "analyst", "label.edit", f"Edit label {old}")
            changes: dict[str, object] = {}
            if name is not None and name != old:
                changes["name"] = _check_name(name)
                if session.exec(select(Label.id).where(Label.name == changes["name"])).first():
                    raise ValueError(f"label {name!r} exists already")
            if color is not None:
                changes["color"] = _check_color(color)
            if hotkey is not False:
                _free_hotkey(session, rec, hotkey, keep=label_id)  # type: ignore[arg-type]
                changes["hotkey"] = hotkey
            rec.update("label", {"id": label_id}, **changes)
            if "name" in changes:
                ids = session.exec(select(Mention.id).where(Mention.label == old)).all()
                for mid in ids:
                    rec.update("mention", {"id": mid}, label=changes["name"])
            return Change(rec.batch)


def _free_hotkey(session: Session, rec: Recorder, hotkey: str | None, keep: int = -1) -> None:
    if hotkey is None:
        return
    if hotkey not in HOTKEYS:
        raise ValueError(f"hotkey must be one of 1-9, not {hotkey!r}")
    for other in session.exec(select(Label).where(Label.hotkey == hotkey)).all():
        if other.id != keep:
            rec.update("label", {"id": other.id}, hotkey=None)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or any(c.isspace() for c in name):
        raise ValueError("a label name is one word without spaces")
    return name


def _check_color(color: str) -> str:
    if not _COLOR.fullmatch(color):
        raise ValueError(f"colour must look like #1a2b3c, not {color!r}")
    return color.lower()
