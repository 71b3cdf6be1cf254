"""User-facing text in Norwegian bokmål (default) and English: the catalogues in locales/, numbers and dates.

`t(key, lang, **values)` gives a page's text; `error_text(message, lang)` any coded error or note (a `code` and
`params`); the `fmt_*` functions format numbers, sizes and dates with Babel.
"""

from i18n.catalogue import DEFAULT_LANGUAGE, LANGUAGES, has, t
from i18n.labels import key_figure_label, key_figure_source, search_hit_text, theme_label
from i18n.messages import error_text
from i18n.numbers import (
    OSLO,
    fmt_date,
    fmt_km,
    fmt_number,
    fmt_quote,
    fmt_size,
    fmt_time,
    fmt_tonnes,
    fmt_year_range,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "OSLO",
    "error_text",
    "fmt_date",
    "fmt_km",
    "fmt_number",
    "fmt_quote",
    "fmt_size",
    "fmt_time",
    "fmt_tonnes",
    "fmt_year_range",
    "has",
    "key_figure_label",
    "key_figure_source",
    "search_hit_text",
    "t",
    "theme_label",
]
