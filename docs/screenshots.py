"""Take the screenshots in docs/img/ of a review page and a bench page (needs playwright and Chromium).

    python docs/screenshots.py review.html bench.html docs/img

The pages come from the commands in docs/review.md; Chromium is the system's (/usr/bin/chromium).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def shoot(page, path: Path, selector: str | None = None) -> None:  # type: ignore[no-untyped-def]
    if selector:
        page.locator(selector).first.scroll_into_view_if_needed()
        page.evaluate("s => document.querySelector(s).scrollIntoView()", selector)
    page.screenshot(path=str(path))


def main(review: str, bench: str, out: str) -> None:
    folder = Path(out)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(Path(review).resolve().as_uri())
        shoot(page, folder / "review-summary.png")
        page.select_option("#sort", "score")
        page.locator("section.item:visible").first.locator("h2").focus()
        shoot(page, folder / "review-item.png", "section.item:not([hidden])")
        page.select_option("#sort", "input")
        page.select_option("#filter", "low")
        page.locator("section.item:visible tr.pair").first.focus()
        page.keyboard.press("a")
        page.keyboard.press("j")
        page.keyboard.press("r")
        shoot(page, folder / "review-triage.png", "section.item:not([hidden]) table.pairs")
        page.goto(Path(bench).resolve().as_uri())
        shoot(page, folder / "bench-summary.png")
        page.locator("#length-h ~ details summary").first.click()
        shoot(page, folder / "bench-buckets.png", "#length-h")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
