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

from loaders.errors import FileFormatError, UnsafeArchive, _megabytes

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
                            f"{self.label} unpacks to more than {_megabytes(self.limits.max_uncompressed)}, "
                            "the limit for an archive; it was not unpacked"
                        )
                    out.write(chunk)
        except UnsafeArchive:
            raise  # a ValueError too: not a damaged member
        except _DAMAGED as exc:
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise FileFormatError(
                f"{self.label} is damaged: '{member.filename}' could not be unpacked ({reason})"
            ) from None
        return out.getvalue()

    def close(self) -> None:
        self.archive.close()


def open_zip(data: bytes, limits: ZipLimits, label: str = "the zip file") -> SafeZip:
    """Check an archive's table of contents and return it open; raises `UnsafeArchive` or `FileFormatError`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise FileFormatError(f"{label} is not a readable zip archive ({exc})") from None
    try:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise UnsafeArchive(
                f"{label} holds {len(infos)} files; at most {limits.max_members} are accepted in one archive"
            )
        total = 0
        for info in infos:
            _check_name(info, label)
            if info.flag_bits & 0x1:
                raise UnsafeArchive(f"{label} is password-protected ('{info.filename}'); upload it unencrypted")
            total += info.file_size
            if info.file_size > _RATIO_MIN_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise UnsafeArchive(
                    f"{label} looks like a zip bomb: '{info.filename}' unpacks from "
                    f"{_megabytes(info.compress_size)} to {_megabytes(info.file_size)} "
                    f"(more than {limits.max_ratio:.0f} times); it was not unpacked"
                )
        if total > limits.max_uncompressed:
            raise UnsafeArchive(
                f"{label} unpacks to {_megabytes(total)}, more than the {_megabytes(limits.max_uncompressed)} "
                "accepted for an archive; it was not unpacked"
            )
        members = [i for i in infos if not i.is_dir() and not _is_noise(i.filename)]
        return SafeZip(archive, members, limits, label)
    except Exception:
        archive.close()
        raise


def _check_name(info: zipfile.ZipInfo, label: str) -> None:
    name = info.filename
    posix = name.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        raise UnsafeArchive(f"{label} holds a file with an absolute path ('{name}'); it was not unpacked")
    if ".." in PurePosixPath(posix).parts:
        raise UnsafeArchive(
            f"{label} holds a file whose path climbs out of the archive ('{name}'); it was not unpacked"
        )
    if "\x00" in name:
        raise UnsafeArchive(f"{label} holds a file with a NUL byte in its name; it was not unpacked")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeArchive(f"{label} holds a symbolic link ('{name}'); it was not unpacked")


def _is_noise(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1] in (".DS_Store", "Thumbs.db")
