"""Align a corpus with the library API and write TMX, counting what became of each item.

    python examples/align_corpus.py tests/data/dev.items.jsonl pairs.tmx
"""

import sys

import bialign
from bialign.formats import open_writer
from bialign.run.report import RunReport
from bialign.align.signature import run_signature


def main(source: str, target: str) -> None:
    aligner = bialign.Aligner()  # the default encoder, loaded once
    report = RunReport()
    signature = run_signature(aligner.config, aligner.embedder)
    with open_writer(target, signature=signature) as writer:  # format from the extension
        for result in aligner.align_items(bialign.read_items([source])):
            report.add(result)
            writer.write_all(result.pairs)
    print(report.summary(), file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:3])
