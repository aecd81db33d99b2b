#!/usr/bin/env python3
"""Fit the event confidence model (gestae/data/confidence.tsv) on stories coded by hand.

    python tools/fit_confidence.py EVENTS.jsonl STORIES.jsonl [EVENTS2.jsonl STORIES2.jsonl ...]
        [--folds 5] [--l2 1.0] [--test EVENTS STORIES] [--write]

Each pair is story-level gold (as `gestae evaluate` reads it) and the stories' texts. Every event
record gestae asserts is labelled right or wrong by anchored matching (gestae/evaluate/stories.py); an
L2-regularised logistic regression over `gestae.confidence.features` predicts the label. The report
is cross-validated by story (K folds: no story's events are scored by a model that saw them):
calibration and precision by confidence band, and precision/recall if records under a threshold were
dropped. `--test` scores the model fitted on all the training pairs on other stories it never saw
(the same report). `--write` stores the model fitted on all training stories. Run by hand; gestae never
reads gold.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gestae import confidence  # noqa: E402
from gestae.evaluate.stories import evaluate  # noqa: E402

TABLE = Path(confidence.__file__).resolve().parent / "data" / "confidence.tsv"
BANDS = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]


def examples(pairs: list[tuple[str, str]]) -> tuple[list[str], list[list[str]], list[int], int]:
    """(story ids, feature names, labels, gold event count) of every scored record."""
    confidence.weights.cache_clear()
    stories, feats, labels, gold = [], [], [], 0
    for events_path, stories_path in pairs:
        rep = evaluate(events_path, stories_path)
        gold += rep.counts["gold"]
        for article, event, hit in rep.labelled:
            stories.append(f"{events_path}:{article.source.id if article.source else ''}")
            feats.append(confidence.features(article, event))
            labels.append(int(hit))
    return stories, feats, labels, gold


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method; column 0 is the bias (not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def design(feats: list[list[str]], vocab: list[str]) -> np.ndarray:
    index = {f: i + 1 for i, f in enumerate(vocab)}
    x = np.zeros((len(feats), len(vocab) + 1))
    x[:, 0] = 1.0
    for r, names in enumerate(feats):
        for n in names:
            if n in index:
                x[r, index[n]] = 1.0
    return x


def report(predicted: np.ndarray, y: np.ndarray, gold: int) -> None:
    print("band        records  right  precision  mean predicted")
    for lo, hi in BANDS:
        m = (predicted >= lo) & (predicted < hi)
        if m.any():
            print(f"{lo:.1f}-{min(hi, 1.0):.1f}   {m.sum():8d} {int(y[m].sum()):6d}  {y[m].mean():9.3f}  {predicted[m].mean():14.3f}")
    print("threshold  records  precision  recall")
    for t in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
        m = predicted >= t
        print(f"{t:9.1f}  {m.sum():7d}  {y[m].mean() if m.any() else 0:9.3f}  {y[m].sum() / max(gold, 1):6.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("files", nargs="+", help="EVENTS.jsonl STORIES.jsonl pairs")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--min-count", type=int, default=3, help="features seen fewer times are left out")
    ap.add_argument("--test", nargs=2, metavar=("EVENTS", "STORIES"), help="score on stories kept out of fitting")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if len(args.files) % 2:
        sys.exit("fit_confidence: give EVENTS STORIES pairs")
    pairs = list(zip(args.files[::2], args.files[1::2]))
    stories, feats, labels, gold = examples(pairs)
    y = np.array(labels, dtype=float)
    counts: dict[str, int] = {}
    for names in feats:
        for n in names:
            counts[n] = counts.get(n, 0) + 1
    vocab = sorted(n for n, c in counts.items() if c >= args.min_count)
    x = design(feats, vocab)
    # folds by story
    ids = sorted(set(stories))
    random.Random(13).shuffle(ids)
    fold_of = {s: k % args.folds for k, s in enumerate(ids)}
    predicted = np.zeros(len(y))
    for k in range(args.folds):
        test = np.array([fold_of[s] == k for s in stories])
        w = fit(x[~test], y[~test], args.l2)
        predicted[test] = 1 / (1 + np.exp(-np.clip(x[test] @ w, -30, 30)))
    print(f"{len(y)} records from {len(ids)} stories, {int(y.sum())} right; {gold} gold events; "
          f"{len(vocab)} features; {args.folds}-fold cross-validation by story")
    report(predicted, y, gold)
    w = fit(x, y, args.l2)
    if args.test:
        _, test_feats, test_labels, test_gold = examples([tuple(args.test)])
        tx, ty = design(test_feats, vocab), np.array(test_labels, dtype=float)
        print(f"\nheld-out stories ({args.test[0]}): {len(ty)} records, model fitted on the training stories only")
        report(1 / (1 + np.exp(-np.clip(tx @ w, -30, 30))), ty, test_gold)
    ranked = sorted(zip(vocab, w[1:]), key=lambda p: -abs(p[1]))
    print("strongest features:", ", ".join(f"{n} {v:+.2f}" for n, v in ranked[:15]))
    if args.write:
        lines = ["# Event confidence model: logistic regression weights, fitted by tools/fit_confidence.py on",
                 f"# stories coded by hand ({len(ids)} stories, {len(y)} records); see gestae/confidence.py.",
                 "feature\tweight", f"{confidence.BIAS}\t{w[0]:.4f}"]
        lines += [f"{n}\t{v:.4f}" for n, v in zip(vocab, w[1:]) if abs(v) >= 1e-3]
        TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {TABLE}")


if __name__ == "__main__":
    main()
