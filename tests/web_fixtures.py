"""A small hand-made event database for the query layer and web tests (no pipeline run needed).

Five articles written for these tests: Korea and Japan consult (reported by two outlets: one event,
two sources), Japan accuses Korea, the two agree (a reciprocal event), Russia attacks Ukraine (and an
undated event), and one article whose text carries markup that must be shown as text.
"""
from __future__ import annotations

from pathlib import Path

from gestae import dedup
from gestae.model import Actor, Article, Caption, Event, Location, Quote, Removed, Source
from gestae.store import Store

HOSTILE = 'Officials met. <script>alert(1)</script> <img src=x onerror="alert(2)"> & more.'


def _article(key: str, outlet: str, published: str, text: str, actors: list[Actor], events: list[Event],
             issues: tuple[str, ...] = (), title: str = "") -> Article:
    article = Article(id=key, source=Source(f"{key}.txt", "text"), text=text, outlet=outlet,
                      title=title or f"Story {key}", published=published, issues=list(issues))
    article.actors = actors
    article.events = events
    return article


def _mention(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def articles() -> list[Article]:
    consult = "Seoul and Tokyo held talks on export controls on Tuesday in Busan."
    kor, jpn = (Actor("a1", "South Korea", "KOR", "GOV", kind="state", mentions=[_mention(consult, "Seoul")]),
                Actor("a2", "Japan", "JPN", "GOV", kind="state", mentions=[_mention(consult, "Tokyo")]))

    def consult_event() -> Event:
        return Event("e1", "CONSULT", quad_class="VERBAL COOPERATION", score=2.5, actors=["a1"], recipients=["a2"],
                     date="2024-01-02", date_precision="day", date_text="on Tuesday", trigger="talks",
                     trigger_span=_mention(consult, "talks"), span=(0, len(consult)), sentence=consult,
                     confidence=0.9, location=Location("Busan", "KOR", 35.1, 129.0))

    accuse = "Japan accused South Korea of violating the accord."
    agree = "South Korea and Japan agreed to resume shuttle diplomacy."
    attack = "Russian forces shelled Kharkiv, Ukraine said. Russia will respond, officials warned."
    hostile_actors = [Actor("a1", "<b>Officials</b>", "KOR", "GOV", kind="group", mentions=[(0, 9)])]
    out = [
        _article("k1", "Outlet A", "2024-01-02T10:00:00+09:00", consult, [kor, jpn], [consult_event()],
                 issues=("export controls",), title="Seoul and Tokyo talk"),
        _article("k5", "Outlet C", "2024-01-02T12:00:00+09:00", consult + " Both sides spoke.",
                 [Actor(**{**_actor_fields(kor)}), Actor(**{**_actor_fields(jpn)})], [consult_event()]),
        _article("k2", "Outlet B", "2024-01-10T09:00:00+09:00", accuse,
                 [Actor("a1", "Japan", "JPN", "GOV", mentions=[_mention(accuse, "Japan")]),
                  Actor("a2", "South Korea", "KOR", "GOV", mentions=[_mention(accuse, "South Korea")])],
                 [Event("e1", "ACCUSE", quad_class="VERBAL CONFLICT", score=-3.0, actors=["a1"], recipients=["a2"],
                        date="2024-01-10", date_precision="publication", trigger="accused",
                        trigger_span=_mention(accuse, "accused"), span=(0, len(accuse)), confidence=0.5)]),
        _article("k3", "Outlet A", "2024-02-01T09:00:00+09:00", agree,
                 [Actor("a1", "South Korea", "KOR", "GOV", mentions=[_mention(agree, "South Korea")]),
                  Actor("a2", "Japan", "JPN", "GOV", mentions=[_mention(agree, "Japan")])],
                 [Event("e1", "AGREE", quad_class="VERBAL COOPERATION", score=2.5, actors=["a1", "a2"], recipients=[],
                        reciprocal=True, date="2024-02-01", date_precision="day", trigger="agreed",
                        trigger_span=_mention(agree, "agreed"), span=(0, len(agree)), confidence=0.8)]),
        _article("r1", "Outlet B", "2024-01-03T08:00:00+00:00", attack,
                 [Actor("a1", "Russian forces", "RUS", "MIL", mentions=[_mention(attack, "Russian forces")]),
                  Actor("a2", "Ukraine", "UKR", "GOV", mentions=[_mention(attack, "Ukraine")]),
                  Actor("a3", "Russia", "RUS", "GOV", mentions=[_mention(attack, "Russia ")])],
                 [Event("e1", "ASSAULT", quad_class="MATERIAL CONFLICT", score=-9.0, actors=["a1"], recipients=["a2"],
                        date="2024-01-03", date_precision="day", trigger="shelled",
                        trigger_span=_mention(attack, "shelled"), span=(0, 45), confidence=0.95),
                  Event("e2", "THREATEN", quad_class="VERBAL CONFLICT", score=-3.5, actors=["a3"], recipients=["a2"],
                        date=None, trigger="respond", trigger_span=_mention(attack, "respond"),
                        span=(46, len(attack)), confidence=0.4)],
                 issues=("war",)),
        _article("h1", "Outlet <i>X</i>", "2024-01-05T08:00:00+00:00", HOSTILE, hostile_actors, [],
                 title="<script>alert('title')</script>"),
    ]
    hostile = out[-1]
    hostile.captions = [Caption("<script>alert(3)</script> caption", "AP")]
    hostile.removed = [Removed("<b>Share</b>", "boilerplate")]
    hostile.quotes = [Quote("<i>q</i>", "a1", (0, 9))]
    return out


def _actor_fields(actor: Actor) -> dict:
    return {"id": actor.id, "name": actor.name, "country": actor.country, "sector": actor.sector,
            "kind": actor.kind, "mentions": list(actor.mentions)}


def build(path: Path) -> Path:
    with Store(path) as store:
        store.add_articles(articles())
        dedup.refresh(store)
    return path
