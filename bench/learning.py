"""Benchmark: what training a project model on reviewed documents brings (issue 16).

Run with `.venv/bin/python bench/learning.py [--quick] [--keep]`; prints `name: value` lines
and never asserts (exit 0). A simulated analyst works on the genre corpus's dev part
(tests/data/genre/dev, never the held-out part): the corpus is imported and extracted with
the shipped model, a seeded shuffle sets TEST documents aside, and for each N the analyst
reviews the first N of the others (accepts the proposals that are gold entities, rejects
the other proposals of the gold labels, adds the gold names the pipeline missed, marks the
document done; other labels stay proposed), then `train(store)` fine-tunes the model. Every
model is scored on the TEST documents, never reviewed, the way tests/data/genre/README.md
scores entities: a gold entity counts as found when a mention in that document has the same
folded text and label; precision counts the distinct predicted (text, label) pairs of the
gold labels. Columns: `base` (shipped model and rules), `gazetteer` (the same with the names
the project learned from the review, when desktop/core/learning/gazetteer.py is there) and
`project` (the project model with the rules) and `project+names` (the project model with
the project's names: what extraction runs once the analyst chooses the new model).

Then the training of the largest N (N = 20 with --quick) is timed against
`python -m spacy train` with the same config and DocBin files (`factdesk train` and
spaCy's command, each in a child process, alternated; the ratio of the fastest of each),
and peak memory is printed; besides the whole commands, the ratio without our scoring of
both models (a step spaCy's command has no counterpart for) is printed. Every figure is
the mean over three seeded shuffles (16 test documents each: one shuffle's 8 made a label's
F1 swing by 14 points on one entity). `--quick` runs N = 20 only and one timing round; the
full run N = 5, 10, 20, 40 and three timing rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for entry in (ROOT, ROOT / "bench"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from figures import emit, peak_rss_mb  # noqa: E402

from desktop.core.folding import fold  # noqa: E402
from desktop.core.ingest.importer import ingest  # noqa: E402
from desktop.core.learning.training import TrainResult, train  # noqa: E402
from desktop.core.nlp.extract import extract  # noqa: E402
from desktop.core.nlp.pipeline import ENTITY_EXCLUDE, Pipeline, load_pipeline  # noqa: E402
from desktop.core.store import Store  # noqa: E402

DEV = ROOT / "tests" / "data" / "genre" / "dev"
LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "MONEY", "PERCENT")
MAIN = ("PERSON", "ORG", "GPE")
TEST = 16  # documents set aside in each shuffle, never reviewed (nor rehearsed on)
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
Pairs = dict[str, set[tuple[str, str]]]  # document -> (folded text, label)


def folded(text: str) -> str:
    """The README's matching key: case and diacritics folded, a leading "the" and a
    trailing "'s" dropped."""
    text = re.sub(r"'s$", "", fold(text).strip().rstrip(".,;:"))
    words = _TOKEN_RE.findall(text)
    words = words[1:] if words[:1] == ["the"] and len(words) > 1 else words
    return " ".join(words)


def gold_pairs() -> tuple[Pairs, dict[str, list[tuple[str, str]]]]:
    """(folded gold pairs, the gold names as written) per document."""
    pairs: Pairs = defaultdict(set)
    written: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in (DEV / "entities.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            pairs[e["document"]].add((folded(e["text"]), e["label"]))
            written[e["document"]].append((e["text"], e["label"]))
    return pairs, written


def copy_project(source: Path, target: Path) -> None:
    """A consistent copy of a project file (SQLite's backup: the WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def review(  # type: ignore[no-untyped-def]
    store: Store,
    doc_id: int,
    gold: set[tuple[str, str]],
    names: list[tuple[str, str]],
    labels: tuple[str, ...] = LABELS,
):
    """The simulated analyst on one document (see the module docstring), reviewing the
    proposals of `labels` and adding the gold names of `labels` that were missed."""
    text = store.documents.get(doc_id).text
    kept: list[tuple[int, int]] = []
    names = [(name, label) for name, label in names if label in labels]
    for m in store.mentions.for_document(doc_id):
        if m.label not in labels or m.status != "proposed":
            continue
        if (folded(m.text), m.label) in gold:
            store.mentions.set_status(m.id, "accepted")
            kept.append((m.start, m.end))
        else:
            store.mentions.set_status(m.id, "rejected")
    for name, label in sorted(names, key=lambda n: -len(n[0])):
        for hit in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            s, e = hit.span()
            if not any(a < e and s < b for a, b in kept):
                store.mentions.add(doc_id, s, e, label)
                kept.append((s, e))
    store.learning.mark_done([doc_id])


def predicted(pipeline: Pipeline, texts: dict[str, str]) -> Pairs:
    """What a pipeline finds in each document, as folded pairs of the gold labels."""
    return {
        name: {(folded(e.text), e.label_) for e in pipeline.nlp(text).ents if e.label_ in LABELS}
        for name, text in texts.items()
    }


def from_store(store: Store, ids: dict[str, int]) -> Pairs:
    """The not rejected mentions of the documents in a project, as folded pairs."""
    return {
        name: {
            (folded(m.text), m.label)
            for m in store.mentions.for_document(doc_id)
            if m.label in LABELS and m.status != "rejected"
        }
        for name, doc_id in ids.items()
    }


def f1(gold: Pairs, found: Pairs, labels: tuple[str, ...]) -> float:
    """Micro F1 (0-100) over the documents, for some labels."""
    right = pred = true = 0
    for name, pairs in gold.items():
        g = {p for p in pairs if p[1] in labels}
        f = {p for p in found.get(name, set()) if p[1] in labels}
        right, pred, true = right + len(g & f), pred + len(f), true + len(g)
    p = right / pred if pred else 0.0
    r = right / true if true else 0.0
    return 200 * p * r / (p + r) if p + r else 0.0


def gazetteer_available() -> bool:
    """Whether the project's own names are applied at extraction (the other half of #16)."""
    return (ROOT / "desktop" / "core" / "learning" / "gazetteer.py").is_file()


def scores(gold: Pairs, found: Pairs) -> dict[str, float]:
    """F1 per label, on PERSON/ORG/GPE and on all gold labels."""
    out = {label: f1(gold, found, (label,)) for label in LABELS}
    out["main"] = f1(gold, found, MAIN)
    out["all"] = f1(gold, found, LABELS)
    return out


def one_shuffle(
    seed: int, sizes: list[int], master: Path, ids: dict[str, int], work: Path, base: Pipeline
) -> tuple[dict[str, dict[int | str, dict[str, float]]], dict[int, tuple[Path, Path]]]:
    """The learning curve of one shuffle: column -> N -> scores; and each N's data folder
    and project (for the timing)."""
    gold, written = gold_pairs()
    names = sorted(ids)
    random.Random(seed).shuffle(names)
    test, pool = names[:TEST], names[TEST:]
    with Store.open(master) as store:
        texts = {n: store.documents.get(ids[n]).text for n in test}
    test_gold = {n: gold[n] for n in test}
    curve: dict[str, dict[int | str, dict[str, float]]] = defaultdict(dict)
    curve["base"][0] = scores(test_gold, predicted(base, texts))
    kept: dict[int, tuple[Path, Path]] = {}
    for n in sizes:
        project_file = work / f"s{seed}_n{n}.factdesk"
        copy_project(master, project_file)
        data = work / f"s{seed}_n{n}_data"
        with Store.open(project_file) as store:
            for name in pool[:n]:
                review(store, ids[name], gold[name], written[name])
            t0 = time.perf_counter()
            result = [
                s for s in train(store, base=base, keep_data=data) if isinstance(s, TrainResult)
            ]
            seconds = time.perf_counter() - t0
            model = result[0].model
            project = load_pipeline(exclude=ENTITY_EXCLUDE, model=model.path)
            curve["project"][n] = scores(test_gold, predicted(project, texts))
            curve["project"][n]["train_s"] = seconds
            curve["project"][n]["loop_s"] = result[0].training_seconds
            curve["project"][n]["docs"] = len(model.training_documents)
            if gazetteer_available():  # extraction as the app runs it, with the project's names
                test_ids = {t: ids[t] for t in test}
                for column, pipeline in (("gazetteer", base), ("project+names", project)):
                    todo = list(test_ids.values())
                    list(extract(store, pipeline, document_ids=todo, everything=True, facts=False))
                    curve[column][n] = scores(test_gold, from_store(store, test_ids))
            del project
        kept[n] = (data, project_file)
    return curve, kept


def run_child(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak resident set size in MiB, exit status) of one child
    process. CPU time is the fairer figure on a shared machine, where wall time also counts
    the time other processes held the cores."""
    t0 = time.perf_counter()
    peak_kb = 0
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        # The child's own high-water mark (VmHWM), read while it runs: its ru_maxrss would
        # count the pages of this (large) process it was forked from.
        status_file = Path(f"/proc/{proc.pid}/status")
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            try:
                for line in status_file.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    return seconds, usage.ru_utime + usage.ru_stime, peak_kb / 1024, proc.returncode


def time_commands(data: Path, project: Path, rounds: int, work: Path) -> dict[str, Any]:
    """`factdesk train` against `python -m spacy train` on the same config and data, in
    child processes, alternated; (fastest of each, their ratio, peak memory of each)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    spacy_cmd = [
        sys.executable, "-m", "spacy", "train", str(data / "ner.cfg"),
        "--code", str(ROOT / "desktop" / "core" / "learning" / "spacy_registry.py"),
        "--paths.train", str(data / "train.spacy"), "--paths.dev", str(data / "dev.spacy"),
        "--output", str(work / "spacy_out"),
    ]  # fmt: skip
    ours_cmd = [sys.executable, "-m", "desktop.cli", "train", "--project", str(project), "--json"]
    times: dict[str, list[float]] = {"factdesk": [], "spacy": [], "factdesk_fit": []}
    cpu: dict[str, list[float]] = {"factdesk": [], "spacy": [], "factdesk_fit": []}
    peaks: dict[str, float] = {"factdesk": 0.0, "spacy": 0.0}
    shutil.rmtree(project.with_name(project.name + ".models"), ignore_errors=True)
    for turn in range(rounds):
        order = [("factdesk", ours_cmd), ("spacy", spacy_cmd)]
        for name, cmd in order if turn % 2 == 0 else order[::-1]:
            log = work / f"{name}_{turn}.log"
            seconds, cpu_seconds, peak, code = run_child(cmd, env, log)
            times[name].append(seconds)
            cpu[name].append(cpu_seconds)
            peaks[name] = max(peaks[name], peak)
            if code != 0:
                emit(f"{name}_train_failed", log.read_text().strip().splitlines()[-1:])
            elif name == "factdesk":  # the command less its scoring of both models
                text = log.read_text()
                report, _end = json.JSONDecoder().raw_decode(text[text.index('{\n  "model"') :])
                times["factdesk_fit"].append(seconds - report["evaluate_seconds"])
                cpu["factdesk_fit"].append(cpu_seconds - report["evaluate_cpu_seconds"])
    best = {k: min(v) for k, v in times.items()}
    best_cpu = {k: min(v) for k, v in cpu.items()}
    return {
        "best": best,
        "ratio": best["factdesk"] / best["spacy"],
        "cpu": best_cpu,
        "cpu_ratio": best_cpu["factdesk"] / best_cpu["spacy"],
        "fit_ratio": best["factdesk_fit"] / best["spacy"],
        "fit_cpu_ratio": best_cpu["factdesk_fit"] / best_cpu["spacy"],
        "peaks": peaks,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 20 only, one timing round")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="factdesk-bench-learning-"))
    assert "heldout" not in str(DEV)
    files = sorted(DEV.glob("*.txt"))
    base = load_pipeline(exclude=ENTITY_EXCLUDE)
    master = work / "master.factdesk"
    with Store.open(master) as store:
        list(ingest(store, files))
        ids = {info.source: info.id for info in store.documents.page()}
        list(extract(store, base, facts=False))
    pool = len(ids) - TEST
    sizes = sorted({n for n in (5, 10, 20, 40) if n < pool} | {pool})
    if args.quick:  # the target's N = 20, averaged over three shuffles
        sizes = [20]
    emit("corpus", f"{len(ids)} dev documents, {TEST} never reviewed, up to {pool} reviewed")
    emit("gazetteer_column", "yes" if gazetteer_available() else "no (module not there)")
    seeds = [13, 14, 15]
    curves = []
    timed: dict[int, tuple[Path, Path]] = {}
    for seed in seeds:
        curve, kept = one_shuffle(seed, sizes, master, ids, work, base)
        curves.append(curve)
        timed = timed or kept
    columns = ["base", "project"]
    if gazetteer_available():
        columns = ["base", "gazetteer", "project", "project+names"]
    print(
        f"\n{'N':>4} {'docs':>5} "
        + " ".join(f"{c + ' main':>18} {c + ' all':>17}" for c in columns)
    )
    for n in sizes:
        row = [f"{n:>4}", f"{_mean(curves, 'project', n, 'docs'):>5.0f}"]
        for c in columns:
            key: int | str = 0 if c == "base" else n
            row += [
                f"{_mean(curves, c, key, 'main'):>18.1f}",
                f"{_mean(curves, c, key, 'all'):>17.1f}",
            ]
        print(" ".join(row))
    print()
    for n in sizes:
        gain = _mean(curves, "project", n, "main") - _mean(curves, "base", 0, "main")
        emit(f"n{n}_project_minus_base_main_f1", f"{gain:+.1f}")
        if gazetteer_available():
            both = _mean(curves, "project+names", n, "main") - _mean(curves, "base", 0, "main")
            emit(f"n{n}_project_names_minus_base_main_f1", f"{both:+.1f}")
        emit(f"n{n}_train_s", f"{_mean(curves, 'project', n, 'train_s'):.1f}")
        drops = {
            label: _mean(curves, "project", n, label) - _mean(curves, "base", 0, label)
            for label in LABELS
        }
        worst = min(drops, key=lambda k: drops[k])
        emit(f"n{n}_worst_label", f"{worst} {drops[worst]:+.1f}")
        emit(f"n{n}_per_label", " ".join(f"{k}:{v:+.1f}" for k, v in drops.items()))
    emit("bench_peak_rss_mb", f"{peak_rss_mb():.0f}")
    timed_n = 20 if args.quick else max(sizes)  # --quick: the target's N
    emit("timed_reviewed_documents", timed_n)
    timing = time_commands(*timed[timed_n], 1 if args.quick else 3, work)
    emit("factdesk_train_s", f"{timing['best']['factdesk']:.1f}")
    emit("spacy_train_s", f"{timing['best']['spacy']:.1f}")
    emit("train_time_ratio_factdesk_over_spacy", f"{timing['ratio']:.2f}")
    emit("factdesk_train_cpu_s", f"{timing['cpu']['factdesk']:.1f}")
    emit("spacy_train_cpu_s", f"{timing['cpu']['spacy']:.1f}")
    emit("train_cpu_ratio_factdesk_over_spacy", f"{timing['cpu_ratio']:.2f}")
    # Like with like: spaCy's command sets up, trains, scores its NER on dev.spacy once and
    # saves two models; less its own scoring of both models with the rules (a step of its
    # own in the dialog, which spaCy's command has no counterpart for), ours sets up, makes
    # the rehearsal annotations, trains and saves one.
    emit("factdesk_train_without_scoring_s", f"{timing['best']['factdesk_fit']:.1f}")
    emit("train_without_scoring_ratio_factdesk_over_spacy", f"{timing['fit_ratio']:.2f}")
    emit("train_without_scoring_cpu_ratio", f"{timing['fit_cpu_ratio']:.2f}")
    emit("factdesk_train_peak_rss_mb", f"{timing['peaks']['factdesk']:.0f}")
    emit("spacy_train_peak_rss_mb", f"{timing['peaks']['spacy']:.0f}")
    emit("total_s", f"{time.perf_counter() - started:.1f}")
    if args.keep:
        emit("work_dir", work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _mean(curves: list, column: str, n: int | str, key: str) -> float:
    values = [c[column][n][key] for c in curves if n in c.get(column, {})]
    return sum(values) / len(values) if values else float("nan")


if __name__ == "__main__":
    sys.exit(main())
