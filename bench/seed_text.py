"""The seed articles' paragraphs, the text every bench builds its generated projects from."""

from __future__ import annotations

from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def paragraph_pool() -> list[str]:
    """Every paragraph of the seed articles."""
    pool: list[str] = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sep = "\n\n" if "\n\n" in text else "\n"
        pool.extend(p.strip() for p in text.split(sep) if p.strip())
    return pool
