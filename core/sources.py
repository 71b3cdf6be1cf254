"""Source links that read as sources: «Havnedata (kyogre), GitHub», not a bare «github.com».

A small table of the hosts the bundled data cite, each with what a reader calls it (bokmål, English);
a host not in the table reads as itself without "www.", a GitHub repository as "repository, GitHub".
Pure text; the caller escapes it for HTML or Markdown.
"""

from __future__ import annotations

from urllib.parse import urlparse

# (host, path prefix or "", bokmål label, English label): the first matching row wins, longest prefix first.
KNOWN_SOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("github.com", "/orcalabs/kyogre", "Havnedata (kyogre), GitHub", "Port data (kyogre), GitHub"),
    ("sdi.eea.europa.eu", "", "EEA, E-PRTR-registeret", "EEA, the E-PRTR register"),
    (
        "union-registry-data.ec.europa.eu",
        "",
        "EU ETS, EU Transaction Log (Europakommisjonen)",
        "EU ETS, EU Transaction Log (European Commission)",
    ),
    ("kartkatalog.geonorge.no", "", "Geonorge kartkatalog (Kartverket)", "Geonorge map catalogue (Kartverket)"),
    ("geonorge.no", "", "Geonorge (Kartverket)", "Geonorge (Kartverket)"),
    ("norskeutslipp.no", "", "Norske utslipp (Miljødirektoratet)", "Norske utslipp (Norwegian Environment Agency)"),
    ("miljodirektoratet.no", "", "Miljødirektoratet", "Norwegian Environment Agency"),
    ("ssb.no", "", "Statistisk sentralbyrå", "Statistics Norway"),
    ("nrk.no", "", "NRK", "NRK"),
    ("tu.no", "", "Teknisk Ukeblad", "Teknisk Ukeblad"),
    ("adressa.no", "", "Adresseavisen", "Adresseavisen"),
    ("avisa-st.no", "", "Avisa Sør-Trøndelag", "Avisa Sør-Trøndelag"),
    ("stortinget.no", "", "Stortinget", "Stortinget"),
    ("trondelagfylke.no", "", "Trøndelag fylkeskommune", "Trøndelag County Council"),
    ("ntnu.no", "", "NTNU", "NTNU"),
    ("en.wikipedia.org", "", "Wikipedia", "Wikipedia"),
    ("en.m.wikipedia.org", "", "Wikipedia", "Wikipedia"),
)


def source_label(url: str, lang: str = "nb") -> str | None:
    """What a link to `url` should read as, or None when it is not an http(s) link."""
    parsed = urlparse(str(url).strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return None
    host = readable_host(parsed.hostname or parsed.netloc)
    path = parsed.path or "/"
    for known, prefix, nb, en in KNOWN_SOURCES:
        if host == known and path.lower().startswith(prefix.lower()):
            return en if lang == "en" else nb
    parts = [p for p in path.split("/") if p]
    if host == "github.com" and len(parts) >= 2:
        return f"{parts[1]}, GitHub"
    return host


def readable_host(host: str) -> str:
    """The host as a reader would type it: without "www.", IDNA decoded (xn--… hosts in their own letters)."""
    host = host.lower().removeprefix("www.")
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host
