"""Every shell and Python block of the README and docs/ runs as written, on a small input.

The blocks run in file order in one scratch folder holding a copy of the project's
files (as a fresh clone would) and a few small inputs the examples name (``corpus/``,
``crawl/``, ``items.jsonl``, ``items.jsonl.gz``). A block preceded by the line
``<!-- docs-test: skip (REASON) -->`` is skipped and the reason shown (installs,
downloads, benchmarks of minutes); one preceded by ``<!-- docs-test: needs MODULE -->``
is skipped, saying so, when that module (an extra) is not installed or that absolute path
(the shared dev data) does not exist; a transcript block (``$ command`` lines followed by
their output) runs its commands.
"""

from __future__ import annotations

import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from conftest import DATA, ROOT

DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"(?:<!-- docs-test: (?:skip \((?P<skip>[^)]*)\)|needs (?P<needs>[\w./, -]+)) -->\n)?"
                   r"```(?P<lang>bash|python)\n(?P<body>.*?)```", re.S)


def blocks() -> list:
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start("body"))
            marks = [pytest.mark.skip(reason=f"marked in the doc: {match['skip']}")] if match["skip"] else []
            missing = [m for m in (match["needs"] or "").replace(",", " ").split()
                       if not (Path(m).exists() if m.startswith("/") else find_spec(m))]
            if missing:
                marks.append(pytest.mark.skip(reason=f"needs {', '.join(missing)}: not installed or not found"))
            found.append(pytest.param(match["lang"], match["body"], id=f"{path.name}:{line}", marks=marks))
    return found


def transcript_commands(body: str) -> list[str]:
    """The commands of a ``$ command`` transcript (continuation lines and open quotes included)."""
    commands, current = [], None
    for line in body.splitlines():
        if current is None:
            if line.startswith("$ "):
                current = line[2:]
            else:
                continue
        else:
            current += "\n" + line
        try:
            shlex.split(current)
        except ValueError:  # an open quote: the command goes on
            continue
        if current.endswith("\\"):
            continue
        commands.append(current)
        current = None
    return commands


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A copy of the project's files, with the small inputs the examples name."""
    where = tmp_path_factory.mktemp("clone")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    names = [n for n in listed.stdout.decode().split("\0") if n] if listed.returncode == 0 else []
    for name in names or [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts]:
        if (ROOT / name).is_file():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, where / name)
    items = (DATA / "clean12.items.jsonl").read_bytes()
    for folder in ("corpus", "crawl"):
        (where / folder).mkdir(exist_ok=True)
        (where / folder / "items.jsonl").write_bytes(items)
    (where / "items.jsonl").write_bytes(items)
    (where / "items.jsonl.gz").write_bytes(gzip.compress(items))
    for lang in ("en", "ru"):  # two folders of documents paired by name, and a folder for their ladders
        (where / lang).mkdir(exist_ok=True)
        shutil.copy2(ROOT / "examples" / f"seed.{lang}.txt", where / lang / "seed.txt")
    (where / "ladders").mkdir(exist_ok=True)
    (where / "gold.ladder").write_text("[0]:[0]:0.1\n[1]:[1]:0.2\n[2]:[]:1.0\n", encoding="utf-8")
    (where / "test.ladder").write_text("[0]:[0]:0.1\n[1, 2]:[1]:0.3\n", encoding="utf-8")
    return where


@pytest.mark.parametrize("lang,body", blocks())
def test_doc_block_runs(clone, lang, body):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if lang == "python":
        runs = [[sys.executable, "-c", body]]
    else:
        commands = transcript_commands(body) if re.search(r"^\$ ", body, re.M) else [body]
        runs = [["bash", "-e", "-o", "pipefail", "-c", command] for command in commands]
    for run in runs:
        done = subprocess.run(run, cwd=clone, capture_output=True, text=True, env=env, timeout=900)
        assert done.returncode == 0, f"{run[-1]}\n--- stdout\n{done.stdout[-2000:]}\n--- stderr\n{done.stderr[-2000:]}"


def test_transcripts_are_parsed_into_their_commands():
    body = '$ a --x \\\n    --y\nout\n$ python3 -c "\nprint(1)\n" > f\n$ b\n'
    assert transcript_commands(body) == ["a --x \\\n    --y", 'python3 -c "\nprint(1)\n" > f', "b"]


def test_doc_blocks_run_with_a_home_of_their_own(clone):
    from conftest import REAL_HOME

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    home = subprocess.run(["bash", "-c", "echo ~/.cache/bialign"], cwd=clone, capture_output=True, text=True, env=env)
    assert not home.stdout.strip().startswith(str(REAL_HOME)), home.stdout
    assert Path(home.stdout.strip()).is_relative_to(Path(os.environ["HOME"]))


USER_DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "examples").iterdir())]


@pytest.mark.parametrize("path", USER_DOCS, ids=lambda p: p.name)
def test_user_docs_hold_no_internal_notes_or_machine_paths(path):
    if path.suffix not in (".md", ".py", ".txt"):
        return
    text = path.read_text(encoding="utf-8")
    for pattern, what in ((r"\b[Ii]ssues? #?\d+", "an issue number"), (r"farm-\w+", "a development tool"),
                          (r"/work/|/root/|/home/\w+", "a machine path"), (r"eval/score\.py", "a file not in the project")):
        found = re.search(pattern, text)
        assert found is None, f"{path.name} holds {what}: {found.group() if found else ''}"


def test_the_api_page_lists_every_public_module_once():
    import bialign

    listed = re.findall(r"`(bialign(?:\.[a-z_]+)+)`", (ROOT / "docs" / "api.md").read_text(encoding="utf-8").split(
        "PUBLIC_MODULES")[1].split("Every other module")[0])
    assert sorted(listed) == sorted(set(listed)) == sorted(bialign.PUBLIC_MODULES)
