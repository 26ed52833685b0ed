"""Benchmark: the project gazetteer (names the analyst confirmed, remembered rejections).

Run with `.venv/bin/python bench/gazetteer.py [--quick] [--keep]`; prints `name: value`
lines, never asserts, exits 0. Only the development part of the genre corpus is read
(tests/data/genre/dev), never the held-out part.

1. Throughput: every dev article extracted (model, rules, facts, one process) without
   the gazetteer, and with one of 1,000 and of 10,000 names (invented names, plus the
   gold names of the corpus so that matches happen), in alternating rounds; min and median
   per variant and the ratio of medians against the run without it in the same rounds.
2. The simulated analyst: in N dev articles (seeded shuffle) every proposal whose folded
   text and label is a gold entity of the article is accepted, every other one rejected,
   and gold entities nobody proposed are added by hand; the other articles are extracted
   again. Entity F1 (a gold entity counts as found when a non-rejected proposal of the
   article has its folded text and label, as tests/data/genre/README.md says) on the
   articles never reviewed, base pipeline against base + what the project learned, over
   all labels and over PERSON/ORG/GPE.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures import close_run, emit  # noqa: E402

from desktop.core.entities.keys import entity_key, kind_of  # noqa: E402
from desktop.core.entities.resolve import resolve  # noqa: E402
from desktop.core.ingest.importer import ingest  # noqa: E402
from desktop.core.learning import learned as learning  # noqa: E402
from desktop.core.learning.names import ADDED, CONFIRMED, KnownName, ProjectKnowledge  # noqa: E402
from desktop.core.nlp.extract import extract  # noqa: E402
from desktop.core.nlp.pipeline import load_pipeline  # noqa: E402
from desktop.core.store import Store  # noqa: E402

DEV = ROOT / "tests" / "data" / "genre" / "dev"
SIZES = (1_000, 10_000)
CORE = ("PERSON", "ORG", "GPE")
FAMILY = ["Nguyen", "Tran", "Somchai", "Phommachanh", "Wang", "Santoso", "Rahman", "Keo", "Lim"]
GIVEN = ["Thi", "Van", "Bounmy", "Siti", "Arun", "Dara", "Mei", "Haryo", "Rizal", "Chanthy"]
ORG_HEAD = ["Ministry of", "Council for", "Bank of", "Institute of", "Authority for"]
TOPIC = ["Rice Trade", "Ports", "Digital Economy", "Fisheries", "Rail", "Energy", "Seeds"]


def gold_entities() -> dict[str, set[tuple[str, str]]]:
    """document -> {(folded key, label)} of the dev gold entities."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for line in (DEV / "entities.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["document"]].add((entity_key(row["text"]), row["label"]))
    return out


def gold_texts() -> dict[str, list[tuple[str, str]]]:
    """document -> [(text, label)] as written in the gold."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in (DEV / "entities.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["document"]].append((row["text"], row["label"]))
    return out


def invented_names(count: int, rng: random.Random) -> list[KnownName]:
    """`count` names that do not occur in the corpus, of the three core labels."""
    out = []
    for n in range(count):
        if n % 3 == 0:
            text, label = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}{n}", "PERSON"
        elif n % 3 == 1:
            text, label = f"{rng.choice(ORG_HEAD)} {rng.choice(TOPIC)} {n}", "ORG"
        else:
            text, label = f"Ban {rng.choice(FAMILY)}{n}", "GPE"
        out.append(KnownName(entity_key(text), label, text, n + 1, ADDED))
    return out


def project(work: Path, pipeline) -> Path:  # type: ignore[no-untyped-def]
    """The dev articles ingested and extracted once, without any learning."""
    path = work / "dev.factdesk"
    with Store.open(path) as store:
        for _event in ingest(store, [p for p in sorted(DEV.glob("*.txt"))]):
            pass
        list(extract(store, pipeline, learned=learning.nothing()))
        resolve(store)
    return path


def throughput(path: Path, pipeline, rounds: int) -> None:  # type: ignore[no-untyped-def]
    """Extraction time of every article without and with gazetteers of SIZES names."""
    rng = random.Random(16)
    tokenizer = pipeline.nlp.tokenizer
    texts = [(text, label) for pairs in gold_texts().values() for text, label in pairs]
    gold = [
        KnownName(entity_key(t), lab, t, None, CONFIRMED, 1) for t, lab in texts if kind_of(lab)
    ]  # names of entities only, as the project learns them
    variants = {"without": learning.nothing()}
    for size in SIZES:
        known = {(n.key.replace(" ", ""), n.label): n for n in gold}  # as the patterns dedupe
        for n in invented_names(size, rng):
            if len(known) >= size:
                break
            known.setdefault((n.key, n.label), n)
        knowledge = ProjectKnowledge(names={(n.key, n.label): n for n in known.values()})
        started = time.perf_counter()
        variants[f"names_{size}"] = learning.build(knowledge, learning.splitter(tokenizer))
        emit(f"gazetteer_build_{size}_s", f"{time.perf_counter() - started:.3f}")
        emit(f"gazetteer_patterns_{size}", len(variants[f"names_{size}"].gazetteer))
    times: dict[str, list[float]] = defaultdict(list)
    with Store.open(path) as store:
        documents = store.documents.count()
        characters = sum(i.length for i in store.documents.infos(store.documents.ids()))
        for _round in range(rounds):
            for name, learned in variants.items():
                started = time.perf_counter()
                list(extract(store, pipeline, everything=True, learned=learned))
                times[name].append(time.perf_counter() - started)
    emit("throughput_documents", documents)
    emit("throughput_characters", characters)
    emit("throughput_rounds", rounds)
    base = statistics.median(times["without"])
    for name, found in times.items():
        median = statistics.median(found)
        emit(f"extract_{name}_min_s", f"{min(found):.2f}")
        emit(f"extract_{name}_median_s", f"{median:.2f}")
        emit(f"extract_{name}_chars_per_s", f"{characters / median:,.0f}")
        if name != "without":
            emit(f"extract_{name}_ratio_vs_without", f"{median / base:.3f}")


def review(store: Store, doc_id: int, gold: list[tuple[str, str]]) -> tuple[int, int, int]:
    """Accept the gold, reject the rest, add the gold nobody proposed; the counts."""
    wanted = {(entity_key(t), lab) for t, lab in gold}
    seen: set[tuple[str, str]] = set()
    accepted = rejected = added = 0
    for m in store.mentions.for_document(doc_id):
        key = (entity_key(m.text), m.label)
        if key in wanted:
            store.mentions.set_status(m.id, "accepted")
            seen.add(key)
            accepted += 1
        else:
            store.mentions.set_status(m.id, "rejected")
            rejected += 1
    record = store.documents.get(doc_id)
    assert record is not None
    taken = {(m.start, m.end) for m in store.mentions.for_document(doc_id)}
    for text, label in gold:
        key = (entity_key(text), label)
        if key in seen:
            continue
        start = record.text.find(text)
        if start < 0 or any(s < start + len(text) and start < e for s, e in taken):
            continue
        store.mentions.add(doc_id, start, start + len(text), label)
        taken.add((start, start + len(text)))
        seen.add(key)
        added += 1
    return accepted, rejected, added


def scores(
    store: Store, ids: list[int], sources: dict[int, str], gold: dict[str, set]
) -> dict[str, tuple[float, float, float]]:
    """(precision, recall, F1) over all labels and over the core ones, on these documents."""
    counts = {"all": [0, 0, 0], "core": [0, 0, 0]}  # true positives, predicted, gold
    for doc_id in ids:
        want = gold.get(sources[doc_id], set())
        got = {
            (entity_key(m.text), m.label)
            for m in store.mentions.for_document(doc_id)
            if m.status != "rejected"
        }
        for part, keep in (("all", lambda _k: True), ("core", lambda k: k[1] in CORE)):
            w = {k for k in want if keep(k)}
            g = {k for k in got if keep(k)}
            counts[part][0] += len(w & g)
            counts[part][1] += len(g)
            counts[part][2] += len(w)
    out = {}
    for part, (tp, predicted, total) in counts.items():
        p = tp / predicted if predicted else 0.0
        r = tp / total if total else 0.0
        out[part] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def found_keys(store: Store, ids: list[int], sources: dict[int, str]) -> set[tuple[str, str, str]]:
    """(document, key, label) of every non-rejected mention of these documents."""
    return {
        (sources[doc_id], entity_key(m.text), m.label)
        for doc_id in ids
        for m in store.mentions.for_document(doc_id)
        if m.status != "rejected"
    }


def simulated_loop(path: Path, work: Path, pipeline, sizes: tuple[int, ...], show: bool) -> None:  # type: ignore[no-untyped-def]
    """Review N articles by the gold, extract the others again, score both ways."""
    gold, texts = gold_entities(), gold_texts()
    with Store.open(path) as store:
        ids = store.documents.ids()
        sources = {i.id: i.source for i in store.documents.infos(ids)}
    order = sorted(ids, key=lambda i: sources[i])
    random.Random(16).shuffle(order)
    nothing = learning.nothing()
    for n in sizes:
        copy = work / f"loop_{n}.factdesk"
        shutil.copyfile(path, copy)
        reviewed, rest = order[:n], order[n:]
        with Store.open(copy) as store:
            # the base read again now, as the learned run will be (same code, same moment)
            list(extract(store, pipeline, document_ids=rest, everything=True, learned=nothing))
            base = scores(store, rest, sources, gold)
            before = found_keys(store, rest, sources)
            decided = [0, 0, 0]
            for doc_id in reviewed:
                for i, c in enumerate(review(store, doc_id, texts.get(sources[doc_id], []))):
                    decided[i] += c
            resolve(store)
            started = time.perf_counter()
            list(extract(store, pipeline, document_ids=rest, everything=True))
            resolve(store)
            elapsed = time.perf_counter() - started
            knowledge = learning.names.load(store)
            after = scores(store, rest, sources, gold)
            now = found_keys(store, rest, sources)
            project = sum(
                1
                for doc_id in rest
                for m in store.mentions.for_document(doc_id)
                if m.origin == "project"
            )
        emit(f"loop_{n}_reviewed_accepted_rejected_added", "/".join(map(str, decided)))
        emit(f"loop_{n}_known_names", len(knowledge.names))
        emit(f"loop_{n}_remembered_rejections", len(knowledge.rejections))
        emit(f"loop_{n}_unreviewed_documents", len(rest))
        emit(f"loop_{n}_project_mentions", project)
        emit(f"loop_{n}_reextract_s", f"{elapsed:.1f}")
        if show:
            wanted = {(d, k, lab) for d, pairs in gold.items() for k, lab in pairs}
            for tag, keys in (
                ("LOST", (before - now) & wanted),
                ("GAINED", (now - before) & wanted),
            ):
                for doc, key, label in sorted(keys):
                    print(f"{tag} {n}\t{doc}\t{label}\t{key}")
            for doc, key, label in sorted((now - before) - wanted):
                print(f"WRONG {n}\t{doc}\t{label}\t{key}")
        for part in ("all", "core"):
            (bp, br, bf), (ap, ar, af) = base[part], after[part]
            emit(f"loop_{n}_{part}_base_p_r_f1", f"{bp:.3f}/{br:.3f}/{bf:.3f}")
            emit(f"loop_{n}_{part}_gazetteer_p_r_f1", f"{ap:.3f}/{ar:.3f}/{af:.3f}")
            emit(f"loop_{n}_{part}_f1_points_gained", f"{100 * (af - bf):+.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="one throughput round, N = 5, 20")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--misses", action="store_true", help="print gold lost and gained")
    parser.add_argument("--no-throughput", action="store_true", help="the loop only")
    args = parser.parse_args()
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="factdesk-gazetteer-"))
    pipeline = load_pipeline()
    emit("pipeline", pipeline.info.label)
    path = project(work, pipeline)
    if not args.no_throughput:
        throughput(path, pipeline, rounds=1 if args.quick else 3)
    sizes = (5, 20) if args.quick else (5, 10, 20)
    simulated_loop(path, work, pipeline, sizes, args.misses)
    close_run(started, work, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
