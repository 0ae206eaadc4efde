"""Items (one news story each) and the readers that stream them from files.

A ``.txt`` file is one item whose id is the file name without extension; a ``.jsonl`` or
``.jsonl.gz`` file holds one ``{"id": ..., "text": ...}`` object per line; a directory
means every such file below it, in sorted order. Readers never raise on bad input: they
yield a :class:`Rejected` record that says where and why, and go on.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from .textio import open_binary

ITEM_SUFFIXES = (".txt", ".txt.gz", ".jsonl", ".jsonl.gz")
DEFAULT_MAX_CHARS = 2_000_000


@dataclass(frozen=True)
class Item:
    """One news item: an id and its raw text, with where it was read from."""

    id: str
    text: str
    source: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Rejected:
    """An input record that could not become an item, with the reason and its raw content."""

    source: str
    line: int | None
    reason: str
    raw: str = ""
    id: str | None = None

    @property
    def where(self) -> str:
        """``file:line`` (or just the file) for messages."""
        return self.source + (f":{self.line}" if self.line is not None else "")


ReadResult = Union[Item, Rejected]


@dataclass(frozen=True)
class ReadOptions:
    """How readers treat problem input."""

    encoding_errors: str = "reject"  # "reject" the item, or "replace" bad bytes with U+FFFD
    max_chars: int = DEFAULT_MAX_CHARS


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in ITEM_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def item_id_from_path(path: Path) -> str:
    """The id of a ``.txt`` item: its file name without the extension(s)."""
    name = path.name
    for suffix in (".txt.gz", ".txt"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def safe_raw(data: bytes) -> str:
    """Bytes as text that keeps every byte: UTF-8 where valid, ``\\xNN`` escapes elsewhere."""
    return data.decode("utf-8", errors="backslashreplace")


def _decode(data: bytes, options: ReadOptions) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if options.encoding_errors == "replace":
            return data.decode("utf-8", errors="replace")
        return None


def _check_text(text: str, options: ReadOptions) -> str | None:
    """The reason a decoded text is not a usable item, or None."""
    if "\x00" in text:
        return "binary content (NUL bytes)"
    if len(text) > options.max_chars:
        return f"item too large: {len(text)} characters, limit {options.max_chars}"
    if not text.strip():
        return "empty item"
    return None


def read_txt(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[ReadResult]:
    """One ``.txt`` (or ``.txt.gz``) file as one item."""
    source = str(path)
    try:
        with open_binary(path) as handle:
            data = handle.read(options.max_chars * 4 + 1)
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejected(source, None, f"cannot read file: {exc}")
        return
    if len(data) > options.max_chars * 4:
        yield Rejected(source, None, f"item too large: over {options.max_chars * 4} bytes", safe_raw(data[:1000]))
        return
    text = _decode(data, options)
    if text is None:
        yield Rejected(source, None, "not valid UTF-8", safe_raw(data), item_id_from_path(path))
        return
    problem = _check_text(text, options)
    if problem:
        yield Rejected(source, None, problem, safe_raw(data) if len(data) < 1_000_000 else "", item_id_from_path(path))
        return
    yield Item(item_id_from_path(path), text, source)


def _json_item(line: bytes, source: str, number: int, options: ReadOptions) -> ReadResult:
    text_line = _decode(line, options)
    if text_line is None:
        return Rejected(source, number, "not valid UTF-8", safe_raw(line))
    try:
        record = json.loads(text_line)
    except json.JSONDecodeError as exc:
        return Rejected(source, number, f"not JSON: {exc.msg} at column {exc.colno}", text_line)
    if not isinstance(record, dict):
        return Rejected(source, number, f"not a JSON object but {type(record).__name__}", text_line)
    raw_id = record.get("id")
    item_id = str(raw_id) if raw_id is not None and not isinstance(raw_id, (dict, list)) else None
    if item_id is None:
        item_id = f"{Path(source).name}:{number}"
    if "text" not in record:
        return Rejected(source, number, "no 'text' field", text_line, item_id)
    text = record["text"]
    if not isinstance(text, str):
        return Rejected(source, number, f"'text' is {type(text).__name__}, not a string", text_line, item_id)
    problem = _check_text(text, options)
    if problem:
        return Rejected(source, number, problem, text_line if len(text_line) < 1_000_000 else "", item_id)
    return Item(item_id, text, source, number)


def read_jsonl(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[ReadResult]:
    """One item per non-blank line of a ``.jsonl`` (or ``.jsonl.gz``) file, streamed."""
    source = str(path)
    number = 0
    try:
        with open_binary(path) as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                yield _json_item(line.rstrip(b"\r\n"), source, number, options)
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejected(source, number + 1 if number else None, f"cannot read file: {exc}")


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Rejected]:
    """Expand paths: files as given, directories to their item files in sorted order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and _suffix(p) in ITEM_SUFFIXES
            )
            yield from found
        elif path.exists():
            yield path
        else:
            yield Rejected(str(path), None, "no such file or directory")


def read_items(
    paths: Iterable[str | os.PathLike[str]], options: ReadOptions = ReadOptions()
) -> Iterator[ReadResult]:
    """Stream items (and rejections) from files and directories."""
    for entry in iter_input_files(paths):
        if isinstance(entry, Rejected):
            yield entry
            continue
        suffix = _suffix(entry)
        if suffix in (".jsonl", ".jsonl.gz"):
            yield from read_jsonl(entry, options)
        elif suffix in (".txt", ".txt.gz"):
            yield from read_txt(entry, options)
        else:
            yield Rejected(str(entry), None, f"unknown input type '{suffix}': expected .txt or .jsonl(.gz)")
