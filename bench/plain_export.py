"""Plain scripts doing an export's work, the baselines of bench/export.py.

`python bench/plain_export.py FORMAT PROJECT OUT` with FORMAT one of:

- `jsonl`: sqlite3 + json, one line a document with text, spans and meta (the issue's
  "plain script" figure: no tokens);
- `jsonl-tokens`: the same lines as `factdesk export --format jsonl` (tokens from spaCy's
  tokenizer, spans with token offsets, entity and status, relations from facts);
- `spacy`: one spaCy Doc a document from the tokenizer, its spans as `doc.ents`, a seeded
  80/20 split into `train.spacy` and `dev.spacy`;
- `brat`: `.txt` and `.ann` a document (T, A, N, AnnotatorNotes and E lines).

Proposed and accepted items are taken (rejected never), as `--status proposed --status
accepted` asks of the export. No checks beyond what the output needs. A fourth argument,
a document's source name, exports that document alone (as `--document` does).
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

STATUSES = ("proposed", "accepted")
MENTIONS = (
    'SELECT m.document_id, m.id, m.start, m."end", m.label, m.text, m.status, m.origin,'
    " m.entity_id, e.preferred_name, m.note FROM mention m LEFT JOIN entity e"
    " ON e.id = m.entity_id WHERE m.status IN ('proposed', 'accepted')"
    ' ORDER BY m.document_id, m.start, m."end" DESC, m.id'
)
FACTS = (
    "SELECT f.document_id, f.id, f.type, f.evidence_start, f.evidence_end, f.status, f.note"
    " FROM fact f WHERE f.status IN ('proposed', 'accepted')"
    " ORDER BY f.document_id, f.evidence_start, f.id"
)
ARGS = (
    'SELECT a.fact_id, a.role, a.start, a."end", a.text, a.value, m.label FROM factargument a'
    " LEFT JOIN mention m ON m.id = a.mention_id ORDER BY a.fact_id, a.position, a.id"
)


def grouped(rows: Iterator[tuple]) -> Iterator[tuple[int, list[tuple]]]:
    """(first column, rows) runs of rows sorted by their first column."""
    key, run = None, []
    for row in rows:
        if row[0] != key and run:
            yield key, run  # type: ignore[misc]
            run = []
        key = row[0]
        run.append(row[1:])
    if run:
        yield key, run  # type: ignore[misc]


ONLY: list[str] = []  # the fourth argument: one document's source name


def _only(sql: str, column: str) -> str:
    """`sql` restricted to the document named by ONLY."""
    if not ONLY:
        return sql
    where = "WHERE" if " WHERE " not in sql else "AND"
    head, order = sql.split(" ORDER BY ")
    return f"{head} {where} {column} = (SELECT id FROM document WHERE source = ?) ORDER BY {order}"


def documents(conn: sqlite3.Connection) -> Iterator[tuple[int, str, str, str, list, list]]:
    """(id, source, title, text, mentions, facts) of every document with a span or fact."""
    params = tuple(ONLY)
    args: dict[int, list[tuple]] = {}
    args_sql = (
        ARGS.replace(" ORDER BY", " JOIN fact f ON f.id = a.fact_id ORDER BY") if ONLY else ARGS
    )
    for fact_id, *arg in conn.execute(_only(args_sql, "f.document_id"), params):
        args.setdefault(fact_id, []).append(tuple(arg))
    mentions = grouped(conn.cursor().execute(_only(MENTIONS, "m.document_id"), params))
    facts = grouped(conn.cursor().execute(_only(FACTS, "f.document_id"), params))
    next_m, next_f = next(mentions, None), next(facts, None)
    doc_sql = "SELECT id, source, title, text FROM document ORDER BY id"
    for doc_id, source, title, text in conn.cursor().execute(_only(doc_sql, "id"), params):
        ms = fs = []
        if next_m is not None and next_m[0] == doc_id:
            ms, next_m = next_m[1], next(mentions, None)
        if next_f is not None and next_f[0] == doc_id:
            fs = [(*f, args.get(f[0], [])) for f in next_f[1]]
            next_f = next(facts, None)
        if ms or fs:
            yield doc_id, source, title, text, ms, fs


def plain_jsonl(conn: sqlite3.Connection, out: Path) -> None:
    with out.open("w", encoding="utf-8") as fh:
        for _id, source, title, text, ms, _fs in documents(conn):
            spans = [{"start": s, "end": e, "label": lb} for _mid, s, e, lb, *_ in ms]
            line = {"text": text, "spans": spans, "meta": {"source": source, "title": title}}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def tokens_jsonl(conn: sqlite3.Connection, out: Path) -> None:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    with out.open("w", encoding="utf-8") as fh:
        for _id, source, title, text, ms, fs in documents(conn):
            doc = tokenizer(text)
            tokens = [
                {"text": t.text, "start": t.idx, "end": t.idx + len(t), "id": t.i,
                 "ws": bool(t.whitespace_)}
                for t in doc
            ]  # fmt: skip
            starts = {t["start"]: t["id"] for t in tokens}
            ends = {t["end"]: t["id"] for t in tokens}

            def span(s, e, label, starts=starts, ends=ends):  # type: ignore[no-untyped-def]
                if s in starts and e in ends:
                    return {"start": s, "end": e, "token_start": starts[s],
                            "token_end": ends[e], "label": label}  # fmt: skip
                return None

            spans = []
            for mid, s, e, lb, _t, status, origin, eid, name, _note in ms:
                one = span(s, e, lb)
                if one:
                    one.update(status=status, origin=origin, mention_id=mid, entity_id=eid,
                               entity=name)  # fmt: skip
                    spans.append(one)
            rels = []
            for fid, ftype, _s, _e, _st, _note, args in fs:
                on = [(a[0], span(a[1], a[2], a[5] or a[0])) for a in args if a[1] is not None]
                on = [(role, sp) for role, sp in on if sp]
                for role, child in on[1:]:
                    rels.append(
                        {"head": on[0][1]["token_end"], "child": child["token_end"],
                         "head_span": on[0][1], "child_span": child, "label": ftype,
                         "head_role": on[0][0], "child_role": role, "fact_id": fid}
                    )  # fmt: skip
            meta = {"source": source, "title": title, "date": None}
            line = {"text": text, "tokens": tokens, "spans": spans, "relations": rels}
            line["meta"] = meta
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def docbin(conn: sqlite3.Connection, out: Path) -> None:
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    tokenizer = spacy.blank("en").tokenizer
    docs = {}
    for _id, source, _title, text, ms, _fs in documents(conn):
        if not ms:
            continue
        doc = tokenizer(text)
        spans = [doc.char_span(s, e, label=lb) for _mid, s, e, lb, *_ in ms]
        doc.ents = filter_spans([s for s in spans if s is not None])
        doc.user_data.update({"source": source, "start": 0})
        docs[(source, 0)] = doc
    keys = sorted(docs)
    random.Random(13).shuffle(keys)
    dev = set(keys[: round(len(keys) * 0.2)])
    out.mkdir(parents=True, exist_ok=True)
    for name, wanted in (("train", False), ("dev", True)):
        part = [docs[k] for k in sorted(docs) if (k in dev) == wanted]
        DocBin(docs=part, store_user_data=True).to_disk(out / f"{name}.spacy")


def brat(conn: sqlite3.Connection, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for _id, source, _title, text, ms, fs in documents(conn):
        lines, spans, n, a = [], {}, 0, 0
        for _mid, s, e, lb, words, status, _origin, eid, name, note in ms:
            if (s, e) in spans:
                continue
            n += 1
            spans[(s, e)] = f"T{n}"
            lines.append(f"T{n}\t{lb} {s} {e}\t{' '.join(words.split())}")
            a += 1
            lines.append(f"A{a}\tStatus T{n} {status}")
            if eid is not None:
                lines.append(f"N{n}\tReference T{n} Factdesk:{eid}\t{name}")
            if note:
                a += 1
                lines.append(f"#{a}\tAnnotatorNotes T{n}\t{note}")
        for k, (_fid, ftype, s, e, status, note, args) in enumerate(fs, start=1):
            if (s, e) not in spans:
                n += 1
                spans[(s, e)] = f"T{n}"
                lines.append(f"T{n}\t{ftype} {s} {e}\t{' '.join(text[s:e].split())}")
            roles = []
            for role, a_s, a_e, _t, _v, _label in args:
                if (a_s, a_e) in spans:
                    roles.append(f"{role}{len(roles)}:{spans[(a_s, a_e)]}")
            lines.append(f"E{k}\t{ftype}:{spans[(s, e)]} " + " ".join(roles))
            a += 1
            lines.append(f"A{a}\tStatus E{k} {status}")
            if note:
                a += 1
                lines.append(f"#{a}\tAnnotatorNotes E{k}\t{note}")
        (out / f"{source}.txt").write_text(text, encoding="utf-8")
        (out / f"{source}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


WRITERS = {"jsonl": plain_jsonl, "jsonl-tokens": tokens_jsonl, "spacy": docbin, "brat": brat}


def main() -> int:
    fmt, project, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    ONLY.extend(sys.argv[4:5])
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    WRITERS[fmt](conn, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
