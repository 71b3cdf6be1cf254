"""Zip archives from uploads (zipped Shapefile, KMZ, XLSX, Geonorge's zipped downloads), opened safely.

`open_zip` refuses an archive before anything is unpacked when a member's path is absolute or climbs out
with "..", when a member is a link, encrypted, when there are too many members, when the sizes the zip
declares add up to too much, or when a large member packs suspiciously well (a zip bomb). `read_member`
then unpacks in chunks and counts what really comes out, since a zip's declared sizes can lie.
"""

from __future__ import annotations

import io
import lzma
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from core.messages import Message
from loaders.errors import FileFormatError, UnsafeArchive

_CHUNK = 1024 * 1024
_RATIO_MIN_BYTES = 1024 * 1024  # members smaller than this are never called bombs: tiny files pack oddly
_DRIVE = re.compile(r"^[A-Za-z]:")
# What zipfile and its decompressors raise for a damaged member (the zip's directory read fine).
_DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, OSError, ValueError)


@dataclass
class ZipLimits:
    max_members: int
    max_uncompressed: int
    max_ratio: float


class SafeZip:
    """A checked zip: its file members (folders and macOS resource forks left out) and a shared unpack budget."""

    def __init__(self, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: ZipLimits, label: str):
        self.archive = archive
        self.members = members
        self.limits = limits
        self.label = label
        self.unpacked = 0

    @property
    def names(self) -> list[str]:
        return [m.filename for m in self.members]

    def read(self, member: zipfile.ZipInfo) -> bytes:
        """The member's bytes, unpacked in chunks; `UnsafeArchive` as soon as the total passes the limit,
        `FileFormatError` when the member is damaged (bad header or CRC, broken compressed data, unknown method)."""
        out = io.BytesIO()
        try:
            with self.archive.open(member) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    self.unpacked += len(chunk)
                    if self.unpacked > self.limits.max_uncompressed:
                        raise UnsafeArchive(
                            "archive_unpacks_over", label=self.label, limit_bytes=self.limits.max_uncompressed
                        )
                    out.write(chunk)
        except UnsafeArchive:
            raise  # a ValueError too: not a damaged member
        except _DAMAGED as exc:
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise FileFormatError("archive_damaged", label=self.label, member=member.filename, reason=reason) from None
        return out.getvalue()

    def close(self) -> None:
        self.archive.close()


def open_zip(data: bytes, limits: ZipLimits, label: Message | None = None) -> SafeZip:
    """Check an archive's table of contents and return it open; raises `UnsafeArchive` or `FileFormatError`.

    `label` names the archive in messages: `Message("label_zip")` (the default), "label_kmz", "label_member" ...
    """
    label = label or Message("label_zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise FileFormatError("archive_unreadable", label=label, reason=str(exc)) from None
    try:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise UnsafeArchive("archive_too_many", label=label, count=len(infos), limit=limits.max_members)
        total = 0
        for info in infos:
            _check_name(info, label)
            if info.flag_bits & 0x1:
                raise UnsafeArchive("archive_encrypted", label=label, member=info.filename)
            total += info.file_size
            if info.file_size > _RATIO_MIN_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise UnsafeArchive(
                    "zip_bomb",
                    label=label,
                    member=info.filename,
                    packed_bytes=info.compress_size,
                    size_bytes=info.file_size,
                    ratio=round(limits.max_ratio),
                )
        if total > limits.max_uncompressed:
            raise UnsafeArchive(
                "archive_total_over", label=label, size_bytes=total, limit_bytes=limits.max_uncompressed
            )
        members = [i for i in infos if not i.is_dir() and not _is_noise(i.filename)]
        return SafeZip(archive, members, limits, label)
    except Exception:
        archive.close()
        raise


def _check_name(info: zipfile.ZipInfo, label: Message) -> None:
    name = info.filename
    posix = name.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        raise UnsafeArchive("archive_absolute", label=label, member=name)
    if ".." in PurePosixPath(posix).parts:
        raise UnsafeArchive("archive_climbs", label=label, member=name)
    if "\x00" in name:
        raise UnsafeArchive("archive_nul", label=label)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeArchive("archive_link", label=label, member=name)


def _is_noise(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1] in (".DS_Store", "Thumbs.db")
