"""Benchmark: time per kilobyte on one long text without sentence punctuation, at 1, 10, 100 and 1,000 KB.

Such a text (a dump, a transcript, a page whose punctuation was stripped) used to be one huge
"sentence": event coding was quadratic in its length (24 KB: 14 s, 96 KB: > 200 s), and spaCy refused
any text over 1,000,000 characters. Time should now grow linearly: seconds per KB roughly constant.
The baseline, in the same run, is bare spaCy (`nlp.pipe`, same model) over the same text cut into
10 KB pieces; the ratio is gestae's time over that baseline.

Run: .venv/bin/python bench/long_text.py [KB,KB,...]      (default 1,10,100,1000)
"""
from __future__ import annotations

import random
import resource
import sys
import time
from functools import lru_cache

import spacy

from gestae import nlp, pipeline
from gestae.model import RawRecord, Source

# Words a news text is made of; drawn at random, lower case, no punctuation at all.
WORDS = ("the army attacked a village near the border while ministers met envoys in the capital and police "
         "arrested protesters after talks the government said officials from the ministry rebels killed "
         "soldiers president visited province agreed to send aid troops withdrew from the city").split()


def unpunctuated(kilobytes: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    words, size = [], 0
    while size < kilobytes * 1000:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:kilobytes * 1000]


@lru_cache(maxsize=1)
def bare_model():
    return spacy.load(nlp.MODEL_PACKAGE)


def bare_spacy(text: str) -> float:
    model = bare_model()
    pieces = [text[i:i + 10_000] for i in range(0, len(text), 10_000)]
    started = time.perf_counter()
    for _ in model.pipe(pieces, batch_size=16):
        pass
    return time.perf_counter() - started


def gestae_time(text: str) -> tuple[float, int, int]:
    record = RawRecord(Source("bench", "text"), text)
    started = time.perf_counter()
    article = next(pipeline.process([record], keep_doc=True))
    elapsed = time.perf_counter() - started
    longest = max(len(s) for s in article.doc.sents)
    return elapsed, len(article.events), longest


def main() -> None:
    sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "1,10,100,1000").split(",")]
    pipeline.process_text("The army attacked a village on Monday, officials said.")  # load everything once
    print("| KB | bare spaCy s | gestae s | gestae s/KB | × bare spaCy | events | longest sentence (tokens) |")
    print("|---|---|---|---|---|---|---|")
    for kb in sizes:
        text = unpunctuated(kb)
        base = bare_spacy(text)
        took, events, longest = gestae_time(text)
        print(f"| {kb:,} | {base:.2f} | {took:.2f} | {took / kb:.3f} | {took / base:.2f} | {events} | {longest} |",
              flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
