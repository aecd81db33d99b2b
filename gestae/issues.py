"""Stage 'issues': what an article (and each event) is about — forced labor, sanctions, GSOMIA, ...

Issues and their wordings come from data/issues.tsv (plus the user's `--issues` files, registered as
knowledge table "issues"). Matching is word-based and case-insensitive on a simple plural-folding
normalisation applied alike to the table and the text ("export regulations" finds the alias "export
regulation" of *export controls*); short acronyms written in capitals in the table (NPT, ICBM) match
only in capitals. The longest wording wins at each position. The index is built once per process.

`article.issues` lists canonical names in order of first mention (title first). Each event gets the
issues mentioned in its sentence — or, when the sentence names none, in its paragraph — appended to
`event.context` after whatever the events stage put there.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from gestae.knowledge import read_table, split_multi
from gestae.model import Article, Span
from gestae.speech import paragraph_spans

_WORD = re.compile(r"[A-Za-z0-9]+")
# Endings that are not a plural 's' ("gas", "crisis", "consensus", "press").
_NOT_PLURAL = ("ss", "us", "is", "as")
ACRONYM_MAX_LEN = 6
# Word -> normalised word, shared across articles (news vocabulary repeats); bounded.
_NORMALIZED: dict[str, str] = {}
_MEMO_LIMIT = 200_000


def normalize(word: str) -> str:
    """Lower case with a plural folded: 'Regulations' -> 'regulation', 'Countries' -> 'country'."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(_NOT_PLURAL):
        return w[:-1]
    return w


@dataclass(frozen=True, slots=True)
class Wording:
    words: tuple[str, ...]           # normalised words
    exact: Optional[tuple[str, ...]]  # original spelling when it must match in capitals (acronyms)
    issue: str


@dataclass(frozen=True, slots=True)
class IssueIndex:
    by_first_word: dict[str, tuple[Wording, ...]]  # longest wording first
    contexts: dict[str, tuple[str, ...]]          # issue name -> PLOVER contexts


def _wording(text: str, issue: str) -> Optional[Wording]:
    raw = tuple(_WORD.findall(text))
    if not raw:
        return None
    is_acronym = len(raw) == 1 and raw[0].isupper() and len(raw[0]) <= ACRONYM_MAX_LEN
    return Wording(tuple(normalize(w) for w in raw), raw if is_acronym else None, issue)


@lru_cache(maxsize=1)
def issue_index() -> IssueIndex:
    """Every issue wording, keyed by its first word (built once; user files must be registered first)."""
    buckets: dict[str, dict[tuple, Wording]] = {}
    contexts: dict[str, tuple[str, ...]] = {}
    for row in read_table("issues.tsv", "issues"):
        name = row.get("name", "")
        if not name:
            continue
        contexts.setdefault(name, tuple(split_multi(row.get("plover_context"))))
        for text in [name, *split_multi(row.get("aliases"))]:
            wording = _wording(text, name)
            if wording is not None:
                # The first table row to claim a wording keeps it (built-in rows come before user rows).
                buckets.setdefault(wording.words[0], {}).setdefault((wording.words, wording.exact), wording)
    by_first = {w: tuple(sorted(group.values(), key=lambda x: -len(x.words))) for w, group in buckets.items()}
    return IssueIndex(by_first, contexts)


def issue_contexts(name: str) -> tuple[str, ...]:
    """The PLOVER contexts an issue falls under ('' issues give ())."""
    return issue_index().contexts.get(name, ())


def find_issues(text: str, offset: int = 0) -> list[tuple[Span, str]]:
    """Issue mentions in a text: ((start, end), canonical name), in text order."""
    index = issue_index().by_first_word
    matches = list(_WORD.finditer(text))
    memo = _NORMALIZED
    words = [memo.get(w) or memo.setdefault(w, normalize(w)) for w in (m.group() for m in matches)]
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    found: list[tuple[Span, str]] = []
    i = 0
    while i < len(words):
        step = 1
        for wording in index.get(words[i], ()):
            n = len(wording.words)
            if tuple(words[i:i + n]) != wording.words:
                continue
            if wording.exact is not None and tuple(m.group() for m in matches[i:i + n]) != wording.exact:
                continue
            found.append(((offset + matches[i].start(), offset + matches[i + n - 1].end()), wording.issue))
            step = n
            break
        i += step
    return found


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _enclosing(spans: list[Span], starts: list[int], char: int) -> Optional[Span]:
    k = bisect_right(starts, char) - 1
    if k >= 0 and spans[k][0] <= char < spans[k][1]:
        return spans[k]
    return None


def _sentence_spans(article: Article) -> list[Span]:
    if article.doc is None:
        return []
    return [(s.start_char, s.end_char) for s in article.doc.sents]


def _names_in(mentions: list[tuple[Span, str]], starts: list[int], span: Optional[Span]) -> list[str]:
    """Issues mentioned inside `span`; `mentions` are in text order, `starts` their start offsets
    (a bisection, not a scan: a long text has many events and many mentions)."""
    if span is None:
        return []
    names = []
    for k in range(bisect_left(starts, span[0]), bisect_left(starts, span[1])):
        (_, end), name = mentions[k]
        if end <= span[1]:
            names.append(name)
    return _unique(names)


def annotate(article: Article) -> None:
    """Set `article.issues` and add each event's issues to its `context`."""
    mentions = find_issues(article.text)
    title_issues = [name for _, name in find_issues(article.title)] if article.title else []
    article.issues = _unique(article.issues + title_issues + [name for _, name in mentions])
    if not article.events or not mentions:
        return
    mention_starts = [start for (start, _), _ in mentions]
    sentences = _sentence_spans(article)
    sentence_starts = [s for s, _ in sentences]
    paragraphs = paragraph_spans(article)
    paragraph_starts = [s for s, _ in paragraphs]
    for event in article.events:
        anchor = event.trigger_span[0] if event.trigger_span != (0, 0) else event.span[0]
        names = _names_in(mentions, mention_starts, _enclosing(sentences, sentence_starts, anchor)) \
            or _names_in(mentions, mention_starts, _enclosing(paragraphs, paragraph_starts, anchor))
        event.context.extend(n for n in names if n not in event.context)
