"""Text in files: the one decoder (UTF-8, a BOM dropped; UTF-16 or Windows-1252 where a reader allows them), the
one rule for the spaces that group digits, and text every store takes (file names, values)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import NamedTuple

from loaders.errors import FileFormatError

# Spaces and marks that group digits in printed numbers: "313 182,2", "7 034 567", "1'234".
SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
UTF8 = "utf-8-sig"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Decoded(NamedTuple):
    text: str
    encoding: str  # "utf-8-sig", "utf-16" or the fallback


def decode_text(
    data: bytes, *, member: str | None = None, fallback: str | None = None, utf16: bool = False, head: bool = False
) -> Decoded:
    """A file's bytes as text: UTF-8 (a BOM dropped); UTF-16 when `utf16` and a BOM says so; else `fallback`
    ("cp1252", what Excel in Norway writes for "CSV (semikolon)") when the reader takes one.

    `head`: the bytes are the start of a longer file, read to decide its encoding: a UTF-8 sequence cut at their end
    is forgiven, and the fallback must fit every byte. Otherwise the fallback replaces what it cannot read.
    Errors (`FileFormatError`, `member` naming the file or the archive member): "bad_utf16"; "not_utf8_at" naming
    the first bad byte, its line and the byte itself (no fallback); "neither_utf8_nor_cp1252" (the head fits neither).
    """
    if utf16 and data.startswith(_UTF16_BOMS):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise FileFormatError("bad_utf16", byte=exc.start, reason=exc.reason) from None
    try:
        return Decoded(data.decode(UTF8), UTF8)
    except UnicodeDecodeError as exc:
        if head and exc.start >= len(data) - 3:
            return Decoded(data[: exc.start].decode(UTF8), UTF8)
        if fallback is None:
            line = data[: exc.start].count(b"\n") + 1
            char = repr(data[exc.start : exc.start + 1])
            raise FileFormatError("not_utf8_at", member=member, byte=exc.start, line=line, char=char) from None
    if not head:
        return Decoded(data.decode(fallback, errors="replace"), fallback)
    try:
        return Decoded(data.decode(fallback), fallback)
    except UnicodeDecodeError:
        raise FileFormatError("neither_utf8_nor_cp1252", name=member) from None


def nonempty_text(data: bytes | str, member: str | None = None) -> str:
    """The file as UTF-8 text (a BOM allowed); FileFormatError when it is empty (or only spaces) or not UTF-8."""
    if isinstance(data, bytes):
        if not data.strip():
            raise FileFormatError("file_empty")
        data = decode_text(data, member=member).text
    if not data.strip():
        raise FileFormatError("file_empty")
    return data


def storable_text(text: str) -> str:
    """Text every store and UTF-8 output takes: lone surrogates (a file name the OS could not decode) become
    U+FFFD, NUL characters go."""
    return LONE_SURROGATE.sub("\ufffd", text).replace("\x00", "")


def file_stem(filename: str) -> str:
    """A file's name without folders and suffix, storable; "layer" when nothing is left."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return storable_text(stem) or "layer"
