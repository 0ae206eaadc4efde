"""Every name the README, the docs and the examples use is public API (as httpx checks its own)."""

from __future__ import annotations

import importlib
import importlib.util
import re

import bialign
from conftest import ROOT

TEXTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "examples").glob("*.py"))]
DOTTED = re.compile(r"\bbialign((?:\.[a-z_]+)+)\b")
FROM_IMPORT = re.compile(r"from bialign((?:\.[a-z_]+)*) import (?:\(([A-Za-z_, \n]+)\)|([A-Za-z_, ]+))")


def _used() -> set[tuple[str, str]]:
    """(module, name) pairs used in the texts: ``bialign.x``, ``bialign.mod.x``, ``from bialign.mod import x``."""
    found: set[tuple[str, str]] = set()
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        for match in DOTTED.finditer(text):
            parts = match.group(1).strip(".").split(".")
            if parts[-1] in {"toml", "py", "md", "jsonl", "html"}:
                continue  # a file name such as bialign.toml
            module = "bialign" if len(parts) == 1 or f"bialign.{parts[0]}" not in bialign.PUBLIC_MODULES \
                else f"bialign.{parts[0]}"
            name = parts[0] if module == "bialign" else (parts[1] if len(parts) > 1 else "")
            found.add((module, name))
        for match in FROM_IMPORT.finditer(text):
            module = "bialign" + match.group(1)
            for name in re.split(r"[,\s]+", match.group(2) or match.group(3)):
                if name:
                    found.add((module, name))
    return found


def test_every_name_the_docs_use_is_exported():
    missing = []
    for module_name, name in sorted(_used()):
        module = importlib.import_module(module_name)
        if not name:
            continue
        if module_name == "bialign":
            if name not in bialign.__all__ and f"bialign.{name}" not in bialign.PUBLIC_MODULES:
                missing.append(f"bialign.{name}")
        elif module_name not in bialign.PUBLIC_MODULES or name not in getattr(module, "__all__", ()):
            if importlib.util.find_spec(f"{module_name}.{name}") is None:  # a submodule of a public package is public
                missing.append(f"{module_name}.{name}")
    assert not missing, f"used in README/docs/examples but not public: {missing}"


def test_exported_names_exist():
    for name in bialign.__all__:
        assert hasattr(bialign, name), name
    for module_name in bialign.PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        assert module.__all__, module_name
        for name in module.__all__:
            assert hasattr(module, name), f"{module_name}.{name}"
