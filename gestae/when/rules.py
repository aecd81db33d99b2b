"""Which time dates an event: an ordered registry of small rules, the first that finds one wins.

1. own_clause      a time attached to the trigger's own clause ("met on Sunday").
2. shared_clause   the time of a clause the trigger's clause shares its time with (see `LINKS`): the
                   verb it is coordinated with or the complement of ("met on Sunday and agreed ..."),
                   the verb a noun event is an argument of ("held talks on Feb. 18"), a participle, a
                   purpose infinitive or a when/as/while/since clause above or below it, the clause a
                   where/when relative clause describes ("violence that began March 6 in the region,
                   where forces clashed"; "in 2013, when both recalled their envoys"), the date inside
                   a noun its content or relative clause tells of ("Tuesday's announcement that Ukraine
                   had agreed", "the 2004 bombing that killed nine").
3. occasion        the date of a named occasion the event happens at ("at the summit") or that is its
                   subject ("The statement threatened sanctions"), dated elsewhere in text or captions;
                   a bare "the talks" is the meeting told in the sentence or two before.
4. report          the time of the reporting verb above the clause ("Canada requested consultations,
                   the trade body said Thursday") or of its "according to" source.
   quotation       the time of the reporting verb that attributes the quotation the event is told in
                   ('"We reject this. We will fight," the minister said on Monday').
5. same_statement  a dated statement by the event's speaker up to two sentences before, or in the
                   same quotation ("Zelenskyy wrote Wednesday ... He added that ..."): one statement,
                   told in several sentences.
Nothing found: the publication day (precision 'publication': an undated event the story presents
as current, reported on or before that day).

A future time ("will meet on Friday") is what the event plans (`Event.planned`); the event itself, a
promise or a threat, is dated by its report (rules 4-5) or else by publication, never after it. So
is a statement whose own time is a current period ("the agency needs $1 billion this year"): the
year is the need's. A report dates what it reports only as an upper bound, unless the speaker is
the event's own actor (the statement is the event): precision 'reported' says "on or before this day".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Optional

from gestae.model import Article, Event
from gestae.when.expressions import TimeExpression
from gestae.when.occasions import TEXT, Occasion, is_locus_of, occasions_near, referent
from gestae.when.resolve import Resolved, truncate
from gestae.when.syntax import is_clause_head, tense

Token = Any

# How a clause shares the time of the one above it: fully, as a report of it, or only through the
# noun it belongs to (any time of the noun's phrase, or only one inside it: "the 2004 bombing").
SAME, REPORT, NOUN, OWN = "same", "report", "noun", "own"
# Precision ranks: the most precise expression of a clause wins ("Last month, they met on Oct. 3").
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
# Subordinators under which an adverbial clause happens at its main clause's time (or starts it).
_SAME_TIME_MARKERS = {"when", "as", "while", "once", "since", "whilst"}
# Relative adverbs that tie a relative clause to its antecedent's time or place.
_RELATIVE_ADVERBS = {"where", "when"}
# Argument positions of a noun event whose verb says when it happened.
_NOUN_ARGUMENT_DEPS = {"dobj", "nsubj", "nsubjpass", "attr", "oprd"}
# Prepositions putting a noun where its verb's event happens ("in the region", "at talks").
_PLACE_PREPS = {"in", "at", "during", "on"}
_PARTICIPLE_TAGS = {"VBG", "VBN"}
_FUNCTION_DEPS = {"aux", "auxpass", "neg", "prt"}
# Adverbs by which a coordinated verb leaves the time of the first ("... and later signed").
_OTHER_TIME_ADVERBS = {"later", "earlier", "recently", "previously", "then", "now", "since",
                       "afterwards", "subsequently", "eventually"}
# Event types that are statements: their actor speaks (meetings are occasions, not statements).
_MEETING_TYPE = "CONSULT"
_SPOKEN_TYPES_EXCLUDED = {_MEETING_TYPE}
_MAX_CHAIN = 8
# How many sentences back a speaker's dated statement can be the one an undated statement continues.
STATEMENT_LOOKBACK_SENTENCES = 2


@dataclass(frozen=True, slots=True)
class Found:
    resolved: Resolved
    text: str
    rule: str
    reported: bool = False          # dated by a report of the event, not by the event's own words
    speaker: Optional[str] = None   # actor id of that report's speaker, when known


@dataclass(slots=True)
class Statement:
    sentence: int
    token: int
    speaker: str          # actor id
    found: Found


@dataclass(slots=True)
class Context:
    """What the rules read for one article."""
    article: Article
    pub: Optional[date]
    expressions: list[TimeExpression]          # of the text (captions date occasions only)
    occasions: list[Occasion]
    sentence_of: list[int] = field(default_factory=list)
    statements: Optional[list[Statement]] = None

    @classmethod
    def build(cls, article: Article, pub: Optional[date], expressions: list[TimeExpression],
              occasions: list[Occasion]) -> "Context":
        sentence_of = [0] * len(article.doc)
        for k, sent in enumerate(article.doc.sents):
            sentence_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
        return cls(article, pub, [e for e in expressions if e.source == TEXT and e.resolved is not None],
                   occasions, sentence_of)


# ------------------------------------------------------------------ how clauses share their time

def _conj(token: Token) -> Optional[tuple[Token, str]]:
    if is_clause_head(token) != is_clause_head(token.head) or not _same_time_conjuncts(token.head, token):
        return None
    return token.head, SAME


def _same_time_conjuncts(head: Token, conj: Token) -> bool:
    """Coordinated verbs share a time unless the second one says it is another: its own perfect
    ("was his running mate in 2022 but had complained ...") or a time adverb ("later", "recently")."""
    if not is_clause_head(conj):
        return True
    if any(c.dep_ == "advmod" and c.lower_ in _OTHER_TIME_ADVERBS for c in conj.children):
        return False
    own_aux = [c for c in conj.children if c.dep_ in ("aux", "auxpass")]
    return not own_aux or _perfect(conj) == _perfect(head)


def _perfect(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)


def _xcomp(token: Token) -> Optional[tuple[Token, str]]:
    return token.head, SAME


def _advcl(token: Token) -> Optional[tuple[Token, str]]:
    """'..., killing ten', 'went to Geneva on Monday to meet ...' and 'when/as/while/since ...' share
    the main clause's time; 'after', 'before', 'because', 'if' clauses are another time or none."""
    marker = _marker(token)
    if marker is not None:
        return (token.head, SAME) if marker in _SAME_TIME_MARKERS else None
    purpose = token.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
    return (token.head, SAME) if token.tag_ in _PARTICIPLE_TAGS or purpose else None


def _relcl(token: Token) -> Optional[tuple[Token, str]]:
    """'the region, where forces clashed': the time of the clause the region is in; 'the 2004 bombing
    that killed nine': the time inside the noun phrase it describes (only that: in 'the man who
    attacked police was sentenced on Monday' the attack is not Monday's)."""
    if any(c.dep_ == "advmod" and c.lower_ in _RELATIVE_ADVERBS for c in token.children):
        return token.head, SAME
    # the noun must be what the clause tells of ('that killed nine'), not what it acts on ('which
    # France had requested', 'which Moscow denied': a request or denial at its own time)
    tells_of_noun = any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in token.children)
    return (token.head, OWN) if tells_of_noun and token.head.pos_ in ("NOUN", "PROPN") else None


def _acl(token: Token) -> Optional[tuple[Token, str]]:
    """'Tuesday's announcement that Ukraine had agreed', 'Monday's decision to impose tariffs': the
    content of a dated noun has the noun's own time (not its verb's). A participle describing the
    noun ('a meeting requested by France') is another happening, at another time."""
    if token.head.pos_ not in ("NOUN", "PROPN"):
        return None
    content = _marker(token) == "that" or any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
    return (token.head, NOUN) if content else None


def _complement(token: Token) -> Optional[tuple[Token, str]]:
    """'decided on Monday that ...' shares the time; 'X ..., the ministry said Wednesday' is a report."""
    from gestae.speech import is_speech_verb
    return token.head, (REPORT if is_speech_verb(token.head) else SAME)


def _parataxis(token: Token) -> Optional[tuple[Token, str]]:
    """'"We will fight," he said Monday' is a report; two clauses side by side are two times."""
    from gestae.speech import is_speech_verb
    return (token.head, REPORT) if is_speech_verb(token.head) else None


def _argument(token: Token) -> Optional[tuple[Token, str]]:
    if token.pos_ in ("NOUN", "PROPN") and token.head.pos_ in ("VERB", "AUX"):
        return token.head, SAME
    return None


def _prepositional_object(token: Token) -> Optional[tuple[Token, str]]:
    prep = token.head
    if token.pos_ in ("NOUN", "PROPN") and prep.lower_ in _PLACE_PREPS and prep.head.i != prep.i:
        return prep.head, SAME
    return None


# Dependency label of a clause (or noun event) -> the clause it takes its time from, and how.
LINKS: dict[str, Callable[[Token], Optional[tuple[Token, str]]]] = {
    "conj": _conj,
    "xcomp": _xcomp,
    "advcl": _advcl,
    "relcl": _relcl,
    "acl": _acl,
    "ccomp": _complement,
    "parataxis": _parataxis,
    **{dep: _argument for dep in _NOUN_ARGUMENT_DEPS},
    "pobj": _prepositional_object,
}


@dataclass(frozen=True, slots=True)
class Link:
    node: Token
    report: Optional[Token]   # the reporting verb crossed on the way up, if any (the nearest)
    noun_only: str = ""       # NOUN or OWN: a noun whose own phrase's time alone counts; the chain ends


def clause_chain(trigger: Token) -> list[Link]:
    """The trigger, then every clause above it whose time it shares, nearest first."""
    chain = [Link(trigger, None)]
    node, report = trigger, None
    for _ in range(_MAX_CHAIN):
        step = LINKS.get(node.dep_)
        found = step(node) if step is not None and node.head.i != node.i else None
        if found is None:
            break
        parent, kind = found
        if kind == REPORT:
            report = parent
        chain.append(Link(parent, report, kind if kind in (NOUN, OWN) else ""))
        if kind in (NOUN, OWN):
            break
        node = parent
    return chain


def _times_of(node: Token, ctx: Context, only_inside: bool = False) -> Optional[Found]:
    """The most precise, then nearest, resolved time of `node`'s clause (or a time `node` is);
    `only_inside`: only a time inside the noun phrase of `node` ("the 2004 bombing")."""
    if only_inside:
        attached = [e for e in ctx.expressions if e.owner is not None and e.owner.i == node.i]
    else:
        attached = [e for e in ctx.expressions if e.root.i == node.i or e.dates(node)]
    if not attached:
        return None
    best = min(attached, key=lambda e: (_PRECISION_RANK.get(e.resolved.precision, 9), abs(e.root.i - node.i)))
    return Found(best.resolved, best.text, "")


def _time_sharing_children(verb: Token) -> list[Token]:
    """Clauses below `verb` whose time is its time: a verb coordinated after it with no subject of its
    own (a time at the end of "was arrested and sentenced in 2011" belongs to both), a participle
    ("missed the deadline, announcing last month that ...") and a when/as/since clause ("has made
    trips since he took office in 2020")."""
    if not is_clause_head(verb):
        return []
    found = [c for c in verb.children if is_clause_head(c) and (
        (c.dep_ == "conj" and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
         and _same_time_conjuncts(verb, c))
        or (c.dep_ == "advcl" and _advcl(c) is not None))]
    # "has sought a deal since winning power in July": the gerund after 'since' starts it
    found += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in _SAME_TIME_MARKERS
              for g in c.children if g.dep_ == "pcomp" and is_clause_head(g)]
    return found


def _marker(clause: Token) -> Optional[str]:
    """The subordinator of an adverbial clause ('when', 'after', 'since' ...), if any."""
    for c in clause.children:
        if c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB"):
            return c.lower_
    return None


# ------------------------------------------------------------------ the rules

def own_clause(event: Event, trigger: Token, ctx: Context) -> Optional[Found]:
    return _times_of(trigger, ctx)


def shared_clause(event: Event, trigger: Token, ctx: Context) -> Optional[Found]:
    for link in clause_chain(trigger):
        if link.report is not None:
            return None
        for node in ([] if link.node is trigger else [link.node]) + _time_sharing_children(link.node):
            found = _times_of(node, ctx, only_inside=link.noun_only == OWN)
            if found is not None:
                return found
        if link.noun_only:
            return None
    return None


def occasion(event: Event, trigger: Token, ctx: Context) -> Optional[Found]:
    """'agreed at the summit' / 'The statement threatened sanctions' (the summit/statement dated elsewhere)."""
    for link in clause_chain(trigger):
        if link.report is not None:
            return None
        node = link.node
        mentions = [o for o in occasions_near(node, ctx.occasions) if o.source == TEXT and
                    (is_locus_of(o, node) or (o.token.head.i == node.i and o.token.dep_ in ("nsubj", "nsubjpass")))]
        for mention in sorted(mentions, key=lambda o: abs(o.token.i - node.i)):
            found = referent(mention, ctx.occasions, "date")
            if found is not None:
                return Found(found.date, found.date_text, "")
            bridged = _meeting_just_told(mention, ctx)
            if bridged is not None:
                return bridged
        if link.noun_only:
            return None
    return None


def _meeting_just_told(mention: Occasion, ctx: Context) -> Optional[Found]:
    """'Wang visited Europe in late September and met officials. During the negotiations, ...': a bare
    definite occasion ('the talks', 'the visit') with no dated namesake is the meeting told in the
    sentence or two before."""
    token = mention.token
    if mention.modifiers or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return None
    here = ctx.sentence_of[token.i]
    meetings = [(t, e) for e in ctx.article.events if e.type == _MEETING_TYPE
                for t in [_trigger(e, ctx)] if t is not None and here - 2 <= ctx.sentence_of[t.i] < here]
    for t, e in sorted(meetings, key=lambda te: -te[0].i):
        dated = own_clause(e, t, ctx) or shared_clause(e, t, ctx)
        if dated is not None and not _future(dated, ctx):
            return dated
    return None


def report(event: Event, trigger: Token, ctx: Context) -> Optional[Found]:
    """The time of the reporting verb above ('X requested talks, the trade body said Thursday') or
    of the source an 'according to' names ('..., according to a statement released Monday')."""
    from gestae.speech import speaker_of
    for link in clause_chain(trigger):
        according = [c for c in link.node.children if c.lower_ == "according"] if link.report is None else []
        for source in according:
            found = _time_within(source, ctx)
            if found is not None and not _future(found, ctx):
                speaker = speaker_of(ctx.article, source)
                return Found(found.resolved, found.text, "", True, speaker.id if speaker else None)
        if link.report is None:
            continue
        found = _times_of(link.node, ctx, only_inside=link.noun_only == OWN)
        if found is not None and not _future(found, ctx):
            speaker = speaker_of(ctx.article, link.report)
            return Found(found.resolved, found.text, "", True, speaker.id if speaker else None)
    return None


def _time_within(phrase: Token, ctx: Context) -> Optional[Found]:
    """A time inside a phrase, or the date of an occasion it names ('according to Monday's statement')."""
    left, right = phrase.left_edge.i, phrase.right_edge.i
    inside = [e for e in ctx.expressions if left <= e.root.i <= right]
    if inside:
        best = min(inside, key=lambda e: _PRECISION_RANK.get(e.resolved.precision, 9))
        return Found(best.resolved, best.text, "")
    for o in ctx.occasions:
        if o.source == TEXT and left <= o.token.i <= right:
            found = referent(o, ctx.occasions, "date")
            if found is not None:
                return Found(found.date, found.date_text, "")
    return None


def same_statement(event: Event, trigger: Token, ctx: Context) -> Optional[Found]:
    """A dated statement of the event's speaker in this or the previous sentence: 'Zelenskyy wrote
    Wednesday ... He added that ...', 'Abubakar announced ... Tuesday. Abubakar urged ...'."""
    speakers = _speakers(event, trigger, ctx)
    if not speakers:
        return None
    here = ctx.sentence_of[trigger.i]
    # the same sentence's statements are reached through the parse (rule 'report'), except in a quotation
    near = set(range(here - STATEMENT_LOOKBACK_SENTENCES, here)) | _quote_sentences(trigger, ctx)
    candidates = [s for s in _statements(ctx) if s.speaker in speakers and s.token != trigger.i
                  and s.sentence in near and not _future(s.found, ctx)]
    if not candidates:
        return None
    best = min(candidates, key=lambda s: (here - s.sentence, abs(s.token - trigger.i)))
    return Found(best.found.resolved, best.found.text, "", True, best.speaker)


def _quote_of(trigger: Token, ctx: Context) -> Optional[Any]:
    """The quotation (speech.QuoteRegion) the trigger is in, if any."""
    from gestae.speech import quote_regions
    for region in quote_regions(ctx.article):
        if any(start <= trigger.idx < end for start, end in region.pieces):
            return region
    return None


def _quote_sentences(trigger: Token, ctx: Context) -> set[int]:
    """Sentences of the quotation the trigger is in: its attribution may come sentences later."""
    region = _quote_of(trigger, ctx)
    if region is None:
        return set()
    doc = ctx.article.doc
    start, end = region.span
    last = doc.char_span(max(start, end - 1), end, alignment_mode="expand")
    last_sentence = ctx.sentence_of[last[0].i] if last is not None and len(last) else ctx.sentence_of[trigger.i]
    # the attribution of a quotation over several sentences closes its last one
    return set(range(ctx.sentence_of[trigger.i], last_sentence + 1))


def quotation(event: Event, trigger: Token, ctx: Context) -> Optional[Found]:
    """A quoted sentence is dated by the reporting verb outside the quotation marks that attributes it
    ('"We reject this. We will fight," the minister said on Monday'), whoever the parse says speaks."""
    from gestae.speech import speaker_of, speech_table
    region = _quote_of(trigger, ctx)
    if region is None:
        return None
    sentences = _quote_sentences(trigger, ctx)
    inside = lambda i: any(a <= ctx.article.doc[i].idx < b for a, b in region.pieces)
    verbs = [i for i in speech_table(ctx.article).verbs
             if ctx.sentence_of[i] in sentences and not inside(i)]
    for i in sorted(verbs, key=lambda i: abs(i - trigger.i)):
        verb = ctx.article.doc[i]
        dated = _times_of(verb, ctx) or shared_clause(event, verb, ctx)
        if dated is not None and not _future(dated, ctx):
            speaker = speaker_of(ctx.article, verb)
            return Found(dated.resolved, dated.text, "", True, speaker.id if speaker else None)
    return None


def _current_period(found: Found, ctx: Context) -> bool:
    """A week, month or year that holds the publication day ("this year")."""
    precision = found.resolved.precision
    return ctx.pub is not None and precision in ("week", "month", "year") and \
        found.resolved.date <= ctx.pub and truncate(ctx.pub, precision) == found.resolved.date


def _future(found: Found, ctx: Context) -> bool:
    return ctx.pub is not None and found.resolved.date > ctx.pub


def is_statement(event: Event) -> bool:
    """An event its actor performs by speaking (an accusation, a demand, a promise ...)."""
    return event.quad_class.startswith("VERBAL") and event.type not in _SPOKEN_TYPES_EXCLUDED


def _speakers(event: Event, trigger: Token, ctx: Context) -> set[str]:
    """Who speaks the words of the event: reporting verbs on its clause chain, the quotation it is
    in, and its own actor when the event is a statement."""
    from gestae.quotes import quote_speaker_at
    from gestae.speech import speech_table
    table = speech_table(ctx.article)
    found = {table.speakers[link.node.i].id for link in clause_chain(trigger)
             if table.speakers.get(link.node.i) is not None}
    quoted = quote_speaker_at(ctx.article, trigger.idx)
    if quoted:
        found.add(quoted)
    if is_statement(event) and is_clause_head(trigger):  # "accused", "urged"; not "the agreement"
        found.update(event.actors)
    if event.reported_by:
        found.add(event.reported_by)
    return found


def _statements(ctx: Context) -> list[Statement]:
    """Every dated statement of the article: reporting verbs with a speaker, and statement events."""
    if ctx.statements is not None:
        return ctx.statements
    from gestae.speech import speech_table
    doc = ctx.article.doc
    found = []
    for i, actor in speech_table(ctx.article).speakers.items():
        if actor is not None:
            dated = own_clause(None, doc[i], ctx) or shared_clause(None, doc[i], ctx)
            if dated is not None:
                found.append(Statement(ctx.sentence_of[i], i, actor.id, dated))
    for event in ctx.article.events:
        trigger = _trigger(event, ctx)
        if trigger is None or not is_statement(event):
            continue
        dated = own_clause(event, trigger, ctx) or shared_clause(event, trigger, ctx)
        if dated is not None:
            found.extend(Statement(ctx.sentence_of[trigger.i], trigger.i, a, dated) for a in event.actors)
    ctx.statements = found
    return found


def _trigger(event: Event, ctx: Context) -> Optional[Token]:
    """The trigger's head word; an auxiliary or particle stands for its verb ("must" in "must leave")."""
    from gestae.when.syntax import token_at
    token = token_at(ctx.article.doc, event.trigger_span)
    while token is not None and token.dep_ in _FUNCTION_DEPS and token.head.i != token.i:
        token = token.head
    return _labelling_verb(token) or token


def _labelling_verb(judgement: Optional[Token]) -> Optional[Token]:
    """The verb that utters a judgement ("called the decision [unacceptable]", "described the
    jailbreak as [deplorable]"): the judgement is made when that verb's act is."""
    if judgement is None or judgement.pos_ not in ("ADJ", "NOUN"):
        return None
    head = judgement.head
    if judgement.dep_ == "oprd" and head.pos_ == "VERB":
        return head
    if judgement.dep_ in ("amod", "pobj") and head.lower_ == "as" and head.head.pos_ == "VERB":
        return head.head
    return None


Rule = Callable[[Event, Token, Context], Optional[Found]]

# The order is the rule: an event's own words first, its report last.
DATE_RULES: dict[str, Rule] = {
    "own_clause": own_clause,
    "shared_clause": shared_clause,
    "occasion": occasion,
    "report": report,
    "quotation": quotation,
    "same_statement": same_statement,
}
# Rules that date an event by its report, for an event whose own time is in the future.
REPORT_RULES = ("report", "quotation", "same_statement")


def find_date(event: Event, trigger: Token, ctx: Context, names: tuple[str, ...] = tuple(DATE_RULES)
              ) -> Optional[Found]:
    for name in names:
        found = DATE_RULES[name](event, trigger, ctx)
        if found is not None:
            return Found(found.resolved, found.text, name, found.reported, found.speaker)
    return None


def date_event(event: Event, ctx: Context) -> None:
    """Fill the event's date, date_precision, date_text and planned."""
    trigger = _trigger(event, ctx)
    found = find_date(event, trigger, ctx) if trigger is not None else None
    clause_tense = tense(trigger) if found is not None else ""
    if found is not None and is_statement(event) and _current_period(found, ctx) and clause_tense == "present":
        # "the agency needs $1 billion this year, she said": the year is the need's; the statement
        # (the event) is dated by its report, else it is the day's news
        found = find_date(event, trigger, ctx, REPORT_RULES)
    if found is not None and (_future(found, ctx) or (_current_period(found, ctx) and clause_tense == "future")):
        # "will meet on Friday", "will meet later this year": what the promise or plan is about
        event.planned = {"date": found.resolved.date.isoformat(), "date_precision": found.resolved.precision,
                         "date_text": found.text}
        found = find_date(event, trigger, ctx, REPORT_RULES)
    if found is None:
        if ctx.pub is not None:
            event.date, event.date_precision, event.date_text = ctx.pub.isoformat(), "publication", ""
        return
    precision = found.resolved.precision
    if found.reported and precision == "day" and found.speaker not in event.actors:
        precision = "reported"  # a report by someone else: the event happened on or before that day
    event.date, event.date_precision, event.date_text = found.resolved.date.isoformat(), precision, found.text
