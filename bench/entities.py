"""Benchmark: entity resolution and merge proposals over corpora of 50k, 100k and 200k mentions.

Run with `.venv/bin/python bench/entities.py [--quick] [--no-proposals] [--keep]`; prints
`name: value` lines. Each project is built with raw inserts (documents of 40 mentions:
persons with short forms and diacritic variants, organizations, places, dates), then
`resolve(store)` runs on it, then again (idempotent: nothing to do), then merge proposals
are computed as `merge_proposals(store)` does: the entity records are read, then the rules
run (`propose`), each timed. The growth ratios compare time per mention between sizes: 1.0
is linear. Never asserts; exits 0. `--quick` uses 10k / 20k / 40k mentions (under 60 s).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures import close_run, emit  # noqa: E402

from desktop.core.entities.proposals import propose  # noqa: E402
from desktop.core.entities.resolve import resolve  # noqa: E402
from desktop.core.store import Store  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi", "Đặng", "Wang", "Li", "Zhang", "Chen"]
MIDDLE = ["Văn", "Thị", "Hoài", "Minh", "Hoàng", "Đức", "Xuân", "Jin", "Hong", "Wei"]
GIVEN = ["Trung", "Phương", "Cường", "Tao", "Gang", "Lan", "Hùng", "Mai", "Ping", "Yu", "An"]
ORG_HEAD = ["Ministry of", "Institute of", "Bank of", "University of", "Council for"]
ORG_TOPIC = ["Science", "Trade", "Energy", "Agriculture", "Digital Economy", "Health", "Ports"]
PLACES = ["Việt Nam", "Vietnam", "Guangxi", "Nanning", "Hà Nội", "Hanoi", "Đà Nẵng", "Laos"]
PER_DOC = 40
COMPARISONS = ("fuzzy", "abbreviation", "admin", "kinds", "order")  # propose()'s work counts
TARGETS_200K_S = {"resolve_s": 60, "proposals_s": 5}  # issue 5: a minute; a few seconds


def names(rng: random.Random, scale: int) -> list[tuple[str, str]]:
    """One document's (label, text) mentions; the name pool grows with the corpus."""
    out: list[tuple[str, str]] = []
    while len(out) < PER_DOC:
        pick = rng.random()
        if pick < 0.35:
            family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
            full = f"{family} {middle} {given}{rng.randrange(scale) or ''}"
            if rng.random() < 0.3:
                full = full.replace("ễ", "e").replace("ầ", "a").replace("Đ", "D")
            out += [("PERSON", full), ("PERSON", full.split()[-1])]
        elif pick < 0.65:
            topic = f"{rng.choice(ORG_TOPIC)} {rng.randrange(scale)}"
            out.append(("ORG", f"{rng.choice(['', 'the '])}{rng.choice(ORG_HEAD)} {topic}"))
        elif pick < 0.9:
            place = rng.choice(PLACES) + (f" {rng.randrange(scale)}" if rng.random() < 0.7 else "")
            out.append(("GPE", place + rng.choice(["", "'s", " province"])))
        else:
            out.append(("DATE", f"November {rng.randrange(1, 29)}"))
    return out[:PER_DOC]


def build(path: Path, mentions: int, seed: int = 7) -> None:
    """A project with `mentions` mention rows, written with raw sqlite3 inserts."""
    Store.open(path).close()
    rng = random.Random(seed)
    scale = max(mentions // 200, 10)
    conn = sqlite3.connect(path)
    docs = mentions // PER_DOC
    stamp = "2025-01-01 00:00:00.000000"
    conn.executemany(
        "INSERT INTO document (id, sha256, source, language, text, created_at) "
        "VALUES (?, ?, ?, 'en', '', ?)",
        [(d, f"{d:064x}", f"doc{d:06d}", stamp) for d in range(1, docs + 1)],
    )
    rows = []
    for d in range(1, docs + 1):
        for i, (label, text) in enumerate(names(rng, scale)):
            rows.append((d, i * 50, i * 50 + len(text), label, text, stamp, stamp))
    conn.executemany(
        'INSERT INTO mention (document_id, start, "end", label, text, origin, status, '
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'model', 'proposed', ?, ?)",
        rows,
    )
    conn.commit()
    conn.close()


def measure(folder: Path, mentions: int, proposals_too: bool = True) -> dict[str, float]:
    """Build, resolve, re-resolve and propose on one corpus size; times in seconds."""
    path = folder / f"bench_{mentions}.factdesk"
    build(path, mentions)
    work: Counter[str] = Counter()
    with Store.open(path) as store:
        t0 = time.perf_counter()
        plan = resolve(store)
        t1 = time.perf_counter()
        again = resolve(store)
        t2 = time.perf_counter()
        proposals, t_read, cpu = [], t2, 0.0
        if proposals_too:  # what merge_proposals(store) does, in two timed steps
            entities, distinct = store.entities.list(), store.entities.distinct_pairs()
            t_read, c_read = time.perf_counter(), time.process_time()
            proposals = propose(entities, distinct, work)
            cpu = time.process_time() - c_read
        t3 = time.perf_counter()
        listed = len(store.entities.list())
        t4 = time.perf_counter()
    return {
        "mentions": mentions,
        "linked": plan.assigned,
        "entities": len(plan.new_entities),
        "resolve_s": t1 - t0,
        "re_resolve_s": t2 - t1,
        "re_resolve_changes": len(again.moves),
        "proposals": len(proposals),
        "proposals_s": t3 - t2,
        "proposals_read_s": t_read - t2,
        "proposals_rules_s": t3 - t_read,
        "proposals_rules_cpu_s": cpu,  # this process only: steadier on a busy machine
        "proposal_comparisons": sum(work[k] for k in COMPARISONS),
        "list_entities": listed,
        "list_s": t4 - t3,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k / 20k / 40k mentions")
    parser.add_argument("--no-proposals", action="store_true", help="time resolution only")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = parser.parse_args(argv)
    sizes = [10_000, 20_000, 40_000] if args.quick else [50_000, 100_000, 200_000]
    folder = Path(tempfile.mkdtemp(prefix="factdesk-bench-entities-"))
    started = time.perf_counter()
    results = []
    try:
        for size in sizes:
            figures = measure(folder, size, not args.no_proposals)
            results.append(figures)
            for name, value in figures.items():
                emit(
                    f"{name}_{size // 1000}k", f"{value:.3f}" if isinstance(value, float) else value
                )
        timed = ["resolve_s"]
        if not args.no_proposals:
            timed += ["proposals_s", "proposals_rules_s", "proposals_rules_cpu_s"]
        base = results[0]
        for r in results[1:]:
            label = f"{r['mentions'] // 1000}k_vs_{base['mentions'] // 1000}k"
            size_ratio = r["mentions"] / base["mentions"]
            for key in timed:
                ratio = r[key] / base[key] if base[key] else float("nan")
                emit(f"{key[:-2]}_time_ratio_{label}", f"{ratio:.2f} (size x{size_ratio:.0f})")
                emit(f"{key[:-2]}_per_mention_growth_{label}", f"{ratio / size_ratio:.2f}")
        if results[-1]["mentions"] == 200_000:
            for key in timed:
                if key in TARGETS_200K_S:
                    measured = results[-1][key]
                    emit(
                        f"target_{key[:-2]}_200k_s",
                        f"{TARGETS_200K_S[key]} (measured {measured:.2f})",
                    )
    finally:
        close_run(started, folder, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
