"""The whole job with the real default encoder."""

import json
import subprocess
import sys

from bialign import align_text
from conftest import SEED

SEED_PAIRS = [
    ("Today's discussions between delegations of Turkey, Russia on current situation in Karabakh concluded",
     "Завершились сегодняшние обсуждения между делегациями Турции и России по ситуации после прекращения огня в Карабахе"),
    ("The discussions, which were being held on November 14 between the military delegations of Turkey and Russia "
     "on the situation after the cessation of fire within Nagorno-Karabakh conflict, have been concluded, Trend "
     "reports citing the Turkish Ministry of National Defense.",
     "Завершились сегодняшние обсуждения между военными делегациями Турции и России по ситуации после прекращения "
     "огня в Карабахе."),
    ("Discussions will continue over the next days, said the ministry.",
     "Как передает в субботу Trend со ссылкой на министерство национальной обороны Турции, в последующие дни "
     "обсуждения будут продолжены."),
]


def test_seed_gives_exactly_its_three_pairs(seed_text, default_embedder):
    pairs = align_text(seed_text, embedder=default_embedder, item_id="seed")
    assert [(p.src, p.tgt) for p in pairs] == SEED_PAIRS
    assert all(0.0 < p.score <= 1.0 for p in pairs)


def test_cli_align_seed_jsonl(tmp_path):
    out = tmp_path / "pairs.jsonl"
    run = subprocess.run([sys.executable, "-m", "bialign", "align", str(SEED), "-o", str(out)],
                         capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["src"], r["tgt"]) for r in records] == SEED_PAIRS
    assert {r["id"] for r in records} == {"seed"}
    assert "items read: 1, aligned: 1, without pairs: 0, rejected: 0, pairs written: 3" in run.stderr


def test_cli_goes_on_after_a_bad_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": 3}\n', encoding="utf-8")
    out = tmp_path / "pairs.tsv"
    run = subprocess.run([sys.executable, "-m", "bialign", "align", str(bad), str(tmp_path / "nope.txt"), str(SEED),
                          "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 1  # the missing input fails the run, after the other inputs were aligned
    assert run.stderr.strip().splitlines()[-1].endswith("(the other inputs were processed)")
    assert f"{bad}:1: 'text' is int, not a string" in run.stderr
    assert "nope.txt: no such file or directory" in run.stderr
    assert "items read: 3, aligned: 1, without pairs: 0, rejected: 2, pairs written: 3" in run.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
