"""User text in Streamlit's Markdown: shown exactly as typed, never as formatting, links or HTML."""

from __future__ import annotations

_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!|<>~:$")


def escape_markdown(text: object) -> str:
    """Every Markdown (and KaTeX `$`, autolink `:`) special character backslash-escaped."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))
