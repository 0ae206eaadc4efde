"""Opening plain and compressed text files, and writing outputs.

Regular files are written atomically (a temporary file renamed into place), with the
mode the umask gives a new file. ``-`` (standard output), FIFOs, character devices and
``/dev/std*`` / ``/dev/fd/*`` are written directly: renaming over them would replace the
pipe or device with a regular file.
"""

from __future__ import annotations

import bz2
import contextlib
import errno
import gzip
import io
import lzma
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

from ..errors import BialignError, MissingDependencyError

COMPRESSED_SUFFIXES = (".gz", ".xz", ".bz2", ".zst")
STDIO = "-"
#: errors of a write that the destination cannot take (full disk, quota, file size limit, ...)
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EACCES, errno.EPERM,
               errno.EISDIR, errno.ENOTDIR}


class OutputError(BialignError, OSError):
    """An output cannot be written (full disk, no permission, missing directory, ...)."""


def _open_zstd(raw: IO[bytes]) -> IO[bytes]:
    try:
        from compression import zstd  # type: ignore[import-not-found]  # Python 3.14+

        return zstd.ZstdFile(raw, "rb")  # type: ignore[no-any-return]
    except ImportError:
        pass
    try:
        import zstandard
    except ImportError as exc:
        raise MissingDependencyError("zstandard", "zstd", "reading .zst files") from exc
    reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=True)
    return io.BufferedReader(reader)  # type: ignore[arg-type]  # adds readline


def decompressing(raw: IO[bytes], name: str) -> IO[bytes]:
    """``raw`` decompressed by the file name's suffix (``.gz``, ``.xz``, ``.bz2``, ``.zst``)."""
    name = name.lower()
    if name.endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if name.endswith(".xz"):
        return lzma.LZMAFile(raw, "rb")  # type: ignore[return-value]
    if name.endswith(".bz2"):
        return bz2.BZ2File(raw, "rb")  # type: ignore[return-value]
    if name.endswith(".zst"):
        return _open_zstd(raw)
    return raw


def open_binary(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open a file for reading bytes, decompressing ``.gz``, ``.xz``, ``.bz2`` and ``.zst`` transparently."""
    path = Path(path)
    raw = open(path, "rb")
    if not str(path).lower().endswith(COMPRESSED_SUFFIXES):
        return raw
    try:
        stream = decompressing(raw, path.name)
    except BaseException:
        raw.close()
        raise
    return _OwningStream(stream, raw)  # type: ignore[return-value]


class _OwningStream:
    """A decompressed stream that also closes its underlying file."""

    def __init__(self, stream: IO[bytes], raw: IO[bytes]) -> None:
        self._stream, self._raw = stream, raw

    @property
    def raw_file(self) -> IO[bytes]:
        """The compressed file under the stream (its ``tell()`` is how much was read)."""
        return self._raw

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._raw.close()

    @property
    def closed(self) -> bool:
        return bool(self._raw.closed)

    def __enter__(self) -> "_OwningStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_text_read(path: str | os.PathLike[str], errors: str = "strict", encoding: str = "utf-8") -> IO[str]:
    """Open a (possibly compressed) UTF-8 (or ``encoding``) file for reading text.

    ``newline=""`` keeps ``\\r`` and other line ends inside the text as they are: callers
    split records on ``\\n`` only, so a stray ``\\r`` or U+2028 never shifts a record.
    """
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors=errors, newline="")  # type: ignore[arg-type]


def is_stream_target(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is written directly: ``-``, ``/dev/std*``, ``/dev/fd/*``, a FIFO or a character device."""
    name = str(path)
    if name == STDIO or name.startswith(("/dev/std", "/dev/fd/", "/proc/self/fd/")):
        return True
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def new_file_mode() -> int:
    """The mode a new file gets under the current umask (0644 under umask 022)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: read it by setting it (and restore it at once)
    os.umask(mask)
    return 0o666 & ~mask


def write_failure(path: str | os.PathLike[str], exc: OSError) -> OutputError:
    """The one-line error for an output that could not be written."""
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


@contextlib.contextmanager
def _direct_write(path: str | os.PathLike[str], binary: bool) -> Iterator[IO]:
    """Write straight to standard output, a pipe or a device (no temporary file, no rename)."""
    if str(path) == STDIO:
        stream: IO = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    try:
        handle = open(path, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": "\n"}))
    except OSError as exc:
        raise write_failure(path, exc) from exc
    with handle:
        yield handle


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Write an output: a regular file atomically, a stream target directly.

    A regular file is written to a temporary file beside ``path`` (with the mode the umask
    gives new files) and renamed into place on success; on an exception the temporary file
    is removed and ``path`` is left untouched, so a reader never sees a half-written
    output. ``.gz`` paths are compressed. ``-``, FIFOs and devices are written directly
    (:func:`is_stream_target`). A write the destination cannot take raises
    :class:`OutputError` naming ``path``.
    """
    binary = "b" in mode
    if is_stream_target(path):
        with _direct_write(path, binary) as stream:
            yield stream
        return
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():  # found now, not by the rename after the whole run
        raise OutputError(f"cannot write {path}: it is a directory")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise write_failure(path, exc) from exc
    try:
        os.fchmod(fd, new_file_mode())
        with os.fdopen(fd, "wb") as raw:
            stream: IO = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if path.suffix == ".gz" else raw
            if binary:
                yield stream
            else:
                text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
                yield text
                text.flush()
                text.detach()
            if stream is not raw:
                stream.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OutputError) or exc.errno not in _WRITE_ERRNOS:
            raise
        raise write_failure(path, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
