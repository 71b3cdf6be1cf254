"""A corpus of hostile text, and the bundled portfolio with that text in every free-text field.

Template payloads that would run create a directory under the sentinel folder or print 1343433
(7 × 191919): after rendering, neither may exist. Used by the map, export, page and browser tests.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from core.portfolio import Portfolio
from core.schema import LAYERS

EVALUATED = "1343433"  # what "{{ 7*191919 }}" renders to: it must never appear
RAN_FLAG = "IK_TEMPLATE_RAN"  # an environment variable a quote-free payload would set in this process
# Pieces that must come out exactly as written (no HTML or JSON escaping touches these characters).
LITERAL_MARKERS = ("{{ 7*191919 }}", "{# ik comment #}", "{%- raw %}", "{{ unbalanced", "}} stray {%")


def corpus(sentinel: Path) -> list[str]:
    """Every kind of text an upload, a form or a link can carry. `sentinel` is a folder that must stay empty."""
    return [
        "{{ 7*191919 }}",
        f"{{{{ lipsum.__globals__.os.makedirs('{sentinel}/expression') }}}}",
        f"{{% set _ = lipsum.__globals__.os.makedirs('{sentinel}/statement') %}}",
        f"{{{{ cycler.__init__.__globals__.os.makedirs('{sentinel}/cycler') }}}}",
        # No quotes, so no HTML escaping can break it: it would set os.environ["IK_TEMPLATE_RAN"] = "yes".
        f"{{{{ lipsum.__globals__.os.environ.__setitem__(dict({RAN_FLAG}=1)|first, dict(yes=1)|first) }}}}",
        "{# ik comment #}",
        "{%- raw %}",
        "{{constructor.constructor('x')()}}",
        "{{ unbalanced",
        "}} stray {%",
        "{% if %}",
        '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>',
        "</script><b onmouseover=window.__xss=3>fet</b>",
        '=HYPERLINK("http://x.example","klikk")',
        "+1+1",
        "-2+3",
        "@SUM(1)",
        "\u202eRTL-tekst\u200b med\u200d nullbredde",
        "$\\alpha$ ${x}",
        "lang " + "x" * 4000 + " {{ 7*191919 }}",
    ]


def hostile_portfolio(portfolio: Portfolio, texts: list[str]) -> Portfolio:
    """`portfolio` with the corpus in every free-text field of parks, sources and members (ids kept unique)."""
    frames = {}
    for kind, schema in LAYERS.items():
        frame = getattr(portfolio, kind).copy()
        for j, field in enumerate(schema.fields):
            if field.choices or field.name in ("kommunenummer", "source_url"):
                continue  # vocabularies and codes are checked on upload; free text is not
            n = len(frame)
            if field.kind == "str":
                values = [texts[(i + j) % len(texts)] for i in range(n)]
                if field.name == "id":
                    values = [f"{v}-{i}" for i, v in enumerate(values)]
                frame[field.name] = values
            elif field.kind == "list":
                frame[field.name] = [[texts[i % len(texts)], texts[(i + 1) % len(texts)]] for i in range(n)]
        frames[kind] = frame
    figures = portfolio.figures.copy()
    figures["note"] = [texts[i % len(texts)] for i in range(len(figures))]
    figures["quote"] = [texts[(i + 3) % len(texts)] for i in range(len(figures))]
    id_map = dict(zip(portfolio.sources["id"], frames["sources"]["id"], strict=True))
    figures["facility_id"] = figures["facility_id"].map(id_map)
    return replace(portfolio, figures=figures, **frames)


def assert_literal(text: str, sentinel: Path, markers: tuple[str, ...] = ()) -> None:
    """Nothing was evaluated: no sentinel, no 7×191919; the hostile text reached `text` as written
    (every one of `markers`, and at least one template marker in any case)."""
    assert not any(sentinel.iterdir()), f"a template ran: {sorted(p.name for p in sentinel.iterdir())}"
    assert RAN_FLAG not in os.environ, "a template ran: it set an environment variable"
    assert EVALUATED not in text
    assert any(marker in text for marker in LITERAL_MARKERS), "no hostile text reached the output"
    for marker in markers:
        assert marker in text, marker
