"""Compare language identifiers on short news blocks of ru, uk, bg, sr, be, mk, kk, az, en.

Blocks: Russian and English blocks of the first dev items (real NTREX / newstest text,
split by bialign's boundary detection, cut to their first one or two sentences), and
``langid_blocks_written.jsonl``: short news-style blocks of the other languages written
for this comparison by a bialign developer (no offline corpus of them was at hand).

    python benchmarks/langid_compare.py tests/data/dev.items.jsonl
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("ru", "uk", "bg", "sr", "be", "mk", "kk", "az", "en")
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def dev_blocks(path: Path, per_lang: int = 40) -> list[tuple[str, str]]:
    from bialign.text.detect import detect_segments
    blocks: list[tuple[str, str]] = []
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        for segment in detect_segments(text):
            body = " ".join(text[segment.start:segment.end].split())
            if segment.lang in ("ru", "en") and counts[segment.lang] < per_lang:
                short = " ".join(SENTENCE.split(body)[:2])[:300]
                blocks.append((segment.lang, short))
                counts[segment.lang] += 1
    return blocks


def candidates() -> dict[str, object]:
    from bialign.text.detect import CYRILLIC_RE, EN, RU, name_language

    def shipped(text: str) -> str:  # what bialign does: py3langid among the languages of the block's script
        letters = [c for c in text if c.isalpha()]
        return name_language(text, RU if 2 * len(CYRILLIC_RE.findall(text)) >= len(letters) else EN)

    found: dict[str, object] = {"bialign (py3langid, per script)": shipped}
    try:
        import py3langid
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        found["py3langid"] = py3langid.classify
        restricted = LanguageIdentifier.from_model_file(MODEL_FILE)
        restricted.set_languages(list(LANGS))
        found["py3langid (9 languages)"] = restricted.classify
    except ImportError:
        pass
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0
        found["langdetect"] = detect
    except ImportError:
        pass
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        detector = LanguageDetectorBuilder.from_all_languages().build()
        nine = LanguageDetectorBuilder.from_iso_codes_639_1(
            *[getattr(IsoCode639_1, code.upper()) for code in LANGS]).build()

        def lingua_all(text: str) -> str:
            lang = detector.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else "und"

        def lingua_nine(text: str) -> str:
            lang = nine.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else "und"

        found["lingua (all)"] = lingua_all
        found["lingua (9 languages)"] = lingua_nine
    except ImportError:
        pass
    return found


def code(result: object) -> str:
    return str(result[0] if isinstance(result, tuple) else result).lower()


def main() -> None:
    blocks = dev_blocks(Path(sys.argv[1])) if len(sys.argv) > 1 else []
    for line in (HERE / "langid_blocks_written.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        blocks.append((record["lang"], record["text"]))
    found = candidates()
    print("## whole blocks (one or two sentences)")
    table(blocks, found)
    print("\n## the first five words of each block (a title's length)")
    table([(lang, " ".join(text.split()[:5])) for lang, text in blocks], found)


def table(blocks: list[tuple[str, str]], found: dict[str, object]) -> None:
    per_lang = Counter(lang for lang, _ in blocks)
    print("blocks:", ", ".join(f"{lang} {per_lang[lang]}" for lang in LANGS))
    print("| identifier | " + " | ".join(LANGS) + " | all | ms/block |")
    print("|---" * (len(LANGS) + 3) + "|")
    for name, identify in found.items():
        identify("warm up")
        right: Counter[str] = Counter()
        wrong: dict[str, Counter[str]] = defaultdict(Counter)
        start = time.perf_counter()
        for lang, text in blocks:
            got = code(identify(text))
            if got == lang:
                right[lang] += 1
            else:
                wrong[lang][got] += 1
        ms = 1000 * (time.perf_counter() - start) / len(blocks)
        cells = [f"{right[lang] / per_lang[lang]:.2f}" for lang in LANGS]
        total = sum(right.values()) / len(blocks)
        print(f"| {name} | " + " | ".join(cells) + f" | {total:.3f} | {ms:.2f} |")
        for lang, errors in wrong.items():
            print(f"    {lang} taken for: {dict(errors)}", file=sys.stderr)


if __name__ == "__main__":
    main()
