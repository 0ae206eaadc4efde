"""The frame of bialign's self-contained HTML pages: escaping, a document, shared style."""

from __future__ import annotations

import html

BASE_CSS = """
:root { color-scheme: light; --fg: #1d1d1f; --muted: #5b5b66; --line: #d0d0d8; --bg2: #f4f4f7; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       margin: 0 auto; padding: 0 1.2rem 3rem; max-width: 1400px; }
h1 { font-size: 1.5rem; margin: 1rem 0 .3rem; } h2 { font-size: 1.2rem; margin: 1.4rem 0 .4rem; }
h3 { font-size: 1rem; margin: .6rem 0 .3rem; }
table { border-collapse: collapse; margin: .4rem 0 .8rem; }
th, td { border: 1px solid var(--line); padding: .2rem .45rem; vertical-align: top; text-align: left; }
thead th { background: var(--bg2); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
.muted { color: var(--muted); }
.bar { display: inline-block; height: .8em; background: #5b8fb9; vertical-align: middle; }
.note { background: #fff8d6; border: 1px solid #e8d88f; padding: .3rem .6rem; }
[hidden] { display: none !important; }
:focus-visible { outline: 3px solid #e08a00; outline-offset: 1px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""


def esc(value: object) -> str:
    """Text (or an attribute value) with ``& < > " '`` escaped."""
    return html.escape(str(value), quote=True)


def script_text(code: str) -> str:
    """JavaScript safe inside a ``<script>`` element (no closing tag can appear)."""
    return code.replace("</", "<\\/")


def document(title: str, body: str, css: str = "", script: str = "") -> str:
    """A complete HTML5 document with inline style and script, nothing fetched."""
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             # nothing may be loaded from anywhere: the page is complete as it is
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
             "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
             f"<title>{esc(title)}</title>", f"<style>{BASE_CSS}{css}</style>", "</head>", "<body>", body]
    if script:
        parts.append(f"<script>{script_text(script)}</script>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
