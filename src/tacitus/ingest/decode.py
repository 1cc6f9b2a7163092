"""Bytes to clean Unicode text: binary detection, encoding detection, ftfy repair, NFC."""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy

from tacitus.errors import InputError

_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip data (use a .gz suffix)",
    b"\x7fELF": "executable",
    b"BZh": "bzip2 data",
    b"\xfd7zXZ": "xz data",
    b"SQLite format 3": "SQLite database",
    b"DUCK": "DuckDB database",
}
# Control characters other than tab, newline, carriage return, form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# Bidirectional embeddings, overrides and isolates: they reorder what a reader sees ("Trojan source")
# and carry no meaning of their own. The marks LRM/RLM/ALM, which right-to-left text needs, are kept.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters that str.splitlines() treats as line ends: made plain newlines, so that every line split
# in the pipeline sees the same lines and offsets.
_LINE_ENDS = re.compile(r"[\x0c\x85\u2028\u2029]")


def _utf16_without_bom(sample: bytes) -> str | None:
    """Guess UTF-16 without BOM from the share of NUL bytes at even or odd positions."""
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def sniff_binary(data: bytes, whole: bool = True) -> str | None:
    """A reason string if ``data`` looks binary, else None: a known magic number, or a NUL byte
    anywhere (``whole``; else in the first 8 KB) in data that is not UTF-16."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return f"binary file ({what}), not text"
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(sample):
        return None
    at = (data if whole else sample).find(b"\x00")
    if at >= 0:
        return f"binary file (contains NUL bytes, the first at byte {at}), not text"
    return None


def decode_bytes(data: bytes, repair: bool = True, whole: bool = True) -> tuple[str, str]:
    """Return ``(text, encoding)``; with ``repair`` the text is also normalised (:func:`normalise_text`).

    Raises :class:`InputError` for binary or undecodable data: a NUL anywhere means binary (``whole``;
    a JSONL file passes ``False``, so that a NUL in one record fails that record alone, as invalid
    JSON)."""
    reason = sniff_binary(data, whole)
    if reason:
        raise InputError(reason, stage="decode")
    if data.startswith(codecs.BOM_UTF8):
        text, enc = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = _utf16(data.decode("utf-16", errors="replace"), whole), "utf-16"
    elif (guess := _utf16_without_bom(data[:8192])) is not None:
        text, enc = _utf16(data.decode(guess, errors="replace"), whole), guess
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = _decode_legacy(data)
    return (normalise_text(text) if repair else text), enc


def _utf16(text: str, whole: bool) -> str:
    """UTF-16 text holding a NUL character is binary too."""
    at = text.find("\x00") if whole else -1
    if at >= 0:
        raise InputError(f"binary file (contains NUL characters, the first at character {at}), not text", stage="decode")
    return text


def _decode_legacy(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError("undecodable text: not UTF-8 and no other encoding fits", stage="decode")
    text = data.decode(best.encoding, errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise InputError(f"undecodable text: too many invalid bytes for {best.encoding}", stage="decode")
    return text, best.encoding


def normalise_text(text: str) -> str:
    """Repair mojibake (ftfy), NFC, unify line ends, drop control, zero-width and bidi override characters.
    Repeated (at most three times) until the text no longer changes: one repair can make what ftfy reads
    as mojibake on the next pass (C1 controls turned into cp1252 punctuation), and text read again must
    come out as stored."""
    for _ in range(3):
        fixed = _normalise_once(text)
        if fixed == text:
            break
        text = fixed
    return text


def _normalise_once(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ftfy.fix_text(text, normalization="NFC", unescape_html=False, uncurl_quotes=False)
    text = _ZERO_WIDTH.sub("", text)
    text = _BIDI_CONTROL.sub("", text)
    text = _LINE_ENDS.sub("\n", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)
