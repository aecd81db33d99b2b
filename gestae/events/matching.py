"""Finding trigger candidates in one sentence: words and phrases of the lexicon, with their constraints.

A candidate is a trigger row matched at a token (the head of the phrase), plus the other phrase tokens
and, for event nouns, the verb that realises them ("held talks", "went on strike", "clashes erupted"),
or of which they are the occasion ("agreed at a summit": the verb keeps its own event). An evaluative
word is realised by the verb that utters the judgement ("called X unbearable", "said X is unfair").
Row constraints (flags) are documented in triggers.tsv; each is a small test on the parse here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from gestae.events.lexicon import POS_GROUP, Lexicon, Trigger

# Dependency labels (grammar, not knowledge).
PHRASE_DEPS = {"dobj", "prt", "prep", "pobj", "compound", "amod", "nsubjpass", "dative", "npadvmod", "advmod",
               "acomp", "oprd", "attr", "nmod", "poss", "pcomp", "nummod", "det"}
OBJECT_DEPS = {"dobj", "nsubjpass"}
CLAUSE_DEPS = {"xcomp", "ccomp"}
ARG_DEPS = {"dobj", "dative", "xcomp", "ccomp", "prep", "nsubjpass", "attr", "oprd"}
PARTY_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
IMPERSONAL = {"it", "this", "that", "there", "what", "which"}
PARTICLE_ADVERBS = {"back", "out", "off", "up", "down"}
OCCASION_PREPS = {"at", "in"}
TARGET_PREPS = {"at", "on", "against", "toward", "towards", "into"}
COMPLEMENT_DEPS = {"oprd", "attr", "acomp", "appos"}
OWN_POSSESSIVES = {"its", "his", "her", "their", "our", "my"}
# An evaluative word reaches the predicate it is part of through these ("one of the most [hostile] ...").
JUDGED_CHAIN = {"amod", "advmod", "conj", "compound", "pobj", "prep", "appos", "nmod", "npadvmod"}
PREDICATE_DEPS = {"acomp", "attr", "oprd", "xcomp", "ccomp"}


@dataclass(slots=True)
class Candidate:
    token: Any                      # the trigger's head token
    row: Trigger
    tokens: list[Any]               # all tokens of the matched phrase
    support: Optional[Any] = None   # NOUN: the realising verb
    absorbed: list["Candidate"] = field(default_factory=list)
    latent: bool = False            # a noun trigger nobody realises: only informs a frame's mode
    occasion: bool = False          # NOUN: the noun is the occasion of its verb ("agreed at a summit"), and
                                    # the verb keeps an event of its own

    @property
    def anchor(self) -> Any:
        """The token whose clause carries the event: the realising verb of a noun, else the trigger."""
        return self.support if self.support is not None else self.token


def token_lemmas(tok: Any, lex: Lexicon) -> list[str]:
    lemma = tok.lemma_.lower()
    other = lex.forms.get(tok.lower_)
    return [lemma] if other is None or other == lemma else [lemma, other]


def _dependent_words(tok: Any, depth: int = 3) -> dict[str, Any]:
    """Lemma/form -> token for the dependents of `tok` within `depth` phrase edges (nearest first)."""
    found: dict[str, Any] = {}
    frontier = [tok]
    for _ in range(depth):
        nxt = []
        for t in frontier:
            for c in t.children:
                if c.dep_ not in PHRASE_DEPS or (c.dep_ in ("prep", "prt") and c.i < tok.i):
                    continue  # a fronted adjunct ("On Monday, X called ...") is no particle of the verb
                if c.dep_ == "prep" and t.dep_ in COMPLEMENT_DEPS:
                    continue  # "called them a punishment [for ...]": the complement's own phrase
                for key in (c.lemma_.lower(), c.lower_, c.lower_.rstrip("s")):
                    found.setdefault(key, c)
                nxt.append(c)
            if t is tok:  # "called for [X to lift ...]": the 'for' of a for-to clause belongs to the verb
                for m in for_to_marks(t):
                    found.setdefault(m.lower_, m)
        frontier = nxt
    return found


def for_to_marks(tok: Any) -> list[Any]:
    """The 'for' marks of the for-to clauses of a verb ("called for the Taliban to lift the ban")."""
    return [m for c in tok.children if c.dep_ in ("advcl", "ccomp") and c.i > tok.i
            for m in c.children if m.dep_ == "mark" and m.lower_ == "for"]


def _infinitive_clause(c: Any) -> bool:
    return c.dep_ == "ccomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)


def objects_of(tok: Any) -> list[Any]:
    """Direct objects and passive subjects of a verb, with their conjuncts.

    Two frequent mis-parses count too: "killed up to 20 people" (the object under 'up to') and
    "allowed refugees to return" parsed as a clause (its subject is the object).
    """
    out = []
    for c in tok.children:
        if c.dep_ in OBJECT_DEPS:
            out.extend([c, *c.conjuncts])
        elif c.lower_ == "up" and c.i == tok.i + 1:
            # "up to N": 'to' hangs on 'up' or on the verb
            for to in [*c.children, *(t for t in tok.children if t.i == c.i + 1)]:
                if to.lower_ == "to":
                    out.extend(g for g in to.children if g.dep_ == "pobj")
        elif _infinitive_clause(c):
            out.extend(g for g in c.children if g.dep_ == "nsubj")
    return out


def is_passive(tok: Any) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


def subject_of(tok: Any) -> Optional[Any]:
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    return None


def is_party(tok: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> bool:
    """A token that names a party: a resolved actor, a named person/group/state, or a party noun."""
    if actor_of(tok.i) is not None or tok.ent_type_ in PARTY_ENTS:
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ not in IMPERSONAL
    return "party" in lex.classes.get(tok.lemma_.lower(), ()) or any(
        actor_of(c.i) is not None for c in tok.children if c.dep_ in ("compound", "amod", "poss"))


def _object_ok(row: Trigger, tok: Any, phrase_tokens: list[Any], lex: Lexicon,
               actor_of: Callable[[int], Any]) -> bool:
    objs = [o for o in objects_of(tok) if o not in phrase_tokens]
    if row.preps:  # "object" of a prepositional verb is its prepositional object
        objs += [g for t in (tok, *(o for o in tok.children if o.dep_ == "dobj")) for c in t.children
                 if c.dep_ == "prep" and c.lower_ in row.preps for g in c.children if g.dep_ == "pobj"]
    if not objs:
        return "obj" not in row.flags or len(phrase_tokens) > 1
    allowed = row.objects
    party = "party" in row.flags or "@party" in allowed
    for o in objs:
        lemma = o.lemma_.lower()
        if allowed and lemma in allowed:
            return True
        if party and is_party(o, lex, actor_of):
            return True
        if not allowed and not party:
            return True
    return False


def finite_complement(tok: Any) -> Optional[Any]:
    """The finite complement clause of a verb ("warned [that X is dangerous]"), not a "to" infinitive."""
    for c in tok.children:
        if c.dep_ == "ccomp" and not _infinitive_clause(c):
            return c
    return None


def _party_complement(tok: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> bool:
    """A finite complement about some party ("warned [that the government's actions would divide ...]"),
    not about a state of affairs ("warned [it could take years]")."""
    comp = finite_complement(tok)
    return comp is not None and any(t.pos_ != "PRON" and is_party(t, lex, actor_of) for t in comp.subtree)


def _own_complement(tok: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> bool:
    """A complement that announces the subject's own possible act ("warned [it could retaliate]"), an act
    of the state's forces ("[police will not tolerate ...]"), a condition ("[sanctions would follow if
    ...]") or a menace ("[X will pay a heavy price]"): the stuff of threats."""
    comp = finite_complement(tok)
    if comp is None:
        return False
    marks, menace = lex.words_of("hypothetical"), lex.words_of("menace")
    if any((t.dep_ == "mark" and t.lower_ in marks) or t.lemma_.lower() in menace for t in comp.subtree):
        return True
    auxes = {c.lower_ for c in comp.children if c.dep_ == "aux"}
    if not auxes & (lex.words_of("future") | marks):
        return False
    subj, own = subject_of(comp), subject_of(tok)
    if own is None and tok.dep_ in ("advcl", "conj", "xcomp"):
        own = subject_of(tok.head)  # "X urged ..., warning that it could ...": the main clause's subject
    if subj is None or own is None:
        return False
    if subj.lemma_.lower() in lex.words_of("enforcer"):
        return True  # "warned that police will not tolerate ...": the coercive arm of the state
    if subj.pos_ == "PRON":
        # "Ankara warned it could ...": 'it' is the state or body itself; after a person, a situation
        return subj.lower_ not in IMPERSONAL or (subj.lower_ == "it" and _is_body(own, actor_of))
    return subj.lemma_.lower() == own.lemma_.lower()


def _targeted(tok: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> bool:
    """A launch aimed at something: "fired rockets at Israel", "launched missiles on Kyiv"."""
    return any(c.dep_ == "prep" and c.lower_ in TARGET_PREPS and _names_party(c, lex, actor_of)
               for t in (tok, *objects_of(tok)) for c in t.children)


def _own_object(tok: Any, actor_of: Callable[[int], Any]) -> bool:
    """The object is the subject's own: "defended its decision", "the envoy defended Pyongyang"."""
    subj = subject_of(tok)
    own = actor_of(subj.i) if subj is not None else None
    country = own.country if own is not None else ""
    for o in objects_of(tok):
        for t in (o, *(c for c in o.children if c.dep_ in ("poss", "compound"))):
            if t.dep_ == "poss" and t.lower_ in OWN_POSSESSIVES:
                return True
            other = actor_of(t.i)
            if country and other is not None and other is not own and other.country == country:
                return True
    return False


def _named_parties(tok: Any) -> list[Any]:
    """The parties an event word names by grammar: a verb's subject and its conjuncts, and the objects
    of "between" and "with" on the word ("clashed with X", "a clash between X and Y")."""
    out = []
    subj = subject_of(tok) if tok.pos_ in ("VERB", "AUX") else None
    if subj is not None:
        out += [subj, *subj.conjuncts]
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ in ("between", "with"):
            for g in p.children:
                if g.dep_ == "pobj":
                    out += [g, *g.conjuncts]
    return out


def _state_modified(noun: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> bool:
    """A state, its military or its weapons modify the noun: "Russian strikes", "air strikes"."""
    for c in noun.children:
        if c.dep_ not in ("amod", "compound", "poss"):
            continue
        actor = actor_of(c.i)
        if (actor is not None and actor.kind == "state") or c.ent_type_ in ("NORP", "GPE") or \
                c.lemma_.lower() in lex.words_of("force") or \
                c.lemma_.lower() in lex.words_of("enforcer"):
            return True
    return False


def _is_person(tok: Any, actor_of: Callable[[int], Any]) -> bool:
    actor = actor_of(tok.i)
    return actor.kind == "person" if actor is not None else tok.ent_type_ == "PERSON"


def _is_body(tok: Any, actor_of: Callable[[int], Any]) -> bool:
    """A state, government or organisation (not a person)."""
    actor = actor_of(tok.i)
    return actor.kind in ("state", "organization") if actor is not None else tok.ent_type_ in ("GPE", "ORG", "NORP")


def _persons_only(tok: Any, actor_of: Callable[[int], Any]) -> bool:
    """Every named party is a person ("a clash between the two presidents" is a verbal one)."""
    parties = _named_parties(tok)
    return bool(parties) and all(_is_person(p, actor_of) for p in parties)


def _verb_constraints_ok(row: Trigger, tok: Any, phrase_tokens: list[Any], lex: Lexicon,
                         actor_of: Callable[[int], Any]) -> bool:
    if "ccomp" in row.flags and not _party_complement(tok, lex, actor_of):
        return False
    if "owncomp" in row.flags and not _own_complement(tok, lex, actor_of):
        return False
    if "persons" in row.flags and not _persons_only(tok, actor_of):
        return False
    if "passive" in row.flags and not is_passive(tok):
        return False
    if "ownobj" in row.flags and not _own_object(tok, actor_of):
        return False
    if "partysubj" in row.flags:
        comp = finite_complement(tok)
        subj = subject_of(comp) if comp is not None else None
        if subj is None or subj.pos_ == "PRON" or not is_party(subj, lex, actor_of):
            return False
    if "untargeted" in row.flags and _targeted(tok, lex, actor_of):
        return False
    if "official" in row.flags:
        subj, t = subject_of(tok), tok
        while subj is None and t.dep_ in ("xcomp", "acomp", "advcl", "conj") and t.head.i != t.i:
            t = t.head  # "X is due to travel": the subject of the governing clause
            subj = subject_of(t)
        actor = actor_of(subj.i) if subj is not None else None
        if actor is None or actor.kind not in ("person", "state"):
            return False
    deps = {c.dep_ for c in tok.children}
    if any(_infinitive_clause(c) for c in tok.children):
        deps.add("xcomp")
    if "obj" in row.flags and not objects_of(tok) and len(phrase_tokens) == 1 and not row.preps:
        return False
    if "intrans" in row.flags and deps & ({"dobj"} | CLAUSE_DEPS):
        return False
    if "noxcomp" in row.flags and "xcomp" in deps:
        return False
    if "xcomp" in row.flags and "xcomp" not in deps:
        return False
    if "arg" in row.flags and not deps & ARG_DEPS:
        return False
    # the preposition may hang on the object ("shared evidence with X": a frequent attachment mis-parse)
    if row.preps and not any(c.dep_ in ("prep", "agent", "dative") and c.lower_ in row.preps
                             for t in (tok, *(o for o in tok.children if o.dep_ == "dobj")) for c in t.children):
        return False
    if row.subjects:
        subj = subject_of(tok) or (tok.head if tok.dep_ == "acl" else None)  # "the ministers gathered in Paris"
        if subj is None or subj.lemma_.lower() not in row.subjects:
            return False
    return _object_ok(row, tok, phrase_tokens, lex, actor_of)


def _judged(verb: Any, pred: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> Optional[Any]:
    """What a copular judgement is about, if it is about a party or an act ("the EU move is unfair",
    "this is unacceptable"); None for an impersonal or negated one ("it is dangerous to travel")."""
    if any(c.dep_ == "neg" for c in verb.children):
        return None
    subj = subject_of(verb)
    if subj is None:
        return None
    if subj.lower_ == "it" and any(c.dep_ in CLAUSE_DEPS for h in (verb, pred) for c in h.children):
        return None  # extraposition: the judgement is about the clause, not a party
    return subj if _names_party(subj, lex, actor_of) else None


def _names_party(tok: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> bool:
    return any(t.pos_ != "PRON" and is_party(t, lex, actor_of) for t in tok.subtree)


def judgement(tok: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> Optional[tuple[Any, Any]]:
    """(the verb that utters it, what is judged) when an evaluative word is the predicate of a judgement:
    the object complement of a labelling verb ("called the subsidies [unbearable]", "described the
    jailbreak as [deplorable]", "called the decision a [blatant] case of ...") or of a copula in
    reported speech ("said the agreements are a [positive] reminder", "'This is [unfair],' X said")."""
    t = tok
    for _ in range(5):
        if t.dep_ == "prep" and t.lower_ == "as":
            verb = t.head if t.head.pos_ in ("VERB", "AUX") else t.head.head
            obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if obj is None or obj.pos_ == "PRON" or verb.lemma_.lower() not in lex.words_of("label"):
                return None
            return verb, obj
        if t.dep_ in PREDICATE_DEPS and t.head.pos_ in ("VERB", "AUX"):
            break
        if t.dep_ not in JUDGED_CHAIN or t.head.i == t.i:
            return None
        t = t.head
    else:
        return None
    verb = t.head
    lemma = verb.lemma_.lower()
    if lemma in lex.words_of("label"):
        # labelling is a judgement by the one who labels, whatever the thing labelled ("described the
        # jailbreak as deplorable"); a pronoun object is left to the lead-in ("called it ...")
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        return (verb, obj) if obj is not None and obj.pos_ != "PRON" else None
    if lemma not in lex.words_of("copula") or t.dep_ not in ("acomp", "attr"):
        return None
    judged = _judged(verb, t, lex, actor_of)
    if judged is None:
        return None
    if verb.dep_ in ("ccomp", "parataxis") and verb.head.lemma_.lower() in lex.speech:
        return verb.head, judged
    for c in verb.children:  # "'This is unfair,' X said"
        if c.dep_ in ("parataxis", "ccomp") and c.lemma_.lower() in lex.speech and subject_of(c) is not None:
            return c, judged
    return None


def _media_event(noun: Any, lex: Lexicon) -> bool:
    """"A press conference", "a news briefing" (but "a joint news conference with X" is a meeting)."""
    return any(c.dep_ == "compound" and c.lemma_.lower() in lex.words_of("media") for c in noun.children) and \
        not any(c.dep_ == "prep" and c.lower_ == "with" for c in noun.children)


def _feeling(tok: Any, lex: Lexicon) -> bool:
    """An attitude adjective after a copula, about something: "X is deeply concerned about Y"."""
    head = tok.head
    return tok.dep_ == "acomp" and head.lemma_.lower() in lex.words_of("copula") and \
        not any(c.dep_ == "neg" for c in head.children) and \
        any(c.dep_ == "prep" or c.dep_ in CLAUSE_DEPS for c in tok.children)


def _phrase_tokens(row: Trigger, tok: Any, dependents: Optional[dict[str, Any]]) -> Optional[list[Any]]:
    found = [tok]
    for word in row.others:
        hit = dependents.get(word) if dependents is not None else None
        if hit is None:
            return None
        found.append(hit)
    return found


def support_keys(noun: Any, lex: Lexicon) -> tuple[Optional[Any], list[str], str]:
    """The verb governing an event noun, the keys to look it up by, and the relation ('obj'|'subj'|'prep')."""
    if noun.dep_ == "conj":  # "talks and a joint statement": the first conjunct's verb
        first = noun
        while first.dep_ == "conj":
            first = first.head
        noun = first
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "NUM", "SYM") and \
            head.head.dep_ in ("dobj", "nsubjpass", "nsubj"):
        noun = head.head  # "5 million dollars of aid", "700 kg of medicine": the measure is the object
        head = noun.head
    elif noun.dep_ == "compound" and "light" in lex.classes.get(head.lemma_.lower(), ()):
        noun = head       # "a mediation effort": the light noun stands in the clause for the event
        head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "during":
        return head.head, ["during"], "during"
    if noun.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        rel, verb, prep = "obj", head, ""
    elif noun.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
        rel, verb, prep = "subj", head, ""
    elif noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        rel, verb, prep = "prep", head.head, head.lower_
    else:
        return None, [], ""
    lemma = verb.lemma_.lower()
    if lemma not in lex.classes and verb.lower_ in lex.forms:
        lemma = lex.forms[verb.lower_]  # the tagger's lemma can be wrong ("staged" -> "stag")
    particles = [c.lower_ for c in verb.children if c.dep_ == "prt" or
                 (c.dep_ == "advmod" and c.lower_ in PARTICLE_ADVERBS)]  # "hit back" is often an advmod
    keys = [lemma] + [f"{lemma} {p}" for p in particles]
    if rel == "prep":
        keys = [f"{k} {prep}" for k in keys]
    elif rel == "subj":
        keys += [f"{lemma} {c.lemma_.lower()}" for c in verb.children if c.dep_ == "dobj"]  # take place
    return verb, keys, rel


def _realising_verb(row: Trigger, noun: Any, lex: Lexicon) -> tuple[Optional[Any], bool]:
    """The verb that makes an event noun an event, and whether the noun is only its occasion."""
    verb, keys, rel = support_keys(noun, lex)
    if verb is None:
        return None, False
    if rel == "during":  # "clashes during demonstrations": the demonstrations took place
        if verb.lemma_.lower() in lex.heads:
            return None, False  # "arrested dozens during protests": background of an event of its own
        return (verb, False) if "occur" in row.support or "do" in row.support else (None, False)
    # "agreed at a summit", "flew in an exercise", "are in talks with X": meetings and exercises as occasions
    if rel == "prep" and "within" in row.support and keys[0].rsplit(" ", 1)[-1] in OCCASION_PREPS and \
            verb.dep_ not in ("acl", "amod"):  # "officials involved in negotiations": a description
        return verb, True
    support = row.support | ({"go"} if row.support & {"do", "stage"} else set())
    for key in keys:
        classes = lex.classes.get(key, frozenset())
        wanted = support & classes
        if not wanted:
            continue
        if rel == "subj" and "occur" in wanted:
            return verb, False
        if rel == "obj" and wanted - {"occur", "go"}:
            return verb, False
        if rel == "prep" and "go" in wanted:
            return verb, False
    # "retaliated with tariffs", "hit back with air strikes": the means of a response is an event of any kind
    if rel == "prep" and any("answer" in lex.classes.get(k, ()) for k in keys):
        return verb, False
    return None, False


def match_token(tok: Any, lex: Lexicon, actor_of: Callable[[int], Any]) -> Optional[Candidate]:
    """The first (longest) lexicon row whose words and constraints match at `tok`."""
    if tok.lemma_.lower() not in lex.heads and lex.forms.get(tok.lower_) is None:
        return None  # the common case: not a trigger word at all
    group = POS_GROUP.get(tok.pos_)
    if group is None:
        return None
    latent: Optional[Candidate] = None
    dependents: Optional[dict[str, Any]] = None
    for lemma in token_lemmas(tok, lex):
        for row in lex.triggers.get((lemma, group), ()):
            if row.others and dependents is None:
                dependents = _dependent_words(tok)  # once per token, shared by all its phrase rows
            tokens = _phrase_tokens(row, tok, dependents)
            if tokens is None:
                continue
            if "judge" in row.flags:  # an evaluation: its event is the judgement that utters it
                found = judgement(tok, lex, actor_of)
                if found is not None and (not row.objects or found[1].lemma_.lower() in row.objects):
                    return Candidate(tok, row, tokens, support=found[0])
                continue
            if "feel" in row.flags:
                if _feeling(tok, lex):
                    return Candidate(tok, row, tokens)
                continue
            if group == "NOUN":
                if tok.dep_ == "compound" and "light" not in lex.classes.get(tok.head.lemma_.lower(), ()):
                    break                    # "attack ads", "protest songs": a modifier, not an event
                if "persons" in row.flags and not _persons_only(tok, actor_of):
                    continue
                if "civil" in row.flags and _state_modified(tok, lex, actor_of):
                    continue
                if "xcomp" in row.flags and not any(_infinitive_clause(c) or (c.dep_ == "acl" and any(
                        g.dep_ == "aux" and g.lower_ == "to" for g in c.children)) for c in tok.children):
                    continue                 # "an agreement to exchange data" (AGREE) vs "a trade agreement"
                if _media_event(tok, lex):
                    break                    # "a press conference", "a news briefing": no meeting of parties
                if any(c.dep_ == "amod" and c.lemma_.lower() in lex.words_of("prospective") for c in tok.children):
                    latent = latent or Candidate(tok, row, tokens, latent=True)
                    break                    # "future talks", "a possible strike": not (yet) an event
                verb, occasion = _realising_verb(row, tok, lex)
                if verb is None:
                    latent = latent or Candidate(tok, row, tokens, latent=True)
                    continue
                return Candidate(tok, row, tokens, support=verb, occasion=occasion)
            if group == "ADJ":
                if tok.dep_ not in ("acomp", "amod", "ROOT") or not any(c.dep_ == "xcomp" for c in tok.children):
                    continue
                return Candidate(tok, row, tokens)
            if tok.dep_ in ("amod", "compound"):
                break  # a participle used as an adjective: "the banned party", "its long-threatened invasion"
            if _verb_constraints_ok(row, tok, tokens, lex, actor_of):
                return Candidate(tok, row, tokens)
    return latent
