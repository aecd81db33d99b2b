"""Benchmark for gestae.dedup: signing cost per 700-word article and refresh time for N synthetic articles (10 events each).

Run: .venv/bin/python bench/dedup.py [N]"""
import os, random, sys, tempfile, time
import pyarrow as pa
from gestae import dedup
from gestae.store import Store

rng = random.Random(7)
VOCAB = [f"w{i}" for i in range(5000)] + "the of and to in a said on for with by that minister talks".split()
def text(n=700):
    return " ".join(rng.choice(VOCAB) for _ in range(n)) + "."
t = text()
for _ in range(50): dedup.signature(t)
n = 1000
t0 = time.perf_counter()
for _ in range(n): dedup.signature(t)
print(f"signing: {(time.perf_counter()-t0)/n*1000:.3f} ms per 700-word article")

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
EV = 10
path = os.path.join(tempfile.mkdtemp(), "b.duckdb")
store = Store(path)
con = store.con
bases = [text(rng.randint(300, 900)) for _ in range(N // 2)]
COUNTRIES = [f"C{i:02d}" for i in range(50)]
TYPES = [f"T{i}" for i in range(16)]
PLACES = [f"City {i}" for i in range(30)]
arts, actors, events = {"id": [], "outlet": [], "text": [], "published": []}, {"article_id": [], "actor_id": [], "name": [], "country": []}, \
    {"article_id": [], "event_id": [], "type": [], "date": [], "loc": [], "actors": [], "recipients": []}
for i in range(N):
    if i % 2 == 0:
        body = bases[i // 2]
    else:  # a copy of a base with a 40-word passage swapped, or a fresh article
        words = rng.choice(bases).split()
        if rng.random() < 0.5:
            k = rng.randrange(len(words)); words[k:k + 40] = text(40).split(); body = " ".join(words)
        else:
            body = text(rng.randint(300, 900))
    aid = f"a{i:06d}"
    arts["id"].append(aid); arts["outlet"].append(f"Outlet {rng.randrange(40)}"); arts["text"].append(body)
    arts["published"].append(f"2024-03-{rng.randint(1, 28):02d}T10:00:00+00:00")
    for x in ("a1", "a2"):
        actors["article_id"].append(aid); actors["actor_id"].append(x); actors["name"].append(x); actors["country"].append(rng.choice(COUNTRIES))
    for j in range(EV):
        events["article_id"].append(aid); events["event_id"].append(f"e{j}"); events["type"].append(rng.choice(TYPES))
        events["date"].append(f"2024-03-{rng.randint(1, 28):02d}"); events["loc"].append(rng.choice(PLACES) if rng.random() < 0.5 else None)
        events["actors"].append(["a1"]); events["recipients"].append(["a2"])
t0 = time.perf_counter()
con.register("ta", pa.table(arts)); con.register("tb", pa.table(actors)); con.register("tc", pa.table(events))
con.execute("INSERT INTO articles (id, outlet, text, published, published_at) SELECT id, outlet, text, published, published::TIMESTAMPTZ FROM ta")
con.execute("INSERT INTO actors (article_id, actor_id, name, country) SELECT * FROM tb")
con.execute("INSERT INTO events (article_id, event_id, type, date, date_precision, location_name, actors, recipients, negated, hypothetical, span_start, span_end) "
            "SELECT article_id, event_id, type, date::DATE, 'day', loc, actors, recipients, false, false, 0, 10 FROM tc")
print(f"stored {N} articles, {N*EV} events in {time.perf_counter()-t0:.1f}s")

t0 = time.perf_counter(); s = dedup.refresh(store); print("first refresh", f"{time.perf_counter()-t0:.2f}s", s)
t0 = time.perf_counter(); s = dedup.refresh(store); print("second refresh (nothing new)", f"{time.perf_counter()-t0:.2f}s", s)
con.execute("INSERT INTO articles (id, text) SELECT 'b' || id, text FROM ta LIMIT 100")
t0 = time.perf_counter(); s = dedup.refresh(store); print("refresh after 100 new", f"{time.perf_counter()-t0:.2f}s", s)
con.execute("INSERT INTO articles (id, text, outlet) SELECT 'c' || id, text, 'New outlet' FROM ta LIMIT 100")
con.execute("INSERT INTO events SELECT * REPLACE ('c' || article_id AS article_id) FROM events WHERE article_id IN (SELECT id FROM ta LIMIT 100)")
con.execute("INSERT INTO actors SELECT * REPLACE ('c' || article_id AS article_id) FROM actors WHERE article_id IN (SELECT id FROM ta LIMIT 100)")
t0 = time.perf_counter(); s = dedup.refresh(store); print("refresh after 100 new with 1000 events", f"{time.perf_counter()-t0:.2f}s", s)
t0 = time.perf_counter(); s = dedup.refresh(store, full=True); print("full rebuild", f"{time.perf_counter()-t0:.2f}s", s)
