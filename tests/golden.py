"""The outputs of ``bialign align`` on dev in every format, kept as reference files.

``python tests/golden.py`` writes them anew into ``tests/data/golden/``; do that only when a
change is meant to change the pairs, and say so in its commit. ``test_golden_outputs.py``
checks that the command still writes exactly these bytes.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV_ITEMS = HERE / "data" / "dev.items.jsonl"
GOLDEN = HERE / "data" / "golden"
CREATION_DATE = "20260101T000000Z"
# format -> the files one run writes (Moses writes a pair of files from one stem)
FILES = {"jsonl": ["dev.jsonl"], "tsv": ["dev.tsv"], "tmx": ["dev.tmx"], "moses": ["dev.en", "dev.ru"]}


def align_command(fmt: str, out_dir: Path, cache_dir: Path) -> list[str]:
    """The ``bialign align`` arguments that write dev in ``fmt`` into ``out_dir``."""
    output = out_dir / ("dev" if fmt == "moses" else FILES[fmt][0])
    return ["align", str(DEV_ITEMS), "-o", str(output), "--format", fmt, "--creation-date", CREATION_DATE,
            "--cache", str(cache_dir), "-q"]


def write_outputs(out_dir: Path, cache_dir: Path) -> dict[str, bytes]:
    """Run ``bialign align`` once per format; the bytes of every file written, by name."""
    from bialign.cli import main

    written = {}
    for fmt, names in FILES.items():
        if main(align_command(fmt, out_dir, cache_dir)) != 0:
            raise RuntimeError(f"bialign align --format {fmt} failed")
        written.update({name: (out_dir / name).read_bytes() for name in names})
    return written


def golden_bytes(name: str) -> bytes:
    """The reference bytes of one output file (stored gzip-compressed)."""
    return gzip.decompress((GOLDEN / f"{name}.gz").read_bytes())


def main() -> None:
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in write_outputs(Path(tmp), Path(tmp) / "cache").items():
            (GOLDEN / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
            print(f"{name}: {len(data)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
