"""Stage 'quotes': what was said, in whose words, and who said it.

Direct quotes are the text between quotation marks (straight or curly, over several sentences, over
paragraphs when the next paragraph reopens the quote; see `speech.quote_regions`). Each gets a speaker
from the reporting verb that governs it:

1. a reporting verb above the quoted words in the parse ('"We are ready," the minister said';
   'X told reporters that Y and Z "well received" the progress' -> X: the outermost reporting verb is
   the journalist's source, so a partial quote inside a reported clause belongs to it);
2. for a quote that is a sentence (or most of one) and has no such verb: a reporting verb outside the
   quotation marks in the same sentence, then in the sentence before, then in the sentence after;
3. otherwise none: titles and scare quotes keep speaker None.

Indirect quotes are the clauses reporting verbs introduce without quotation marks ("X said that ...",
"according to X, ..."), with `direct` false. Speakers are resolved by `gestae.speech.speaker_of`, which
also handles pronouns ("he said") and anonymous sources ("a senior official told reporters").
"""
from __future__ import annotations

from typing import Any, Optional

from gestae.actors import actor_of_token
from gestae.model import Article, Quote, Span
from gestae.nlp import doc_text
from gestae.speech import (RELATIVE_PRONOUNS, QuoteRegion, phrase_speaker, quote_regions, reported_clause,
                           speaker_of, speech_table)

# A quote covering at least this share of its sentences' words is a quoted sentence, which may take
# its attribution from a neighbouring sentence; shorter ones need a governing verb.
FULL_QUOTE_SHARE = 0.6
MIN_INDIRECT_TOKENS = 3
# How many sentences back the quotation whose voice an unattributed quoted sentence continues may end.
PREVIOUS_QUOTE_SENTENCES = 2
_TRAILING = ",;:"
# A quotation ending on one of these ('"...," she said') is followed by its attribution, if by anything.
_ATTRIBUTION_PUNCT = ",?!"
_CLOSING_MARKS = "”\"»’'"
# Words that end an attribution after a quote; and how many words it may run to.
_TAIL_STOPS = frozenset({".", ";", ":", "“", "\"", "«", "(", "—", "–"})
TAIL_REACH = 14
_ATTRIBUTION_STARTS = frozenset({"VERB", "PRON", "PROPN", "DET", "NOUN", "ADJ", "NUM"})
# An attribution was found but names no actor ('"...," the law says'): no other rule may guess one.
NO_SPEAKER = ""
SO_CALLED = "so-called"




def annotate(article: Article) -> None:
    """Fill `article.quotes` (direct and indirect), in text order."""
    if article.doc is None:
        return
    found = list(direct_quotes(article))
    found.extend(_indirect_quotes(article, _quoted_token_set(article.doc, quote_regions(article))))
    article.quotes = sorted((q for q in found if q.text), key=lambda q: q.span)


def direct_quotes(article: Article) -> list[Quote]:
    """The article's direct quotes with speakers (computed once per Doc; needs the actors stage)."""
    doc = article.doc
    if doc is None:
        return []
    cached = article.derived.direct_quotes
    if cached is None:
        verbs = speech_table(article).verbs  # speakers and pronoun antecedents, computed once
        regions = quote_regions(article)
        inside = _quoted_token_set(doc, regions)
        cached = []
        for region in regions:
            quote = _direct_quote(article, region, inside, verbs, cached[-1] if cached else None)
            if quote is not None:
                cached.append(quote)
        article.derived.direct_quotes = cached
    return cached


def quote_speaker_at(article: Article, char: int) -> Optional[str]:
    """Speaker id of the direct quote containing character `char`, if any: lets the events stage
    give an event told inside quotation marks its `reported_by`."""
    for quote in direct_quotes(article):
        if quote.span[0] <= char < quote.span[1]:
            return quote.speaker
    return None


# ---------------------------------------------------------------- direct quotes

def _tokens_of(doc: Any, region: QuoteRegion) -> list[Any]:
    tokens = []
    for s, e in region.pieces:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            tokens.extend(span)
    return tokens


def _quoted_token_set(doc: Any, regions: list[QuoteRegion]) -> set[int]:
    return {t.i for region in regions for t in _tokens_of(doc, region)}


def _quote_text_and_span(text: str, region: QuoteRegion) -> tuple[str, Span]:
    """The quoted words without the quotation marks (paragraphs of a long quote joined by a space)
    and their span; a comma the quote ends on belongs to the sentence around it, not to the words."""
    start, end = region.span
    while end > start and (text[end - 1] in _TRAILING or text[end - 1].isspace()):
        end -= 1
    pieces = [(s, min(e, end)) for s, e in region.pieces if s < end]
    return " ".join(text[s:e].strip() for s, e in pieces), (start, end)


def _governing_verbs(tokens: list[Any], quoted: set[int], reporting: frozenset[int]) -> list[Any]:
    """Reporting verbs outside the quote above its words, outermost first; else one the parser hung on
    the quoted words ('On Monday, the ministry said, "Engineers will decide."': 'said' as a parataxis)."""
    own = {t.i for t in tokens}
    verbs: list[Any] = []
    for t in tokens:
        if t.head.i in own or t.head.i == t.i:
            continue  # not a root of the quoted words
        chain = []
        current = t
        while current.head.i != current.i:
            current = current.head
            if current.i in reporting and current.i not in quoted:
                chain.append(current)
        for verb in reversed(chain):
            if all(verb.i != v.i for v in verbs):
                verbs.append(verb)
    if not verbs:
        verbs = [c for t in tokens for c in t.children
                 if c.dep_ == "parataxis" and c.i in reporting and c.i not in quoted]
    return verbs


def _is_full_quote(tokens: list[Any]) -> bool:
    """Whether the quote is a sentence or most of its sentences (not a phrase within one)."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words:
        return False
    sent = words[0].sent
    first_word = next((t for t in sent if not t.is_punct and not t.is_space), None)
    if first_word is not None and first_word.i == words[0].i and len(words) >= 3:
        return True
    sentences = {t.sent.start: t.sent for t in words}
    total = sum(1 for s in sentences.values() for t in s if not t.is_punct and not t.is_space)
    return total > 0 and len(words) / total >= FULL_QUOTE_SHARE


def _speech_verbs_outside(sent: Any, quoted: set[int], reporting: frozenset[int]) -> list[Any]:
    doc = sent.doc
    return [doc[i] for i in sorted(reporting) if sent.start <= i < sent.end and i not in quoted]


def _neighbour_sentence(doc: Any, sent: Any, step: int) -> Optional[Any]:
    i = sent.start - 1 if step < 0 else sent.end
    while 0 <= i < len(doc) and doc[i].is_space:
        i += step
    return doc[i].sent if 0 <= i < len(doc) else None


def _first_with_speaker(article: Article, verbs: list[Any]) -> Optional[str]:
    for verb in verbs:
        actor = speaker_of(article, verb)
        if actor is not None:
            return actor.id
    return None


def _attribution_after(article: Article, region: QuoteRegion, tokens: list[Any], quoted: set[int]) -> Optional[str]:
    """The attribution right after a quotation that ends on a comma, '?' or '!' ('"...," said X',
    '"...," agreed X', '"...," X, the port chief, told VOA', '"...," she said'), read from the words
    themselves, whatever verb it has and however the parser joined it to the quote."""
    text, doc = article.text, article.doc
    end = region.span[1]                                   # first character after the quoted words
    close = end
    while close < len(text) and (text[close].isspace() or text[close] in _CLOSING_MARKS):
        close += 1
    if not (text[end - 1] in _ATTRIBUTION_PUNCT or (close < len(text) and text[close] == ",")) \
            or _is_name_or_title(tokens):
        return None
    span = doc.char_span(end, len(text), alignment_mode="expand")
    if span is None:
        return None
    tail = []
    for t in span:
        if t.i in quoted or (tail and (t.text in _TAIL_STOPS or t.is_sent_start and tail[-1].pos_ != "VERB")):
            break
        if t.is_punct or t.is_space:
            if tail:
                tail.append(t)
            continue
        tail.append(t)
        if len(tail) > TAIL_REACH:
            break
    verb = next((t for t in tail if t.pos_ == "VERB"), None)
    if verb is None or not _finite(verb) or not _opens_attribution(tail[0], text[end - 1]):
        return None     # '"...," referring to the tugboats', '"...," which seeks ...' are no attribution
    before = [t for t in tail if t.i < verb.i and not t.is_punct]
    if before:          # '"...," X, the port chief, told VOA'; '"...," he said' (the pronoun's antecedent)
        actor = _phrase_actor(article, before) or speaker_of(article, verb)
    else:               # '"...," said X of the Y institute'
        after = []
        for t in tail[tail.index(verb) + 1:]:
            if t.pos_ in ("ADP", "VERB", "PUNCT", "SCONJ"):
                break
            after.append(t)
        actor = speaker_of(article, verb) or _phrase_actor(article, after)
    return actor.id if actor is not None else NO_SPEAKER


def _opens_attribution(first: Any, last_quoted: str) -> bool:
    """An attribution starts with its verb or its speaker ('said X', 'X said', 'he said', 'the minister
    said'), not with an adverbial or a relative ('"...?" On Monday, X said ...', '"...," which').
    After '?' or '!' a capital may start a new sentence: only a name or a pronoun then."""
    if first.lower_ in RELATIVE_PRONOUNS or first.pos_ not in _ATTRIBUTION_STARTS:
        return False
    return last_quoted == "," or not first.text[:1].isupper() or first.pos_ in ("PROPN", "PRON")


def _finite(verb: Any) -> bool:
    return verb.tag_ in ("VBD", "VBZ", "VBP") or (verb.tag_ == "VBN" and any(c.dep_ == "aux" for c in verb.children))


def _phrase_actor(article: Article, phrase: list[Any]) -> Optional[Any]:
    """The actor a run of words names: that of its head (a word whose head lies outside the run:
    'Lima Port Authority spokesman Tomas Varga' -> Varga), else the first actor in it."""
    own = {t.i for t in phrase}
    for t in phrase:
        if t.head.i not in own or t.head.i == t.i:
            found = phrase_speaker(article, t)
            if found is not None:
                return found
    return next((a for a in (actor_of_token(article, t.i) for t in phrase) if a is not None), None)


def _clause_speaker(article: Article, tokens: list[Any], quoted: set[int]) -> Optional[str]:
    """A quoted phrase inside a clause with no reporting verb ('X characterized the conditions as
    "inhumane"', 'sanctioned by the EU for "undermining democracy"'): the speaker of the nearest verb
    above it outside the quotation marks (its subject, or the agent of a passive)."""
    own = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in own and t.head.i != t.i]
    for root in roots:
        current = root.head
        while True:
            if current.i not in quoted and current.pos_ in ("VERB", "AUX"):
                actor = speaker_of(article, current)
                return actor.id if actor is not None else None
            if current.head.i == current.i:
                break
            current = current.head
    return None


def _is_name_or_title(tokens: list[Any]) -> bool:
    """Capitalized words only ("Northern Lights", "Sunday Morning Futures"): a title or a name, which
    nobody is quoted as saying; likewise what follows 'so-called'."""
    words = [t for t in tokens if t.is_alpha]
    if not words:
        return True
    first = tokens[0]
    # A quoted sentence ("“Never,” she said") starts with a capital too: titles stand inside a sentence.
    opening = next((t for t in words[0].sent if not t.is_punct and not t.is_space), None)
    return (all(t.text[:1].isupper() for t in words) and opening is not words[0] and opening.i != words[0].i) or \
        SO_CALLED in doc_text(first.doc)[max(0, first.idx - len(SO_CALLED) - 3):first.idx].lower()


def _previous_quote_speaker(article: Article, tokens: list[Any], previous: Optional[Quote]) -> Optional[str]:
    """The speaker of the quotation just before, when it ended at most PREVIOUS_QUOTE_SENTENCES
    sentences back: an unattributed quoted sentence goes on with the voice the story last quoted."""
    if previous is None or previous.speaker is None:
        return None
    doc = article.doc
    end = doc.char_span(previous.span[1] - 1, previous.span[1], alignment_mode="expand")
    if end is None:
        return None
    sents = [s.start for s in doc[end[0].i: tokens[0].i + 1].sents]
    return previous.speaker if len(sents) - 1 <= PREVIOUS_QUOTE_SENTENCES else None


def _introduces_another_quote(verb: Any, own: set[int], quoted: set[int]) -> bool:
    """'"...?" On Monday, the ministry said, "..."': a reporting verb joined directly to other quoted
    words (their head or their complement) is their attribution, not this quote's."""
    return (verb.head.i in quoted and verb.head.i not in own) or \
        any(c.i in quoted and c.i not in own and not c.is_punct for c in verb.children)


def _attributes_the_quote_before(verb: Any) -> bool:
    """A reporting verb in the sentence after a quote can be its attribution ('The minister said so on
    Monday.') unless it reports content of its own ('The council says the port must close')."""
    return not any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)


def _speaker_of_quote(article: Article, region: QuoteRegion, tokens: list[Any], quoted: set[int],
                      reporting: frozenset[int], previous: Optional[Quote]) -> Optional[str]:
    speaker = _attribution_after(article, region, tokens, quoted)
    if speaker is not None:
        return None if speaker == NO_SPEAKER else speaker
    governing = _governing_verbs(tokens, quoted, reporting)
    speaker = _first_with_speaker(article, governing)
    if speaker is not None or governing:
        return speaker      # a reporting verb whose source is no actor ('the law says') is still the source
    if not _is_full_quote(tokens):
        return None if _is_name_or_title(tokens) else _clause_speaker(article, tokens, quoted)
    doc = article.doc
    first_sent, last_sent = tokens[0].sent, tokens[-1].sent
    # Same sentence(s): the verb nearest the quote ('"...," said Kim, "..."').
    own = {t.i for t in tokens}
    same = {t.i: t for s in (first_sent, last_sent) for t in _speech_verbs_outside(s, quoted, reporting)
            if t.i < tokens[0].i or not _introduces_another_quote(t, own, quoted)}
    nearest = sorted(same.values(), key=lambda v: min(abs(v.i - tokens[0].i), abs(v.i - tokens[-1].i)))
    speaker = _first_with_speaker(article, nearest)
    if speaker is not None:
        return speaker
    before = _neighbour_sentence(doc, first_sent, -1)
    if before is not None:
        speaker = _first_with_speaker(article, _speech_verbs_outside(before, quoted, reporting)[::-1])
        if speaker is not None:
            return speaker
    speaker = _previous_quote_speaker(article, tokens, previous)
    if speaker is not None:
        return speaker
    after = _neighbour_sentence(doc, last_sent, 1)
    if after is not None:
        return _first_with_speaker(article, [v for v in _speech_verbs_outside(after, quoted, reporting)
                                             if _attributes_the_quote_before(v)
                                             and not _introduces_another_quote(v, own, quoted)])
    return None


def _direct_quote(article: Article, region: QuoteRegion, quoted: set[int],
                  reporting: frozenset[int], previous: Optional[Quote]) -> Optional[Quote]:
    tokens = _tokens_of(article.doc, region)
    if not tokens:
        return None
    speaker = _speaker_of_quote(article, region, tokens, quoted, reporting, previous)
    text, span = _quote_text_and_span(article.text, region)
    return Quote(text, speaker, span, True)


# ---------------------------------------------------------------- indirect quotes

def _trim(doc: Any, start: int, end: int, skip: frozenset[int] = frozenset()) -> tuple[int, int]:
    """Token range [start, end) without a leading complementizer ('that') and edge punctuation."""
    def droppable(t: Any) -> bool:
        return t.i in skip or t.is_punct or t.is_space
    while start < end and (droppable(doc[start]) or (doc[start].dep_ == "mark" and doc[start].lower_ == "that")):
        start += 1
    while end > start and droppable(doc[end - 1]):
        end -= 1
    return start, end


def _clause_range(verb: Any) -> tuple[int, int]:
    """Token range of the clause a reporting verb reports, or of what 'according to X' qualifies."""
    doc = verb.doc
    if verb.lower_ == "according":
        head = verb.head
        if head.i == verb.i:
            return 0, 0
        left, right = verb.left_edge.i, verb.right_edge.i + 1
        start, end = head.left_edge.i, head.right_edge.i + 1
        if left <= start:        # 'According to X, ...'
            start = right
        elif right >= end:       # '..., according to X.'
            end = left
        else:
            return 0, 0
        return _trim(doc, start, end)
    clause = reported_clause(verb)
    if clause is None:
        return 0, 0
    return _trim(doc, clause.left_edge.i, clause.right_edge.i + 1)


def _indirect_quotes(article: Article, quoted: set[int]) -> list[Quote]:
    doc = article.doc
    found: list[Quote] = []
    for verb_i, actor in speech_table(article).speakers.items():
        if actor is None:
            continue
        start, end = _clause_range(doc[verb_i])
        if end - start < MIN_INDIRECT_TOKENS:
            continue
        # A clause in quotation marks reported by a verb outside them is a direct quote already.
        if verb_i not in quoted and sum(1 for i in range(start, end) if i in quoted) * 2 > end - start:
            continue
        span: Span = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        found.append(Quote(article.text[span[0]:span[1]], actor.id, span, False))
    return found
