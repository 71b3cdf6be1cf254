"""Coded messages (a `code` and plain `params`) as sentences: loader, store, analysis and export errors and notes.

A message's text is `msg_<code>` in the catalogues. Both languages compose the same way:
- the text is filled with the formatted params; a placeholder with no param is an error (KeyError);
- `{expected}`, `{what}`, `{kind}`: the value names a sub-text `msg_expected_<value>` (`what_…`, `kind_…`),
  filled with the same params (for `what` and `kind` only where such a text exists);
- `{<name>_part}`: for a param `<name>`, the text `msg_part_<name>` when the value is given, else `msg_none_<name>`
  (or nothing): optional pieces such as "feature 3" / "the file", ", got 'x'", "row 12, ";
- a param that is itself a message (has `code` and `params`) is rendered in the same language;
- `{<name>!r}` is the repr of the param as the code gave it (a tuple as a tuple: "(10.0, 63.0, 11.0, 64.0)");
  `{<name>:.1f}` the number with one decimal (1,5 / 1.5), whatever its size; `{<name>:.6g}` to six significant
  digits (i18n.numbers.fmt_significant: 160 000 / 160,000, 10,3956 / 10.3956);
- numbers take the language's format (except years, rows, lines and other ordinals), `*_bytes` are sizes
  (12 KB, 1.5 MB), lists and tuples are joined by ", " (by "; " with `{<name>:;}`, for items that hold commas).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from i18n.catalogue import DEFAULT_LANGUAGE, has, template
from i18n.numbers import fmt_number, fmt_significant, fmt_size

# Params that are ordinals or identifiers, shown as plain digits in every language.
_PLAIN_NUMBERS = frozenset(
    {"feature", "row", "line", "column_number", "byte", "year", "header_row", "zone", "epsg"}
    | {"layer_id", "version", "layout", "known"}  # the store's ids and layout versions
)
_GOT_LIMIT = 60
# Params whose value names a sub-text `<param>_<value>` (filled with the same params) where one exists.
_NAMED = ("what", "kind", "expected")
PREFIX = "msg_"


def known(code: str) -> bool:
    """Whether `code` has a text in the catalogues."""
    return has(PREFIX + code)


def render(code: str, params: Mapping[str, object], lang: str = DEFAULT_LANGUAGE) -> str:
    """The message `code` with `params` as a sentence in `lang`. KeyError for an unknown code or a missing param."""
    values = {name: _format(name, value, lang) for name, value in params.items()}
    for name, value in params.items():
        piece = f"part_{name}" if value is not None else f"none_{name}"
        values[f"{name}_part"] = _fill(piece, values, lang, params) if known(piece) else ""
    for name in _NAMED:
        value = params.get(name)
        if isinstance(value, str) and (name == "expected" or known(f"{name}_{value}")):
            values[name] = _fill(f"{name}_{value}", values, lang, params)
    return _fill(code, values, lang, params)


class _Filler(string.Formatter):
    """Fills a text from the formatted values. From the raw param instead: `{name!r}` its repr, and
    `{name:.<d>f}` a number with <d> decimals and `{name:.<d>g}` one to <d> significant digits, in the language's
    format; `{name:;}` a list joined by "; "."""

    def __init__(self, raw: Mapping[str, object], lang: str):
        super().__init__()
        self.raw = raw
        self.lang = lang

    def get_field(self, field_name: str, args, kwargs):
        value, used = super().get_field(field_name, args, kwargs)
        return (field_name, value), used

    def convert_field(self, value, conversion):
        name, formatted = value
        if conversion is None:
            return value
        if conversion == "r" and name in self.raw:
            return None, repr(self.raw[name])
        return None, super().convert_field(formatted, conversion)

    def format_field(self, value, format_spec):
        name, formatted = value
        raw = self.raw.get(name) if name is not None else None  # None after a conversion (!r, !s)
        if format_spec == ";":  # a list joined by "; "; anything else as it is
            if isinstance(raw, list | tuple):
                return "; ".join(_format(name, item, self.lang) for item in raw)
            return formatted
        spec = _NUMBER_SPEC.fullmatch(format_spec)
        if spec and isinstance(raw, int | float) and not isinstance(raw, bool):
            digits, kind = int(spec.group(1)), spec.group(2)
            return fmt_number(raw, self.lang, digits) if kind == "f" else fmt_significant(raw, self.lang, digits)
        return super().format_field(formatted, format_spec)


_NUMBER_SPEC = re.compile(r"\.(\d+)([fg])")


def _fill(code: str, values: dict, lang: str, raw: Mapping[str, object]) -> str:
    return _Filler(raw, lang).vformat(template(PREFIX + code, lang), (), values)


def _format(name: str, value: object, lang: str) -> str:
    if value is None:
        return ""
    if _is_message(value):
        return render(value.code, value.params, lang)
    if isinstance(value, bool):
        return str(value)
    if name.endswith("_bytes") and isinstance(value, int):
        return fmt_size(value, lang)
    if name == "got":
        text = repr(value)
        return text if len(text) <= _GOT_LIMIT else text[: _GOT_LIMIT - 1] + "…"
    if isinstance(value, int):
        return str(value) if name in _PLAIN_NUMBERS else fmt_number(value, lang, 0)
    if isinstance(value, float):
        if name.startswith(("lon", "lat")):
            return fmt_number(value, lang, 4 if name in ("lat", "lon") else 2)
        return fmt_number(value, lang, 0 if abs(value) >= 100 or value.is_integer() else 1)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_format(name, item, lang) for item in value)
    return str(value)


def _is_message(value: object) -> bool:
    return isinstance(getattr(value, "code", None), str) and isinstance(getattr(value, "params", None), dict)


def english(code: str, params: Mapping[str, object]) -> str:
    """The English sentence of a message: str() of every coded error and note (an unknown code reads as itself)."""
    return render(code, params, "en") if known(code) else code


def error_text(message: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """A coded error or note (anything with a `code` and `params` whose code has a text) as a sentence in `lang`;
    anything else as str(). Duck-typed: i18n knows no error classes."""
    if not _is_message(message) or not known(message.code):
        return str(message)
    return render(message.code, message.params, lang)
