"""Items (one news story each) and the readers that stream them from files.

A ``.txt`` file is one item whose id is the file name without extension; a ``.jsonl``
file holds one ``{"id": ..., "text": ...}`` object per line; either may be compressed
(``.gz``, ``.xz``, ``.bz2``, ``.zst``); a directory means every such file below it, in
sorted order, except the outputs of the run itself; ``-`` is standard input (JSONL when
it starts with ``{``, else one text item). Readers never raise on bad input: they
yield a :class:`Rejected` record that says where and why, with the original content, and
go on. Reads are bounded: an oversized item is rejected without being loaded whole.
What is rejected, repaired and kept is listed in ``docs/guarantees.md``.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import json
import logging
import lzma
import os
import re
import sys
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from ..errors import MissingDependencyError, SettingsError, check_count, location
from ..records import DocumentPair, Item, ReadResult, Rejected
from .textio import COMPRESSED_SUFFIXES, STDIO, open_binary

ITEM_SUFFIXES = tuple(base + comp for base in (".txt", ".jsonl") for comp in ("",) + COMPRESSED_SUFFIXES)
#: the name standard input goes by in messages and rejections
STDIN_SOURCE = "<stdin>"
#: the id of the one item of a standard input that is not JSONL
STDIN_ID = "stdin"
DEFAULT_MAX_CHARS = 2_000_000
#: bytes of an oversized item kept in its rejection (the rest stays in the source file)
RAW_PREFIX_BYTES = 65_536
#: JSON may spell one character with up to 6 bytes (``\\uXXXX``); lines longer than this
#: many bytes per allowed character are rejected unread
JSON_BYTES_PER_CHAR = 6
_READ_BLOCK = 1 << 20
LOG = logging.getLogger(__name__)  # under "bialign": the library logs, the CLI shows

_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f]")
#: share of control characters above which a text is taken for binary data
BINARY_CONTROL_SHARE = 0.1
_BOM = "\ufeff"

_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, lzma.LZMAError,
                                                 MissingDependencyError)


def _read_errors() -> tuple[type[BaseException], ...]:
    """Errors of a file that breaks off or is not what its name says (zstandard's too, when installed)."""
    zstandard = sys.modules.get("zstandard")
    return _READ_ERRORS + ((zstandard.ZstdError,) if zstandard is not None else ())


@dataclass(frozen=True)
class ReadOptions:
    """How readers treat problem input."""

    encoding_errors: str = "reject"  # "reject" the item, or "replace" bad bytes with U+FFFD
    max_chars: int = DEFAULT_MAX_CHARS
    duplicate_ids: str = "reject"  # "reject" a later item with an id already read, or "keep" it
    #: absolute paths never read as items when met inside a directory: the run's own outputs
    #: (and their journals), so a second run into the same folder does not read the first's pairs
    exclude: tuple[str, ...] = ()
    #: the inputs' character encoding: UTF-8, or another that keeps ASCII as it is (cp1251, koi8-r, ...)
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.encoding_errors not in ("reject", "replace"):
            raise SettingsError(f"encoding_errors must be 'reject' or 'replace', not {self.encoding_errors!r}")
        if self.duplicate_ids not in ("reject", "keep"):
            raise SettingsError(f"duplicate_ids must be 'reject' or 'keep', not {self.duplicate_ids!r}")
        check_count("max_chars", self.max_chars)
        check_encoding(self.encoding)

    @property
    def encoding_name(self) -> str:
        """The encoding as messages name it (``UTF-8`` for UTF-8)."""
        return "UTF-8" if codecs.lookup(self.encoding).name == "utf-8" else self.encoding


def check_encoding(encoding: str) -> str:
    """``encoding`` when it is a known encoding that keeps ASCII as it is (JSON and line ends are
    read as bytes), else a SettingsError naming it."""
    try:
        codec = codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise SettingsError(f"unknown encoding {encoding!r}") from None
    sample = '{"id": "a", "text": "b"}\n'
    try:
        ascii_compatible = codec.encode(sample)[0] == sample.encode("ascii")
    except UnicodeError:
        ascii_compatible = False
    if not ascii_compatible:
        raise SettingsError(f"encoding {encoding!r} does not keep ASCII as it is; convert the input to UTF-8 first")
    return encoding


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in ITEM_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def item_id_from_path(path: Path) -> str:
    """The id of a ``.txt`` item: its file name without the extension(s)."""
    name = path.name
    for suffix in sorted((s for s in ITEM_SUFFIXES if s.startswith(".txt")), key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _rejected(source: str, line: int | None, reason: str, data: bytes, item_id: str | None = None,
              truncated: bool = False) -> Rejected:
    """A rejection keeping ``data`` exactly: as text when it is UTF-8, else as base64."""
    try:
        return Rejected(source, line, reason, data.decode("utf-8"), item_id, truncated=truncated)
    except UnicodeDecodeError:
        return Rejected(source, line, reason, "", item_id, base64.b64encode(data).decode("ascii"), truncated)


def _decode(data: bytes, options: ReadOptions) -> tuple[str | None, str]:
    """The text of ``data`` and what was repaired; None when it is not in the encoding and may not be."""
    try:
        text, repaired = data.decode(options.encoding), ""
    except UnicodeDecodeError:
        if options.encoding_errors != "replace":
            return None, ""
        text, repaired = data.decode(options.encoding, errors="replace"), f"invalid {options.encoding_name} replaced"
    if text.startswith(_BOM):
        text = text[1:]
    return text, repaired


def _check_text(text: str, options: ReadOptions) -> str | None:
    """The reason a decoded text is not a usable item, or None."""
    if "\x00" in text:
        return "binary content (NUL bytes)"
    if len(text) > options.max_chars:
        return f"item too large: {len(text)} characters, limit {options.max_chars} (--max-chars)"
    if not text.strip():
        return "empty item" if not text else "empty item (whitespace only)"
    if len(_CONTROL.findall(text)) > BINARY_CONTROL_SHARE * len(text):
        return "binary content (control characters)"
    return None


def _fix_surrogates(value: str, field: str, options: ReadOptions) -> tuple[str | None, str]:
    """JSON ``\\ud800`` escapes give lone surrogates no UTF-8 file can hold."""
    if not _SURROGATES.search(value):
        return value, ""
    if options.encoding_errors != "replace":
        return None, f"lone surrogate in '{field}' (not valid Unicode)"
    return _SURROGATES.sub("\ufffd", value), f"lone surrogate in '{field}' replaced"


def _read_bounded(handle: IO[bytes], limit: int) -> tuple[bytes, bool]:
    """Up to ``limit`` bytes; True when there was more (the rest is left unread)."""
    data = handle.read(limit + 1)
    return (data[:RAW_PREFIX_BYTES], True) if len(data) > limit else (data, False)


class _Ids:
    """Ids already read, to reject (or keep) later items with the same id.

    A corpus of millions of items must not need memory per item, so ids are kept as
    64-bit hashes in an open-addressing table of two flat arrays: 16 bytes an id (the
    first place of each, as file number and line, for the message), plus one path per
    input file. Two different ids share a hash with odds of about n² / 2⁶⁵ (3 in 10⁸ for a
    million items); the later item would then be rejected, with its text, not lost.
    """

    _EMPTY = 0
    _MAX_FILES = (1 << 24) - 1  # files beyond it are remembered as "an earlier file"

    def __init__(self, options: ReadOptions) -> None:
        self.enabled = options.duplicate_ids == "reject"
        self._hashes = array("Q", bytes(8 * 1024))
        self._places = array("Q", bytes(8 * 1024))  # file number << 40 | line
        self._count = 0
        self._files: list[str] = []
        self._file_numbers: dict[str, int] = {}

    @staticmethod
    def _hash(item_id: str) -> int:
        digest = hashlib.blake2b(item_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        return int.from_bytes(digest, "little") or 1  # 0 marks an empty slot

    def _slot(self, key: int) -> int:
        mask = len(self._hashes) - 1
        slot = key & mask
        while self._hashes[slot] not in (self._EMPTY, key):
            slot = (slot + 1) & mask
        return slot

    def _grow(self) -> None:
        hashes, places = self._hashes, self._places
        self._hashes = array("Q", bytes(16 * len(hashes)))
        self._places = array("Q", bytes(16 * len(hashes)))
        for key, place in zip(hashes, places):
            if key != self._EMPTY:
                slot = self._slot(key)
                self._hashes[slot], self._places[slot] = key, place

    def duplicate(self, item_id: str, source: str, line: int | None = None) -> str | None:
        """The reason to reject ``item_id`` as a duplicate, or None (and remember where it was)."""
        if not self.enabled:
            return None
        key = self._hash(item_id)
        slot = self._slot(key)
        if self._hashes[slot] == key:
            place = self._places[slot]
            number, first_line = place >> 40, place & ((1 << 40) - 1)
            first = location(self._files[number], first_line or None) if number < len(self._files) else "an earlier file"
            return f"duplicate id: '{item_id}' (first at {first})"
        number = self._file_numbers.get(source, len(self._files))
        if number == len(self._files) and number < self._MAX_FILES:
            self._file_numbers[source] = number
            self._files.append(source)
        self._hashes[slot], self._places[slot] = key, (number << 40) | (line or 0)
        self._count += 1
        if 2 * self._count > len(self._hashes):
            self._grow()
        return None


def read_txt(path: Path, options: ReadOptions = ReadOptions(), ids: _Ids | None = None) -> Iterator[ReadResult]:
    """One ``.txt`` (or compressed ``.txt``) file as one item."""
    source, item_id = str(path), item_id_from_path(path)
    try:
        with open_binary(path) as handle:
            yield _text_item(handle, source, item_id, options, ids)
    except _read_errors() as exc:
        yield Rejected(source, None, f"cannot read file: {exc}", id=item_id)


def _whole_text(handle: IO[bytes], options: ReadOptions, what: str) -> tuple[str | None, str, bytes, bool]:
    """The text of the whole of ``handle`` (read bounded: an oversized ``what``, an item or a
    document, is not loaded) and what was repaired; or None and why not. Then the bytes read,
    and whether they stop short of the end."""
    limit = options.max_chars * 4  # UTF-8 spends at most 4 bytes on a character
    data, too_large = _read_bounded(handle, limit)
    if too_large:
        return None, f"{what} too large: over {limit} bytes, limit {options.max_chars} characters (--max-chars)", \
            data, True
    text, repaired = _decode(data, options)
    if text is None:
        return None, f"not valid {options.encoding_name}", data, False
    return text, repaired, data, False


def _text_item(handle: IO[bytes], source: str, item_id: str, options: ReadOptions,
               ids: _Ids | None) -> ReadResult:
    """The whole of ``handle`` as one item."""
    text, repaired, data, truncated = _whole_text(handle, options, "item")
    if text is None:
        return _rejected(source, None, repaired, data, item_id, truncated)
    problem = _check_text(text, options) or (ids.duplicate(item_id, source) if ids else None)
    if problem:
        return _rejected(source, None, problem, data, item_id)
    return Item(item_id, text, source, repaired=repaired)


def _json_item(line: bytes, source: str, number: int, options: ReadOptions, ids: _Ids | None = None) -> ReadResult:
    text_line, repaired = _decode(line, options)
    if text_line is None:
        return _rejected(source, number, f"not valid {options.encoding_name}", line)
    try:
        record = json.loads(text_line)
    except json.JSONDecodeError as exc:
        return _rejected(source, number, f"not JSON: {exc.msg} at column {exc.colno}", line)
    except RecursionError:
        return _rejected(source, number, "not JSON: nested too deeply", line)
    if not isinstance(record, dict):
        return _rejected(source, number, f"not a JSON object but {type(record).__name__}", line)
    raw_id = record.get("id")
    item_id = str(raw_id) if raw_id is not None and not isinstance(raw_id, (dict, list)) else None
    if item_id is None:
        item_id = f"{Path(source).name}:{number}"
    item_id, id_repair = _fix_surrogates(item_id, "id", options)
    if item_id is None:
        return _rejected(source, number, id_repair, line)
    if "text" not in record and "en" in record and "ru" in record:
        return _document_pair(record, item_id, repaired, line, source, number, options, ids)
    if "text" not in record:
        return _rejected(source, number, "no 'text' field (nor 'en' and 'ru')", line, item_id)
    text = record["text"]
    if not isinstance(text, str):
        return _rejected(source, number, f"'text' is {type(text).__name__}, not a string", line, item_id)
    text, text_repair = _fix_surrogates(text, "text", options)
    if text is None:
        return _rejected(source, number, text_repair, line, item_id)
    problem = _check_text(text, options) or (ids.duplicate(item_id, source, number) if ids else None)
    if problem:
        return _rejected(source, number, problem, line, item_id)
    return Item(item_id, text, source, number, "; ".join(r for r in (repaired, id_repair, text_repair) if r))


def _document_pair(record: dict, item_id: str, repaired: str, line: bytes, source: str, number: int,
                   options: ReadOptions, ids: _Ids | None) -> ReadResult:
    """A ``{"id", "en", "ru"}`` record: two documents to align with each other."""
    sides: dict[str, str] = {}
    repairs = [repaired]
    for field in ("en", "ru"):
        value = record[field]
        if not isinstance(value, str):
            return _rejected(source, number, f"'{field}' is {type(value).__name__}, not a string", line, item_id)
        fixed, repair = _fix_surrogates(value, field, options)
        if fixed is None:
            return _rejected(source, number, repair, line, item_id)
        sides[field] = fixed
        repairs.append(repair)
    pair = DocumentPair.of(item_id, sides["en"], sides["ru"], bool(record.get("sentence_per_line", False)),
                           source, number, "; ".join(r for r in repairs if r))
    problem = _check_text(pair.text, options) or (ids.duplicate(item_id, source, number) if ids else None)
    if problem:
        return _rejected(source, number, problem, line, item_id)
    return pair


def _bounded_lines(handle: IO[bytes], limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """``(number, line, too_large)``; a line over ``limit`` bytes is skipped, keeping a prefix."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the line without keeping it
                rest = handle.readline(_READ_BLOCK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, line[:RAW_PREFIX_BYTES], True
        else:
            yield number, line, False


def read_jsonl(path: Path, options: ReadOptions = ReadOptions(), ids: _Ids | None = None,
               on_position: Callable[[int], None] | None = None) -> Iterator[ReadResult]:
    """One item per non-blank line of a ``.jsonl`` (or compressed ``.jsonl``) file, streamed.

    A file that breaks off (a truncated ``.gz``) keeps the items before the break and
    ends with one rejection naming the line where reading failed. ``on_position`` hears
    how far into the file (in bytes as stored) reading has come, after each record.
    """
    try:
        with open_binary(path) as handle:
            raw = getattr(handle, "raw_file", handle)
            for record in _jsonl_items(handle, str(path), options, ids):
                if on_position is not None:
                    on_position(raw.tell())
                yield record
    except _read_errors() as exc:
        yield Rejected(str(path), None, f"cannot read file: {exc}")


def _jsonl_items(handle: IO[bytes], source: str, options: ReadOptions, ids: _Ids | None) -> Iterator[ReadResult]:
    limit = options.max_chars * JSON_BYTES_PER_CHAR + 65_536
    number = 0
    try:
        for number, line, too_large in _bounded_lines(handle, limit):
            if too_large:
                yield _rejected(source, number, f"item too large: line over {limit} bytes, limit "
                                f"{options.max_chars} characters (--max-chars)", line, truncated=True)
                continue
            if not line.strip():
                continue
            yield _json_item(line.rstrip(b"\r\n"), source, number, options, ids)
    except _read_errors() as exc:
        yield Rejected(source, number + 1 if number else None, f"cannot read file: {exc}")


def read_stdin(options: ReadOptions = ReadOptions(), ids: _Ids | None = None,
               stream: IO[bytes] | None = None) -> Iterator[ReadResult]:
    """Items from standard input (or ``stream``): JSONL when it starts with ``{``, else one text item."""
    handle = stream if stream is not None else sys.stdin.buffer
    peek = getattr(handle, "peek", None)
    head = peek(65_536) if peek is not None else b""
    if head.lstrip()[:1] == b"{" or (peek is None):
        yield from _jsonl_items(handle, STDIN_SOURCE, options, ids)
    else:
        yield _text_item(handle, STDIN_SOURCE, STDIN_ID, options, ids)


def _excluded(path: Path, exclude: tuple[str, ...]) -> bool:
    """Whether ``path`` is one of ``exclude`` (absolute paths) or lies below one of them."""
    if not exclude:
        return False
    full = os.path.realpath(path)
    return any(full == other or full.startswith(other.rstrip(os.sep) + os.sep) for other in exclude)


def iter_input_files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                     exclude: tuple[str, ...] = ()) -> Iterator[Path | Rejected]:
    """Expand paths (one path or several): files as given, directories to their item files in sorted order.

    Files inside a directory that are (or lie below) one of ``exclude`` are left out.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    exclude = tuple(os.path.realpath(p) for p in exclude)
    for raw in paths:
        path = Path(raw)
        if str(raw) == STDIO:
            yield path
        elif path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and _suffix(p) in ITEM_SUFFIXES and not _excluded(p, exclude)
            )
            yield from found
        elif path.exists():
            yield path
        else:
            yield Rejected(str(path), None, "no such file or directory")


def input_bytes(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                exclude: tuple[str, ...] = (), documents: bool = False) -> int | None:
    """Bytes on disk of every input file (the total of a progress bar); None for standard input.
    With ``documents``, ``paths`` are folders of documents (:func:`read_document_folders`)."""
    if documents:
        roots = [paths] if isinstance(paths, (str, os.PathLike)) else paths
        files: Iterable[Path | Rejected] = [file for root in roots
                                            for file in document_files(Path(root), exclude).values()]
    else:
        files = iter_input_files(paths, exclude)
    total = 0
    for entry in files:
        if isinstance(entry, Rejected):
            continue
        if str(entry) == STDIO:
            return None
        try:
            total += entry.stat().st_size
        except OSError:
            pass
    return total


def read_items(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], options: ReadOptions = ReadOptions(),
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[ReadResult]:
    """Stream items (and rejections) from one path or several files and directories, in a fixed order.

    ``on_bytes``, when given, hears after each file how many bytes of input files (as
    stored on disk) have been read so far, for a progress display.
    """
    ids = _Ids(options)
    done = 0
    for entry in iter_input_files(paths, options.exclude):
        if isinstance(entry, Rejected):
            yield entry
            continue
        LOG.debug("reading %s", STDIN_SOURCE if str(entry) == STDIO else entry)
        if str(entry) == STDIO:
            yield from read_stdin(options, ids)
            continue
        suffix = _suffix(entry)
        if suffix.startswith(".jsonl"):
            records = read_jsonl(entry, options, ids, on_bytes and (lambda position: on_bytes(done + position)))
        elif suffix.startswith(".txt"):
            records = read_txt(entry, options, ids)
        else:
            yield Rejected(str(entry), None, f"unknown input type '{suffix}': expected .txt or .jsonl "
                           f"(plain or {', '.join(COMPRESSED_SUFFIXES)})")
            continue
        yield from records
        try:
            done += entry.stat().st_size
        except OSError:
            pass
        if on_bytes is not None:
            on_bytes(done)


def document_key(path: Path, root: Path) -> str:
    """The name a document is paired by: its path below ``root`` without its extension (and
    a compression suffix), ``/``-separated: ``en/news/a.txt`` and ``ru/news/a.ru`` are ``news/a``."""
    relative = path.relative_to(root).as_posix()
    for suffix in COMPRESSED_SUFFIXES:
        if relative.lower().endswith(suffix):
            relative = relative[: -len(suffix)]
            break
    folder, _, name = relative.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{folder}/{stem}" if folder else stem


def document_files(root: Path, exclude: tuple[str, ...] = ()) -> dict[str, Path]:
    """The document files below ``root`` by :func:`document_key` (hidden files left out)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts) \
                and not _excluded(path, exclude):
            found.setdefault(document_key(path, root), path)
    return found


def _read_document(path: Path, options: ReadOptions) -> tuple[str | None, str, bytes, bool]:
    """A document's text, as :func:`_whole_text` gives it (or None and why the file cannot be read)."""
    try:
        with open_binary(path) as handle:
            return _whole_text(handle, options, "document")
    except _read_errors() as exc:
        return None, f"cannot read file: {exc}", b"", False


def read_document_folders(english: str | os.PathLike[str], russian: str | os.PathLike[str],
                          options: ReadOptions = ReadOptions(), on_bytes: Callable[[int], None] | None = None,
                          sentence_per_line: bool = False) -> Iterator[ReadResult]:
    """Pairs of documents from an English folder and a Russian folder, paired by name
    (:func:`document_key`), in sorted order; a document found on one side only, or one that
    cannot be read, is a rejection naming it."""
    roots = {"en": Path(english), "ru": Path(russian)}
    for lang, root in roots.items():
        if not root.is_dir():
            yield Rejected(str(root), None, "no such directory" if not root.exists() else "not a directory")
            return
    found = {lang: document_files(root, options.exclude) for lang, root in roots.items()}
    done = 0
    for key in sorted(found["en"].keys() | found["ru"].keys()):
        paths = {lang: found[lang].get(key) for lang in roots}
        missing = [lang for lang, path in paths.items() if path is None]
        if missing:
            [lang] = missing
            other = "en" if lang == "ru" else "ru"
            name = "Russian" if lang == "ru" else "English"
            yield Rejected(str(paths[other]), None, f"no {name} document named {key} in {roots[lang]}", id=key)
            continue
        texts: dict[str, str] = {}
        repairs: list[str] = []
        for lang, path in paths.items():
            assert path is not None
            text, note, data, truncated = _read_document(path, options)
            done += len(data)
            if text is None:
                yield _rejected(str(path), None, note, data, key, truncated)
                break
            texts[lang] = text
            repairs.append(note)
        else:
            pair = DocumentPair.of(key, texts["en"], texts["ru"], sentence_per_line, f"{paths['en']} + {paths['ru']}",
                                   None, "; ".join(r for r in repairs if r))
            problem = _check_text(pair.text, options)
            yield _rejected(str(paths["en"]), None, problem, texts["en"].encode("utf-8"), key) if problem else pair
        if on_bytes is not None:
            on_bytes(done)
