"""Source links that read as sources: «Havnedata (kyogre), GitHub», not a bare «github.com».

A small table of the hosts the bundled data cite, each with the catalogue key of what a reader calls it
(`source_link_<name>`, in both languages in locales/); a host not in the table reads as itself without "www."
(`source_link_host`), a GitHub repository as "repository, GitHub" (`source_link_github`). Core gives the key and
its params; maps.popups.source_label renders it. Pure text; the caller escapes it for HTML or Markdown.
"""

from __future__ import annotations

from urllib.parse import urlparse

# (host, path prefix or "", catalogue key): the first matching row wins, longest prefix first.
KNOWN_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("github.com", "/orcalabs/kyogre", "source_link_kyogre"),
    ("sdi.eea.europa.eu", "", "source_link_eea"),
    ("union-registry-data.ec.europa.eu", "", "source_link_eu_ets"),
    ("kartkatalog.geonorge.no", "", "source_link_geonorge_catalogue"),
    ("geonorge.no", "", "source_link_geonorge"),
    ("norskeutslipp.no", "", "source_link_norskeutslipp"),
    ("miljodirektoratet.no", "", "source_link_miljodirektoratet"),
    ("ssb.no", "", "source_link_ssb"),
    ("nrk.no", "", "source_link_nrk"),
    ("tu.no", "", "source_link_tu"),
    ("adressa.no", "", "source_link_adressa"),
    ("avisa-st.no", "", "source_link_avisa_st"),
    ("stortinget.no", "", "source_link_stortinget"),
    ("trondelagfylke.no", "", "source_link_trondelagfylke"),
    ("ntnu.no", "", "source_link_ntnu"),
    ("en.wikipedia.org", "", "source_link_wikipedia"),
    ("en.m.wikipedia.org", "", "source_link_wikipedia"),
)


def source_name(url: str) -> tuple[str, dict[str, str]] | None:
    """The catalogue key and params of what a link to `url` should read as, or None when it is not an http(s)
    link: ("source_link_nrk", {}), ("source_link_github", {"repository": "harbours"}),
    ("source_link_host", {"host": "example.org"})."""
    parsed = urlparse(str(url).strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return None
    host = readable_host(parsed.hostname or parsed.netloc)
    path = parsed.path or "/"
    for known, prefix, key in KNOWN_SOURCES:
        if host == known and path.lower().startswith(prefix.lower()):
            return key, {}
    parts = [p for p in path.split("/") if p]
    if host == "github.com" and len(parts) >= 2:
        return "source_link_github", {"repository": parts[1]}
    return "source_link_host", {"host": host}


def readable_host(host: str) -> str:
    """The host as a reader would type it: without "www.", IDNA decoded (xn--… hosts in their own letters)."""
    host = host.lower().removeprefix("www.")
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host
