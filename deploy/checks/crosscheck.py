"""A layer across replicas: uploaded through nginx (landing on A or B), seen on B; deleted on B, gone on A.

  python -m deploy.checks.crosscheck --via NGINX_URL --a A_URL --b B_URL --out FILE.json

B draws its map before the upload, so the check also shows that a replica's next rerun sees another's layer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
import uuid
from pathlib import Path

from deploy.checks.pages import (
    main_text,
    new_page,
    only_local,
    stored_features,
    wait_idle,
    wait_stored,
    wait_text,
    write_result,
)
from tests.helpers.chromium import launch


async def crosscheck(via: str, a: str, b: str) -> dict:
    from playwright.async_api import async_playwright

    title = f"Replika-test {uuid.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="industrikart-crosscheck-"))
    fixture = folder / "replika_test.geojson"
    points = [(10.40, 63.43), (11.30, 63.75), (9.85, 63.31)]
    fixture.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"navn": f"Punkt {i}"},
                        "geometry": {"type": "Point", "coordinates": xy},
                    }
                    for i, xy in enumerate(points)
                ],
            }
        )
    )
    out = {"title": title}
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            # B has drawn its map (and cached its data) before the upload: its next rerun must see the layer
            ctx_b, page_b, runs_b, _ = await new_page(browser, b)
            await wait_idle(page_b, runs_b)
            baseline = out["b_stored_features_before"] = await stored_features(page_b)

            ctx_a, page_a, runs_a, upstream = await new_page(browser, via.rstrip("/") + "/Last_opp")
            out["upload_upstream"] = upstream
            await page_a.locator('input[type="file"]').set_input_files(str(fixture), timeout=60_000)
            title_box = page_a.get_by_label("Tittel")
            await title_box.wait_for(timeout=90_000)
            await title_box.fill(title)
            await title_box.press("Enter")
            await page_a.wait_for_timeout(1500)
            await page_a.get_by_role("button", name="Lagre").click()
            await wait_text(page_a, f"Lagret «{title}»", timeout_s=90)
            out["uploaded_via_nginx"] = True

            await page_b.reload()
            out["b_stored_features"] = await wait_stored(page_b, lambda n: n > baseline)
            await page_b.goto(b.rstrip("/") + "/Kartlag")
            await wait_text(page_b, title)
            out["seen_on_b"] = True

            # delete on B: open its expander, confirm, delete
            expander = page_b.locator('[data-testid="stExpander"]').filter(has_text=title).first
            await expander.locator("summary").click()
            await expander.get_by_text("Ja, slett dette laget").click()
            await page_b.wait_for_timeout(1500)
            await expander.get_by_role("button", name="Slett", exact=True).click()
            await wait_text(page_b, "Slettet", timeout_s=60)

            since = runs_a.runs
            await page_a.goto(a)
            await wait_idle(page_a, runs_a, since)
            out["a_stored_features_after_delete"] = await wait_stored(page_a, lambda n: n == baseline)
            since = runs_a.runs
            await page_a.goto(a.rstrip("/") + "/Kartlag")
            assert await runs_a.wait_beyond(since, 60), "the Kartlag page on A never finished its run"
            text = await main_text(page_a)
            live = text.split("Slettet (kan gjenopprettes")[0]
            assert title not in live, "the deleted layer is still listed as live on A"
            out["gone_on_a"] = True
            await ctx_a.close()
            await ctx_b.close()
        finally:
            await browser.close()
            shutil.rmtree(folder, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--via", required=True, help="nginx in front of both replicas")
    parser.add_argument("--a", required=True, help="replica A, directly")
    parser.add_argument("--b", required=True, help="replica B, directly")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    for url in (args.via, args.a, args.b):
        only_local(url, "crosscheck")
    write_result(asyncio.run(crosscheck(args.via, args.a, args.b)), args.out)


if __name__ == "__main__":
    main()
