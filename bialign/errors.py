"""The exception hierarchy of bialign: every error the library raises on purpose."""

from __future__ import annotations


def location(source: str, line: int | None = None) -> str:
    """``file:line``, or just the file when there is no line, for messages."""
    return source + (f":{line}" if line is not None else "")


def internal_error(exc: Exception) -> str:
    """The rejection reason of an item whose processing raised ``exc``."""
    return f"internal error: {type(exc).__name__}: {str(exc)[:200]}"


class BialignError(Exception):
    """Base class of all errors raised by bialign."""


class InputError(BialignError):
    """An input file or item cannot be read or is not a valid item."""

    def __init__(self, message: str, source: str = "", line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = location(source, line)
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message


class SettingsError(BialignError, ValueError):
    """A setting or option value is unknown, of the wrong type or out of its range."""


def check_count(name: str, value: object) -> int:
    """``value`` when it is a whole number of at least 1 (a size, a count), else a
    :class:`SettingsError` naming the setting ``name``."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, not {value!r}")
    return value


class ModelNotFoundError(BialignError):
    """A model's files are not on disk; the message says what to get and how."""


class UnknownNameError(BialignError, KeyError):
    """A name (encoder, format, ...) is not in its registry."""

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return str(self.args[0]) if self.args else ""


class MissingDependencyError(BialignError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the '{package}' package: pip install 'bialign[{extra}]'"
        )
        self.package = package
        self.extra = extra


_NAMES = {"en": "English", "ru": "Russian"}


def _found(lang: str) -> str:
    if not lang:
        return "has no text"
    return f"is {_NAMES[lang]} ({lang})" if lang in _NAMES else f"is in another language ({lang})"


class DocumentLanguageError(InputError):
    """The documents of a pair are not an English one and a Russian one."""

    def __init__(self, en_found: str, ru_found: str) -> None:
        self.en_found, self.ru_found = en_found, ru_found
        if self.swapped:
            message = "the documents are swapped: the English one is Russian and the Russian one English"
        else:
            wrong = [f"the {_NAMES[want]} document {_found(found)}"
                     for want, found in (("en", en_found), ("ru", ru_found)) if found != want]
            message = " and ".join(wrong)
        super().__init__(message)

    @property
    def swapped(self) -> bool:
        """Whether the English side is Russian and the Russian side English."""
        return (self.en_found, self.ru_found) == ("ru", "en")
