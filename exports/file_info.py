"""A file's own description: its title, its text alternative and its language, written into the file itself
(WCAG 1.1.1 and 3.1.1 hold for the documents the app makes too). One home for the map exports and the charts."""

from __future__ import annotations

import io

from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from core.text import xml_text

AUTHOR = "Industrikart Trøndelag"


def file_metadata(file_format: str, title: str, alt: str) -> dict[str, str]:
    """Title and text alternative as matplotlib's `savefig(metadata=…)` takes them: in a PNG text chunks (iTXt where
    the text is not Latin-1), in a PDF its document information (Title, Subject)."""
    title, alt = xml_text(title), xml_text(alt)  # no NUL or other control character in a chunk
    if file_format == "pdf":
        return {"Title": title, "Author": AUTHOR, "Subject": alt, "Creator": AUTHOR}
    return {"Title": title, "Description": alt, "Author": AUTHOR, "Software": AUTHOR}


def png_described(png: bytes, title: str, alt: str) -> bytes:
    """`png` (made elsewhere, e.g. by vl-convert) with its title and text alternative as text chunks."""
    info = PngInfo()
    for key, value in file_metadata("png", title, alt).items():
        info.add_itxt(key, value)
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def pdf_accessibility(pdf: bytes, lang: str, described: tuple[str, str] | None = None) -> bytes:
    """`pdf` with its language in the catalog (/Lang "nb" or "en", as the app's pages) and its title shown in the
    viewer's window instead of the file name (/DisplayDocTitle); with `described` (title, text alternative), those
    as its document information too. matplotlib's and vl-convert's PDF backends set none of it.

    Both write untagged PDFs (no structure tree, no /MarkInfo): the reading order is the drawing order, and a
    picture has no /Alt of its own; its text alternative is the document's Subject."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.create_viewer_preferences().display_doctitle = True
    if described is not None:
        writer.add_metadata({f"/{key}": value for key, value in file_metadata("pdf", *described).items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
