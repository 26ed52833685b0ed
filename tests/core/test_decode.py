"""Decoding of imported files: UTF-8 (BOM or not), UTF-16, legacy code pages, binary refused.

Each case goes through the real importer into a real SQLite project, so the test sees
what the analyst gets: the stored text and the encoding recorded on the document.
"""

from __future__ import annotations

import codecs
import io
import os
import random
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest

from desktop.core.ingest import decode
from desktop.core.ingest.decode import decode_bytes
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.importer import IngestEvent, ingest
from desktop.core.store import Store

VIETNAMESE = (
    "Hà Nội – Việt Nam và Quảng Tây (Trung Quốc) đã ký kết thỏa thuận hợp tác về trí tuệ "
    "nhân tạo. Bộ trưởng Bộ Khoa học và Công nghệ cho biết hai bên sẽ đẩy mạnh đào tạo "
    "nguồn nhân lực, nghiên cứu chung và trao đổi học thuật tại Đà Nẵng và Nam Ninh.\n"
)
WESTERN = {
    "english-quotes": (
        "The minister said “we will deepen cooperation” — it’s a new era for the region’s "
        "AI firms… Officials from Nestlé and a Zürich-based fund attended.\n"
    ),
    "french": (
        "Le ministre a déclaré que la coopération régionale était « essentielle ». "
        "Les élèves de l’école ont étudié l’intelligence artificielle à Genève.\n"
    ),
    "german": (
        "Der Bürgermeister äußerte sich über die Straßenbahn. Die Größe des Projekts "
        "überraschte die Gäste aus München.\n"
    ),
    "portuguese": (
        "A cooperação entre o Brasil e a ASEAN é importante. Não há dúvida de que as "
        "negociações em São Paulo avançarão.\n"
    ),
    "spanish": (
        "El niño comió en la montaña. ¿Dónde está el señor Muñoz? La reunión en "
        "Cádiz terminó con un acuerdo.\n"
    ),
}
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Vietnamese in windows-1258: base letters plus combining tone marks, as Windows writes it."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            tones = "".join(c for c in parts if c in _TONES)
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def import_bytes(
    tmp_path: Path, data: bytes, name: str = "article.txt"
) -> tuple[Store, list[IngestEvent]]:
    """Write data to a file and ingest it into a fresh project."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    store = Store.open(tmp_path / "project.factdesk")
    return store, list(ingest(store, [folder / name]))


def imported(tmp_path: Path, data: bytes, name: str = "article.txt"):  # type: ignore[no-untyped-def]
    """The stored record of a file that must import as one document."""
    store, events = import_bytes(tmp_path, data, name)
    with store:
        assert [e.kind for e in events] == ["imported"], events
        record = store.documents.get(events[0].document_id)
    assert record is not None
    return record


def refused(tmp_path: Path, data: bytes, name: str = "article.txt") -> str:
    """The reason a file is refused; the project must stay empty."""
    store, events = import_bytes(tmp_path, data, name)
    with store:
        assert [e.kind for e in events] == ["refused"], events
        assert store.documents.count() == 0
        assert store.revisions.count() == 0
    assert events[0].path.endswith(name)
    assert events[0].reason
    return events[0].reason


def test_utf8_is_read_as_is(tmp_path: Path) -> None:
    record = imported(tmp_path, VIETNAMESE.encode("utf-8"))
    assert record.text == VIETNAMESE
    assert record.info.encoding == "utf-8"
    assert record.info.length == len(VIETNAMESE)


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    record = imported(tmp_path, codecs.BOM_UTF8 + VIETNAMESE.encode("utf-8"))
    assert record.text == VIETNAMESE
    assert not record.text.startswith("\ufeff")
    assert record.info.encoding == "utf-8-sig"


def test_same_text_with_and_without_bom_is_one_document(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(VIETNAMESE.encode("utf-8"))
    (folder / "b.txt").write_bytes(codecs.BOM_UTF8 + VIETNAMESE.encode("utf-8"))
    with Store.open(tmp_path / "p.factdesk") as store:
        events = list(ingest(store, [folder]))
        assert [e.kind for e in events] == ["imported", "duplicate"]
        assert events[1].document_id == events[0].document_id
        assert store.documents.count() == 1


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    record = imported(tmp_path, bom + VIETNAMESE.encode(codec))
    assert record.text == VIETNAMESE
    assert record.info.encoding == "utf-16"


def test_utf32_with_bom(tmp_path: Path) -> None:
    record = imported(tmp_path, VIETNAMESE.encode("utf-32"))
    assert record.text == VIETNAMESE
    assert record.info.encoding == "utf-32"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected_not_called_binary(tmp_path: Path, codec: str) -> None:
    text = WESTERN["english-quotes"]
    record = imported(tmp_path, text.encode(codec))
    assert record.text == text
    assert record.info.encoding == codec


@pytest.mark.parametrize("language", sorted(WESTERN))
def test_windows_1252_is_detected_and_recorded(tmp_path: Path, language: str) -> None:
    text = WESTERN[language]
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    record = imported(tmp_path, data)
    assert record.text == text
    assert record.info.encoding == "cp1252"


@pytest.mark.parametrize("text", ["Café\n", "Naïve résumé of the année\n"])
def test_short_latin1_text_is_not_read_as_another_script(tmp_path: Path, text: str) -> None:
    record = imported(tmp_path, text.encode("latin-1"))
    assert record.text == text
    assert record.info.encoding == "cp1252"


def test_central_european_text_is_not_forced_into_cp1252(tmp_path: Path) -> None:
    text = "Zażółć gęślą jaźń. Prezydent Polski spotkał się z premierem w Warszawie.\n"
    record = imported(tmp_path, text.encode("cp1250"))
    assert record.text == text
    assert record.info.encoding == "cp1250"


def test_vietnamese_windows_1258(tmp_path: Path) -> None:
    data = cp1258(VIETNAMESE)
    record = imported(tmp_path, data)
    assert record.info.encoding == "cp1258"
    # windows-1258 spells tones as combining marks: the text is the same once composed
    assert unicodedata.normalize("NFC", record.text) == VIETNAMESE
    assert record.text == data.decode("cp1258")


def test_vietnamese_search_finds_decoded_text(tmp_path: Path) -> None:
    record = imported(tmp_path, VIETNAMESE.encode("utf-8"))
    with Store.open(tmp_path / "project.factdesk") as store:
        hits = store.search("quang tay")
    assert [h.document_id for h in hits] == [record.info.id]


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>Hello</w:document>")
    return buffer.getvalue()


def _random_with_nuls() -> bytes:
    rng = random.Random(20250919)
    data = bytearray(rng.randrange(256) for _ in range(4096))
    data[100] = data[2001] = 0
    return b"news " + bytes(data)


BINARIES = {
    "png": (_png(), "PNG image"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    "zip": (_zip(), "ZIP archive"),
    "random-with-nuls": (_random_with_nuls(), "NUL bytes"),
    "gzip": (b"\x1f\x8b\x08\x00" + os.urandom(64), "gzip"),
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_files_are_refused_with_what_they_are(tmp_path: Path, kind: str) -> None:
    data, what = BINARIES[kind]
    reason = refused(tmp_path, data, name=f"{kind}.txt")
    assert what in reason
    assert "binary" in reason


def test_binary_refusal_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(RefusedFile) as info:
        decode_bytes(_png(), tmp_path / "scan.txt")
    assert info.value.path.name == "scan.txt"
    assert str(info.value).startswith(str(tmp_path / "scan.txt"))
    assert "PNG" in str(info.value)


def test_invalid_bytes_after_a_utf8_bom_are_refused(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + b"Hello \xff\xfe world"
    reason = refused(tmp_path, data)
    assert "invalid" in reason
    assert "byte 6" in reason


def test_file_over_the_size_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(decode, "MAX_FILE_BYTES", 1000)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge.txt").write_text("A long article. " * 100, encoding="utf-8")
    (folder / "small.txt").write_text("A short article.", encoding="utf-8")
    with Store.open(tmp_path / "p.factdesk") as store:
        events = {Path(e.path).name: e for e in ingest(store, [folder])}
        assert events["small.txt"].kind == "imported"
        assert events["huge.txt"].kind == "refused"
        reason = events["huge.txt"].reason or ""
        assert "too large" in reason
        assert "1.6 KiB" in reason and "1000 bytes" in reason
        infos = store.documents.infos(store.documents.ids())
        assert [d.source for d in infos] == ["small"]


def test_file_at_the_size_limit_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "x" * 999 + "\n"
    monkeypatch.setattr(decode, "MAX_FILE_BYTES", len(text))
    assert imported(tmp_path, text.encode()).text == text


def test_default_size_limit_is_512_mib() -> None:
    assert decode.MAX_FILE_BYTES == 512 * 1024 * 1024
