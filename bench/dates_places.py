#!/usr/bin/env python3
"""Checks of event dates and places over a corpus (run by hand; prints numbers).

    .venv/bin/python bench/dates_places.py CORPUS.jsonl

For every event: is its date after its article's publication day? Does its sentence mention a
resolved place (any entry of the article's `places` with a mention inside the event's sentence), and
if so, did the event get a location? Also the distribution of date precision and date sources.
"""
from __future__ import annotations

import collections
import json
import subprocess
import sys


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    run = subprocess.run([sys.executable, "-m", "gestae", "extract", sys.argv[1], "--format", "jsonl"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(run.stderr[-2000:])
    counts: collections.Counter = collections.Counter()
    precision: collections.Counter = collections.Counter()
    examples: list[str] = []
    for line in run.stdout.splitlines():
        article = json.loads(line)
        if "error" in article:
            counts["errors"] += 1
            continue
        counts["articles"] += 1
        published = (article.get("published") or "")[:10]
        text = article["text"]
        for event in article["events"]:
            counts["events"] += 1
            precision[event.get("date_precision") or "none"] += 1
            if event.get("date") and published and event["date"] > published:
                counts["dated after publication"] += 1
                examples.append(f"after publication {published}: {event['date']} {event['date_text']!r} "
                                f"in {text[event['span'][0]:event['span'][1]][:120]!r}")
            start, end = event["span"]
            named = [p["name"] for p in article["places"]
                     if any(start <= s and e <= end for s, e in p.get("mentions", []))]
            if named:
                counts["sentence names a place"] += 1
                if event.get("location"):
                    counts["... and the event has a location"] += 1
                else:
                    examples.append(f"no location though {named} named: {text[start:end][:120]!r}")
            if event.get("location"):
                counts["events with a location"] += 1
    for key, value in counts.items():
        print(f"{key:40s}{value:8d}")
    print("date precision:", dict(precision))
    for example in examples[:15]:
        print("  ", example)


if __name__ == "__main__":
    main()
