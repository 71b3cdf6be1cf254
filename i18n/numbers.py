"""Numbers, sizes, dates and times for people, in bokmål (nb_NO) and English (en), formatted by Babel.

Bokmål: a no-break space (U+00A0) between thousands and a decimal comma (12 466,5); English: 12,466.5.
Negative numbers take the ASCII hyphen-minus in both languages: the magnitude is formatted by Babel and "-" put in
front here, not CLDR's minus sign (U+2212 for nb), so a number reads the same as before, sorts and searches as
typed, and pastes into a spreadsheet as a number. Digits are rounded from the float's exact value (half to even),
as Python's own formatting does.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from decimal import Decimal, localcontext
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

from i18n.catalogue import DEFAULT_LANGUAGE, language, t

LOCALES = {"nb": "nb_NO", "en": "en"}
OSLO = ZoneInfo("Europe/Oslo")
_DATE_FORMATS = {"nb": "dd.MM.y", "en": "d MMMM y"}
_KB = 1024
_MB = 1024 * 1024


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[language(lang)])


@cache
def _pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | int | Decimal | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """12 466 and 1,2 in Norwegian; 12,466 and 1.2 in English. None or NaN gives the "no figure" text."""
    if _missing(value):
        return t("no_figure", lang)
    try:
        exact = Decimal(value) if isinstance(value, int | Decimal) else Decimal(float(value))
    except (TypeError, ValueError):
        exact = None
    if exact is None or not exact.is_finite():
        return format(value, f",.{decimals}f")  # inf, -inf; pandas' NA formats itself ("<NA>")
    with localcontext() as context:  # every digit of a huge value (a file's 1E30): Babel rounds in this context
        context.prec = max(context.prec, exact.adjusted() + decimals + 2)
        text = _pattern(decimals).apply(abs(exact), _locale(lang))
    return "-" + text if exact.is_signed() else text


def fmt_significant(value: float, lang: str = DEFAULT_LANGUAGE, digits: int = 6) -> str:
    """`value` to `digits` significant digits as Python's `g` format rounds it, in the language's format and never
    in exponent form: 160 000 / 160,000; 10,3956 / 10.3956; 63 / 63."""
    if _missing(value) or not math.isfinite(value):
        return fmt_number(value, lang)
    rounded = Decimal(f"{value:.{digits}g}")
    return fmt_number(rounded, lang, max(0, -rounded.as_tuple().exponent))  # the rounded digits, not the float's


def fmt_tonnes(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Whole tonnes; below 10 t three significant digits (a register's 0,000022 t of a PAH is not 0 t)."""
    if _missing(value):
        return t("no_figure", lang)
    decimals = 0 if value == 0 or abs(value) >= 10 else min(12, 2 - math.floor(math.log10(abs(value))))
    return f"{fmt_number(value, lang, decimals)}\u00a0t"


def fmt_km(metres: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """'1,5 km' / '1.5 km'; whole kilometres without decimals."""
    km = metres / 1000
    return f"{fmt_number(km, lang, 0 if float(km).is_integer() else 1)}\u00a0km"


def fmt_size(size: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """200 MB, 1,5 MB, 12 KB, 900 bytes: sizes in the units a person reads (1 MB = 1024 KB)."""
    if size < _KB:
        return t("msg_unit_bytes", lang, n=str(size))
    if size < _MB:
        return f"{fmt_number(size / _KB, lang, 0)} KB"
    mb = size / _MB
    return f"{fmt_number(mb, lang, 1 if mb < 10 else 0)} MB"


# A register's number as its file prints it, then a unit of mass and whatever the register adds after it.
_MACHINE_QUOTE = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*((?:kg|mg|g|t|tonn|tonnes)\b.*?)\s*$")


def fmt_quote(quote: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """A source's quote as text; one that starts with a register's machine number and its unit ("213000000.0 kg",
    as the EEA's file prints it; "188766 t CO₂-ekv. (…)") has the number formatted for the language, the unit
    and the rest kept ("213 000 000 kg"). Other quotes are the source's own words and stay as they are;
    None and NaN give ""."""
    if _missing(quote):
        return ""
    text = str(quote)
    match = _MACHINE_QUOTE.match(text)
    if not match:
        return text
    value = float(match.group(1))
    fraction = f"{abs(value):.12f}".rstrip("0").split(".")[1]
    return f"{fmt_number(value, lang, len(fraction))}\u00a0{match.group(2)}"


def fmt_year_range(years: list[int], unknown: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """'år 2019–2022', plus how many figures have no year."""
    parts = []
    if years:
        low, high = min(years), max(years)
        parts.append(t("years", lang, years=str(low) if low == high else f"{low}–{high}"))
    if unknown:
        parts.append(f"{unknown}× {t('year_unknown', lang)}" if years else t("year_unknown", lang))
    return "; ".join(parts)


def fmt_time(moment: datetime) -> str:
    """2026-12-01 12:05 in Norwegian time (Europe/Oslo, summer time included); a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(OSLO):%Y-%m-%d %H:%M}"


def fmt_date(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """25.11.2026 in Norwegian; 25 November 2026 in English."""
    return format_date(day, _DATE_FORMATS[language(lang)], locale=_locale(lang))
