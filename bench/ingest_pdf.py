"""bench/ingest.py --pdf: importing generated PDF reports against pdfminer.six's own text
extraction of the same files, and the peak memory of importing one 500-page report.

Each side runs in a fresh child process (the other side's caches and the import of its
modules stay out), alternating; each child reports its own peak RSS (VmHWM).
"""

from __future__ import annotations

import itertools
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from figures import emit
from seed_text import paragraph_pool

ROOT = Path(__file__).resolve().parent.parent
RATIO_TARGET = 1.3
MEMORY_TARGET_MB = 300
PAGES_PER_REPORT = 5
LONG_PAGES = 500
HEADER = "Regional Cooperation Monitor | Quarterly report"

# A child's own peak RSS in KiB: VmHWM belongs to the memory of the program exec'd, where
# the rusage of a child (ru_maxrss) starts from the parent's size at fork.
_HWM = """
def HWM():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
# What each child runs: the file list comes on argv, the figures go to stdout.
_OURS = """
import sys, time
from pathlib import Path
from desktop.core.store import Store
from desktop.core.ingest.importer import ingest
paths = [Path(p) for p in sys.argv[2:]]
with Store.open(Path(sys.argv[1])) as store:
    wall, cpu = time.perf_counter(), time.process_time()
    kinds = [event.kind for event in ingest(store, paths)]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
assert kinds.count("imported") == len(paths), kinds
print(wall, cpu, HWM())
"""
_LIBRARY = """
import sys, time
from pdfminer.high_level import extract_text
paths = sys.argv[2:]
wall, cpu = time.perf_counter(), time.process_time()
chars = sum(len(extract_text(path)) for path in paths)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
assert chars > 0
print(wall, cpu, HWM())
"""
OURS = _HWM + _OURS
LIBRARY = _HWM + _LIBRARY


def write_report(path: Path, paragraphs: list[str], pages: int, title: str) -> None:
    """A report of about `pages` pages: a title, headings, body paragraphs, a running
    header and a page number on every page."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()

    def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, doc.pagesize[1] - 36, HEADER)
        canvas.drawCentredString(doc.pagesize[0] / 2, 30, f"Page {doc.page}")

    story = [Paragraph(title, styles["Title"])]
    # about 400 words a page (a page of BodyText on A4 holds some 600), then a page break:
    # the report has exactly `pages` pages
    source = itertools.cycle(paragraphs)
    for page in range(pages):
        if page:
            story.append(PageBreak())
        if page % 3 == 1:
            story.append(Paragraph(f"Section {page // 3 + 1}", styles["Heading2"]))
        words = 0
        while words < 400:
            paragraph = next(source)
            story.append(Paragraph(paragraph, styles["BodyText"]))
            words += len(paragraph.split())
    doc = SimpleDocTemplate(str(path), title=title, author="Bench")
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)


def build_reports(folder: Path, count: int, pages: int, seed: int) -> list[Path]:
    """`count` reports of about `pages` pages each, their paragraphs drawn from the seeds."""
    folder.mkdir(parents=True, exist_ok=True)
    pool = paragraph_pool()
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        paragraphs = [rng.choice(pool) for _ in range(pages * 12)]
        path = folder / f"report_{index:04d}.pdf"
        write_report(path, paragraphs, pages, f"Cooperation report {index}")
        paths.append(path)
    return paths


def child(code: str, project: Path, paths: list[Path]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one fresh process doing the work."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", code, str(project), *map(str, paths)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"child failed ({done.returncode}): {done.stderr[-400:]}")
    wall, cpu, peak_kib = done.stdout.split()[-3:]
    return float(wall), float(cpu), int(peak_kib) / 1024


def _spread(runs: list[float]) -> str:
    return f"min {min(runs):.2f} median {statistics.median(runs):.2f}"


def bench_pdf(work: Path, quick: bool, rounds: int) -> None:
    """Print the PDF figures."""
    count = 40 if quick else 200
    started = time.perf_counter()
    reports = build_reports(work / "reports", count, PAGES_PER_REPORT, seed=1926)
    emit("pdf_reports", count)
    emit("pdf_pages_per_report", PAGES_PER_REPORT)
    emit("pdf_bytes_total", sum(p.stat().st_size for p in reports))
    emit("pdf_generate_s", f"{time.perf_counter() - started:.1f}")
    ours: list[tuple[float, float, float]] = []
    library: list[tuple[float, float, float]] = []
    for number in range(max(3, rounds)):  # alternating; the machine is shared: min of 3
        ours.append(child(OURS, work / f"pdf_{number}.factdesk", reports))
        library.append(child(LIBRARY, work / f"pdf_{number}.factdesk", reports))
    emit("pdf_ours_wall_s", _spread([run[0] for run in ours]))
    emit("pdf_pdfminer_wall_s", _spread([run[0] for run in library]))
    emit("pdf_ours_cpu_s", _spread([run[1] for run in ours]))
    emit("pdf_pdfminer_cpu_s", _spread([run[1] for run in library]))
    emit("pdf_pages_per_s_ours", f"{count * PAGES_PER_REPORT / min(r[0] for r in ours):.1f}")
    cpu_ratio = min(r[1] for r in ours) / min(r[1] for r in library)
    wall_ratio = min(r[0] for r in ours) / min(r[0] for r in library)
    emit("pdf_ratio", f"{cpu_ratio:.2f} (CPU time; target <= {RATIO_TARGET})")
    emit("pdf_ratio_wall", f"{wall_ratio:.2f}")

    long_pdf = work / "long.pdf"
    pool = paragraph_pool()
    write_report(long_pdf, pool, LONG_PAGES, "A long report")
    from pdfminer.pdfpage import PDFPage

    with long_pdf.open("rb") as fh:
        emit("pdf_long_pages", sum(1 for _ in PDFPage.get_pages(fh)))
    took, _cpu, peak = child(OURS, work / "long.factdesk", [long_pdf])
    lib_took, _lib_cpu, lib_peak = child(LIBRARY, work / "long.factdesk", [long_pdf])
    emit("pdf_long_ours_s", f"{took:.1f}")
    emit("pdf_long_pdfminer_s", f"{lib_took:.1f}")
    emit("pdf_long_peak_rss_mb", f"{peak:.0f} (target < {MEMORY_TARGET_MB})")
    emit("pdf_long_pdfminer_peak_rss_mb", f"{lib_peak:.0f}")
