"""Shared-project figures (issue 17), PostgreSQL against SQLite in the same run.

1. Import N annotated documents (Prodigy JSONL, bench/import_data.py) and export them
   (Prodigy JSONL) on a throwaway PostgreSQL server and in an SQLite file: seconds, ratio.
2. Project open and first screen (the window shows its first document) on a shared
   project of M documents: seconds (target < 1 s).
3. Edit latency (accept/unaccept one mention) with a second client writing concurrently:
   median and p95 ms (target median < 30 ms).
4. Time for an edit to reach the other client's change feed (NOTIFY -> its callback):
   median and p95 ms.

    python bench/team.py            # N = 2,000, M = 20,000
    python bench/team.py --quick    # N = 300,  M = 2,000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from import_data import write_prodigy  # noqa: E402
from pg_server import PgServer, find_bindir  # noqa: E402

from desktop.core.formats.imports import import_file  # noqa: E402
from desktop.core.formats.run import run_export  # noqa: E402
from desktop.core.formats.selection import Selection  # noqa: E402
from desktop.core.store import Store  # noqa: E402
from desktop.core.store.changefeed import ChangeFeed  # noqa: E402

ALL = Selection(statuses=frozenset({"accepted", "proposed"}))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def import_export(location: str, data: Path, out: Path) -> tuple[float, float]:
    with Store.open(location) as store:
        began = time.perf_counter()
        import_file(store, "prodigy", data)
        imported = time.perf_counter() - began
        began = time.perf_counter()
        run_export(store, "jsonl", out, ALL)
        exported = time.perf_counter() - began
    return imported, exported


def open_first_screen(location: str) -> float:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.errors import ErrorReporter
    from desktop.ui.jobs import PipelineHolder
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(ErrorReporter(), PipelineHolder())
    window.show()
    app.processEvents()
    began = time.perf_counter()
    window.open_project(location)
    while window.controller.document_id is None:
        app.processEvents()
    app.processEvents()
    seconds = time.perf_counter() - began
    window.runner.shutdown()
    window.close()
    return seconds


def edit_latency(location: str, edits: int) -> list[float]:
    with Store.open(location) as mine, Store.open(location) as theirs:
        ids = [m.id for d in mine.documents.ids()[:20] for m in mine.mentions.for_document(d)]
        half = len(ids) // 2
        stop = threading.Event()
        others = 0

        def other_client() -> None:
            nonlocal others
            i = 0
            while not stop.is_set():
                mid = ids[half + i % (len(ids) - half)]
                theirs.mentions.set_status(mid, "accepted" if i % 2 else "proposed")
                others += 1
                i += 1

        thread = threading.Thread(target=other_client)
        thread.start()
        times = []
        try:
            for i in range(edits):
                began = time.perf_counter()
                mine.mentions.set_status(ids[i % half], "accepted" if i % 2 == 0 else "proposed")
                times.append((time.perf_counter() - began) * 1000)
        finally:
            stop.set()
            thread.join()
        print(f"  (the other client wrote {others} edits meanwhile)")
        return times


def propagation(location: str, edits: int) -> list[float]:
    with Store.open(location) as writer, Store.open(location) as reader:
        ids = [m.id for m in writer.mentions.for_document(writer.documents.ids()[0])]
        arrived = threading.Event()
        feed = ChangeFeed(reader.engine, lambda _change: arrived.set())
        feed.start()
        time.sleep(0.5)
        times = []
        try:
            for i in range(edits):
                arrived.clear()
                began = time.perf_counter()
                writer.mentions.set_status(ids[i % len(ids)], "accepted" if i % 2 else "rejected")
                if arrived.wait(5):
                    times.append((time.perf_counter() - began) * 1000)
        finally:
            feed.stop()
        return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    n, m = (300, 2_000) if args.quick else (2_000, 20_000)
    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL is not installed (apt-get install postgresql)")
        return 1
    server = PgServer(bindir)
    server.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            data = work / "data.jsonl"
            spans, relations = write_prodigy(data, n)
            print(
                f"1. import + export of {n} annotated documents ({spans} spans, {relations} relations)"  # noqa: E501
            )
            lite = import_export(str(work / "p.factdesk"), data, work / "lite.jsonl")
            pg = import_export(server.create_database(), data, work / "pg.jsonl")
            for what, a, b in (("import", lite[0], pg[0]), ("export", lite[1], pg[1])):
                print(f"  {what}: SQLite {a:.2f} s, PostgreSQL {b:.2f} s, ratio {b / a:.2f}")

            big = server.create_database()
            many = work / "many.jsonl"
            write_prodigy(many, m, seed=7)
            began = time.perf_counter()
            with Store.open(big) as store:
                import_file(store, "prodigy", many)
            print(
                f"2. shared project of {m} documents built in {time.perf_counter() - began:.1f} s"
            )
            opens = [open_first_screen(big) for _ in range(3)]
            print(
                f"  open and first screen: {min(opens):.2f} s best, {statistics.median(opens):.2f} s median of 3 (target < 1 s)"  # noqa: E501
            )

            times = edit_latency(big, 60 if args.quick else 200)
            print(
                f"3. edit latency, another client writing: median {statistics.median(times):.1f} ms, p95 {pct(times, 0.95):.1f} ms (target median < 30 ms)"  # noqa: E501
            )

            seen = propagation(big, 30 if args.quick else 100)
            print(
                f"4. edit to the other client: median {statistics.median(seen):.1f} ms, p95 {pct(seen, 0.95):.1f} ms ({len(seen)} edits)"  # noqa: E501
            )
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
