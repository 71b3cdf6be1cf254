"""Reading a capabilities document's elements (WMS and WMTS alike), parsed by defusedxml: names without their XML
namespace, and text kept short and on one line."""

from __future__ import annotations

XLINK = "{http://www.w3.org/1999/xlink}href"
MAX_TEXT = 500  # a title, an attribution or an abstract is kept to this many characters


def local(tag) -> str:
    """An element's name without its namespace ("" for a comment or processing instruction)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element, name: str) -> list:
    return [c for c in element if local(c.tag) == name] if element is not None else []


def child(element, name: str):
    found = children(element, name)
    return found[0] if found else None


def descendants(element, name: str) -> list:
    return [e for e in element.iter() if local(e.tag) == name] if element is not None else []


def find_path(element, names: tuple[str, ...]):
    for name in names:
        element = child(element, name)
        if element is None:
            return None
    return element


def text(element) -> str:
    words = " ".join((element.text or "").split()) if element is not None else ""
    return words[:MAX_TEXT]
