"""Hostile-input benchmark: thousands of generated inputs (tests/hostile.py: garbage of every kind
mixed with valid articles) through `gestae ingest`, a rerun, and SIGKILLs at random moments.

Prints: inputs tried, runs that crashed (non-zero exit, a traceback or an internal error), valid
articles lost, bad inputs without exactly one error row and stderr line, rows a rerun added, and
articles lost after random SIGKILLs and a resume. The baseline for time is the same corpus's valid
articles alone, ingested in the same run.

Run: .venv/bin/python bench/fuzz_ingest.py [PER_KIND] [VALID] [KILLS]     (default 60 600 4)
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from hostile import TABLES, generate, table_counts as counts, verdict  # noqa: E402

def ingest(paths, db, *extra):
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "gestae", "ingest", *map(str, paths), "--db", str(db), "--quiet",
                          *extra], capture_output=True, text=True)
    return run, time.perf_counter() - started


def crashed(run) -> bool:
    return run.returncode != 0 or "Traceback" in run.stderr or "internal error" in run.stderr


def main() -> None:
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    valid = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    kills = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    root = Path(tempfile.mkdtemp(prefix="gestae-fuzz-"))
    expected = generate(root, per_kind=per_kind, valid=valid, seed=2024)
    corpus = root / "corpus"
    bad = sum(e.error for e in expected)
    articles = sum(e.stored for e in expected)
    print(f"inputs: {len(expected)} ({articles} valid articles, {bad} bad inputs or records with a problem, "
          f"{sum(e.stored and e.error for e in expected)} of them both)")

    db = root / "fuzz.duckdb"
    run, seconds = ingest([corpus], db)
    lost, unreported, _ = verdict(expected, db, run.stderr)
    print(f"ingest: exit {run.returncode}, {seconds:.1f}s, crashed: {crashed(run)}, articles lost: {len(lost)}, "
          f"bad inputs without exactly one row and one line: {len(unreported)}")
    for e in (lost + unreported)[:10]:
        print("   ", e)
    before = counts(db)
    rerun, rerun_seconds = ingest([corpus], db)
    added = {t: counts(db)[t] - before[t] for t in TABLES}
    print(f"rerun: exit {rerun.returncode}, {rerun_seconds:.1f}s, crashed: {crashed(rerun)}, rows added: "
          f"{sum(added.values())}")

    # Baseline: valid articles only (JSONL files of the same kind of article), no garbage.
    clean_root = Path(tempfile.mkdtemp(prefix="gestae-clean-"))
    clean_expected = generate(clean_root, per_kind=0, valid=valid, seed=2024, costly=False)
    baseline, baseline_seconds = ingest([clean_root / "corpus"], clean_root / "clean.duckdb")
    base_rate = sum(e.stored for e in clean_expected) / baseline_seconds
    rate = counts(db)["articles"] / seconds
    print(f"baseline (valid articles only): {sum(e.stored for e in clean_expected)} articles in "
          f"{baseline_seconds:.1f}s, {base_rate:.2f} articles/s; hostile corpus: {rate:.2f} stored articles/s")

    rng = random.Random(7)
    lost_after_kill = crashed_resumes = 0
    for k in range(kills):
        killed_db = root / f"killed{k}.duckdb"
        workers = "2" if k % 2 else "1"
        proc = subprocess.Popen([sys.executable, "-m", "gestae", "ingest", str(corpus), "--db", str(killed_db),
                                 "--quiet", "--workers", workers], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(rng.uniform(0.1, 1.0) * seconds)
        os.kill(proc.pid, signal.SIGKILL)
        _, killed_err = proc.communicate()
        resumed, _ = ingest([corpus], killed_db, "--workers", workers)
        crashed_resumes += crashed(resumed) or "Traceback" in killed_err
        lost_k, _, _ = verdict(expected, killed_db, resumed.stderr)
        lost_after_kill += len(lost_k)
        same = counts(killed_db) == counts(db)
        print(f"SIGKILL {k + 1} (workers {workers}): resumed exit {resumed.returncode}, articles lost "
              f"{len(lost_k)}, table counts equal to the uninterrupted run: {same}")
    print(f"summary: {len(expected)} inputs, crashes {int(crashed(run)) + int(crashed(rerun)) + crashed_resumes}, "
          f"articles lost {len(lost) + lost_after_kill}, unreported problems {len(unreported)}, "
          f"rows added by rerun {sum(added.values())}, throughput ×{rate / base_rate:.2f} the valid-only baseline")


if __name__ == "__main__":
    main()
