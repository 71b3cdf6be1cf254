"""axe-core (a copy bundled by axe-playwright-python) on a page and every frame in it: WCAG 2.1 A and AA."""

from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe

from tests.helpers.browser import OfflinePage

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()


def violations(page: OfflinePage, where: str) -> list[str]:
    """axe-core's violations in the page and in each of its frames, one line per rule and element."""
    found = []
    for frame in page.page.frames:
        if frame.is_detached():
            continue
        result = _axe.run(frame, options=AXE_OPTIONS).response
        for rule in result["violations"]:
            for node in rule["nodes"]:
                found.append(
                    f"{where} [{'main' if frame == page.page.main_frame else frame.url.split('?')[0]}] "
                    f"{rule['id']} ({rule['impact']}): {json.dumps(node['target'])}\n"
                    f"    {node.get('failureSummary', '').replace(chr(10), ' ')}\n    {rule['helpUrl']}"
                )
    return found


def assert_no_violations(page: OfflinePage, where: str) -> None:
    found = violations(page, where)
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found)
