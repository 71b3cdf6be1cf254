"""Streamlit's AppTest on this app's pages, and reading a page's map back."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

import config


def app(script: str) -> AppTest:
    return AppTest.from_file(str(config.ROOT / script), default_timeout=60)


def run(script: str) -> AppTest:
    at = app(script).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def read_back(element) -> str:
    """A Markdown element's text as the reader sees it: the escapes that keep file text from being Markdown
    (ui/text.escape_markdown) read back."""
    return re.sub(r"\\(.)", r"\1", str(element.value))


def js_unescaped(text: str) -> str:
    """folium writes < and & inside its JSON as \\u003c and \\u0026; read them back before looking for HTML."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def map_args(at: AppTest) -> dict:
    components = at.get("component_instance")
    assert len(components) == 1
    return json.loads(components[0].proto.json_args)
