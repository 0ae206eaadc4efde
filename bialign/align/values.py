"""The type and range every alignment setting must have, whoever sets it.

Ranges come from a small table of name patterns (thresholds are cosines, penalties are not
negative, ``max_*`` counts are at least 1, a bead's sentences at least 2), so a new field of
:class:`~bialign.align.beads.AlignParams` is checked the day it is added. Both
:class:`~bialign.align.beads.AlignParams` (when it is made) and :mod:`bialign.align.settings`
(files and ``--set``) read them from here.
"""

from __future__ import annotations

import math
import re

from ..errors import SettingsError

#: (pattern of a field name, lowest value, highest value); the first match applies
RANGES: tuple[tuple[str, float | None, float | None], ...] = (
    (r"(threshold|_score)$", -1.0, 1.0),  # cosine similarities
    (r"penalty$", 0.0, None),
    (r"optimism$", 0.0, None),
    (r"bead_sentences$", 2, None),  # a bead holds a sentence of each side
    (r"^max_|_max_", 1, None),
    (r"^min_", 0, None),
    (r"_extra$", 0, None),
)


def _range(name: str) -> tuple[float | None, float | None]:
    for pattern, low, high in RANGES:
        if re.search(pattern, name):
            return low, high
    return None, None


def coerce(name: str, value: object, kind: type, where: str) -> object:
    """``value`` as ``kind`` (from TOML or from a string), or a SettingsError."""
    if isinstance(value, str) and kind is not str:
        text = value.strip()
        try:
            if kind is bool:
                if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(text)
                return text.lower() in ("true", "1", "yes")
            value = kind(text)
        except ValueError:
            raise SettingsError(f"{where}{name} must be {_kind_name(kind)}, not '{value}'") from None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SettingsError(f"{where}{name} must be {_kind_name(kind)}, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingsError(f"{where}{name} must be a finite number, not {value}")
    return value


def _kind_name(kind: type) -> str:
    return {float: "a number", int: "a whole number", bool: "true or false", str: "a string"}.get(kind, kind.__name__)


def checked(name: str, value: object, kind: type, where: str = "") -> object:
    """``value`` of the setting ``name`` as ``kind`` (converted from a string if need be) and
    in its range, or a :class:`~bialign.errors.SettingsError` naming the setting."""
    value = coerce(name, value, kind, where)
    low, high = _range(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if low is not None and value < low or high is not None and value > high:
            span = f"between {low} and {high}" if low is not None and high is not None else (
                f"at least {low}" if low is not None else f"at most {high}")
            raise SettingsError(f"{where}{name} must be {span}, not {value}")
    return value
