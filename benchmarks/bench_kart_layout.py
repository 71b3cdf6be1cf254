"""Kart as a planner first sees it, side by side for a baseline revision and ours: where the map starts
on a 1366×768 laptop, and how big Elkem Thamshavn's popup is at 1600×1000 once clicked at zoom 11.

    .venv/bin/python -m benchmarks.bench_kart_layout [--baseline REV]

Each revision's app is started on the bundled data with an empty store of its own and driven by Debian's chromium
(offline: no tiles). `--baseline REV` runs the same from a git worktree of REV, with this venv.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.revisions import checkouts, served_script
from tests.helpers.browser import OfflinePage, run, running_app
from tests.helpers.chromium import launch

ELKEM = "src-elkem-thamshavn"
_CLICK = """(id) => { let hit = null;
    window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.layer === 'sources' && p.ids.includes(id)) hit = l; });
    if (hit) hit.fire('click', {latlng: hit.getLatLng(), layer: hit}, true);
    return hit !== null; }"""
_POPUP_BOX = """() => { const r = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
    return [Math.round(r.width), Math.round(r.height)]; }"""


def map_top(browser, url: str) -> float:
    """The map's top edge, px from the top of a 1366×768 window."""
    page = OfflinePage(browser, url)
    try:
        page.page.set_viewport_size({"width": 1366, "height": 768})
        page.wait_for_features(timeout_s=90)
        run(page)
        return page.page.locator("iframe").first.bounding_box()["y"]
    finally:
        page.close()


def popup_size(browser, url: str) -> list[int]:
    """Elkem's popup (width, height in px) at 1600×1000, clicked at zoom 11."""
    page = OfflinePage(browser, url)
    try:
        page.page.set_viewport_size({"width": 1600, "height": 1000})
        page.wait_for_features(timeout_s=90)
        run(page)
        page.map_frame().evaluate("() => window.map.setView([63.32083, 9.87833], 11, {animate: false})")
        run(page)
        frame = page.map_frame()
        if not frame.evaluate(_CLICK, ELKEM):
            raise SystemExit(f"{ELKEM} is not on the map")
        frame.locator(".leaflet-popup-content-wrapper").wait_for(timeout=30_000)
        return page.map_frame().evaluate(_POPUP_BOX)
    finally:
        page.close()


def measure(tree: Path) -> dict:
    with running_app(str(tree / served_script(tree)), cwd=tree) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            return {"top": map_top(browser, url), "popup": popup_size(browser, url)}
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="a git revision to measure beside ours (a worktree of it is made)")
    args = parser.parse_args()
    with checkouts(args.baseline) as trees:
        results = {name: measure(tree) for name, tree in trees.items()}
    print(f"{'':<36} " + " ".join(f"{name:>22}" for name in results))
    print(f"{'map top at 1366×768 (px)':<36} " + " ".join(f"{r['top']:>22.0f}" for r in results.values()))
    popups = [f"{r['popup'][0]}×{r['popup'][1]}" for r in results.values()]
    print(f"{'Elkem popup at 1600×1000 (px)':<36} " + " ".join(f"{p:>22}" for p in popups))


if __name__ == "__main__":
    main()
