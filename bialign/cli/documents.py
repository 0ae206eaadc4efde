"""The ``documents`` subcommand: an English document and a Russian document aligned with each
other."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from pathlib import Path
from typing import Any

from ..align.aligner import Aligner
from ..align.signature import run_signature
from ..embed import DEFAULT_ENCODER, ENCODERS
from ..errors import BialignError, DocumentLanguageError, InputError
from ..formats import WRITERS, open_writer
from ..formats.ladder import BeadsOutput
from ..records import DocumentPair, Status
from ..run.outputs import check_outputs
from ..text.items import DEFAULT_MAX_CHARS, ReadOptions, item_id_from_path
from ..text.textio import open_text_read
from .align import add_run_options, beads_file, execute_run
from .support import (add_encoding_option, add_settings_options, add_verbosity, configure_logging, counted,
                      creation_date, output_format, positive_int, run_config, verbosity)

LOG = logging.getLogger("bialign")


def _read_document(path: str, encoding: str = "utf-8") -> str:
    try:
        with open_text_read(path, encoding=encoding) as handle:
            return handle.read()
    except FileNotFoundError as error:
        raise InputError(f"no such input: {path}") from error
    except UnicodeDecodeError as error:
        name = ReadOptions(encoding=encoding).encoding_name
        raise InputError(f"{path}: not valid {name} ({error.reason} at byte {error.start}); "
                         "--encoding names another encoding") from error
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from error


def cmd_documents(args: argparse.Namespace) -> int:
    english, russian = Path(args.english), Path(args.russian)
    if english.is_dir() or russian.is_dir():
        if not (english.is_dir() and russian.is_dir()):
            raise BialignError(f"documents {args.english} and {args.russian}: give two files, or two folders whose "
                               "documents are paired by name")
        if args.id:
            raise BialignError("--id names the pairs of one document pair; in folders each pair is named by its file")
        return execute_run(args, [args.english, args.russian], documents=True)
    return _one_pair(args)


def _one_pair(args: argparse.Namespace) -> int:
    """An English file and a Russian file aligned with each other, outputs written directly."""
    configure_logging(verbosity(args))
    check_outputs([args.english, args.russian], [args.output, beads_file(args.beads, single=True)])
    pair = DocumentPair.of(args.id or item_id_from_path(Path(args.english)),
                           _read_document(args.english, args.encoding), _read_document(args.russian, args.encoding),
                           args.sentence_per_line,
                           source=f"{args.english} + {args.russian}")
    config = run_config(args)
    aligner = Aligner(config)
    try:
        result = aligner.align_item(pair)
    except DocumentLanguageError as exc:
        hint = "give the English document first" if exc.swapped else "give an English and a Russian document"
        raise BialignError(f"documents {args.english} and {args.russian}: {exc}; {hint}, "
                           "or --force to align them as given") from None
    fmt = args.format or output_format(args.output)
    stream = sys.stdout if not args.output or args.output == "-" else None
    with contextlib.ExitStack() as stack:
        writer = stack.enter_context(open_writer(args.output or "-", fmt, run_signature(config, aligner.embedder),
                                                 stream, header=args.header, creation_date=args.creation_date))
        beads = stack.enter_context(BeadsOutput(args.beads)) if args.beads else None
        writer.write_all(result.pairs)
        if beads is not None:
            beads.write(result)
    LOG.info("bialign documents: %s written%s", counted(len(result.pairs), "pair"),
             f" ({result.reason})" if result.status == Status.NO_PAIRS else "")
    return 0


def add_subcommand(sub: Any) -> None:
    """Register ``documents`` on the main parser's subparsers."""
    documents = sub.add_parser(
        "documents", help="align an English document with a Russian document and write the pairs",
        description="Align an English document with its Russian translation (raw text, cleaned and split like "
                    "a block of a news item, or one sentence a line with --sentence-per-line), in order. Many "
                    "document pairs at once: a JSONL file of {\"id\", \"en\", \"ru\"} records given to bialign align.")
    documents.add_argument("english", metavar="EN", help="the English document (plain or compressed), or a folder of them")
    documents.add_argument("russian", metavar="RU", help="the Russian document, or a folder of them: a folder's documents "
                                                         "are paired by name (en/a.txt with ru/a.txt, or a.en with a.ru)")
    documents.add_argument("-o", "--output", help="output file (default, or -: standard output)")
    documents.add_argument("-f", "--format", choices=sorted(WRITERS), help="output format (default: from the extension)")
    add_encoding_option(documents)
    documents.add_argument("--encoding-errors", choices=("reject", "replace"), default="reject",
                           help="documents that are not valid in the encoding: reject them (default) or replace bad bytes")
    documents.add_argument("--max-chars", type=positive_int, default=DEFAULT_MAX_CHARS,
                           help=f"reject documents longer than this (default {DEFAULT_MAX_CHARS})")
    documents.add_argument("--id", help="the pairs' item id (default: the English file's name without extension)")
    documents.add_argument("--sentence-per-line", action="store_true",
                           help="every non-blank line is one sentence, taken as it is")
    documents.add_argument("-e", "--encoder", choices=sorted(ENCODERS), help=f"sentence encoder (default {DEFAULT_ENCODER})")
    documents.add_argument("-t", "--threshold", type=float, help="minimum pair score; same as --set threshold=T")
    add_settings_options(documents)
    documents.add_argument("--header", action="store_true", help="TSV: write a header line")
    documents.add_argument("--creation-date", type=creation_date, help="TMX: fixed creationdate (YYYYMMDDThhmmssZ)")
    add_run_options(documents)
    documents.add_argument("-q", "--quiet", action="store_true", help="no summary; warnings and errors only")
    add_verbosity(documents)
    documents.set_defaults(func=cmd_documents)
