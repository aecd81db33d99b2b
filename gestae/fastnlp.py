"""Faster stand-ins for three components of the pinned spaCy model, with the same output.

Measured on news text, half of a full spaCy pass is not the neural work but bookkeeping around it:

- **ner**: the greedy decoder checks every one of its 74 moves at every token through small C++
  calls that take and release the GIL each time (the wheel's state class is compiled with profiling
  hooks); the arithmetic is a fraction of the time. Its state is tiny: with no entity open, the
  features are the next token alone, so the scores of every token in that state come from one
  matrix product over the batch; only inside an entity do the entity's first and previous tokens
  join the features. `decode_entities` computes exactly the same scores with spaCy's own layers and
  picks the same moves by the same rules (BILUO validity, no entity across a sentence start or
  starting on a space, first best score wins).
- **attribute_ruler**: its Matcher tries 179 patterns at every token; they are single tokens (and a
  few pairs) tested on TAG, LOWER, DEP and IS_SPACE, so `AttributeRules` evaluates each as array
  comparisons and applies the rules in the ruler's order (a later rule overrides an earlier one).
- **lemmatizer**: the rule lemmatizer looks candidate lemmas up in word *lists* (up to 57,000 long);
  the same look-ups in sets give the same lemmas. And it builds a Token object and runs its rules for
  every token, where a lemma depends only on the token's text, POS and morphology: `Lemmas` asks the
  component once per such triple and sets a Doc's lemmas as one array.

Each stand-in checks at load that it supports the component as configured (else the stock component
runs), and `load_fast` compares both on a sample text so that a model or spaCy release that behaves
otherwise falls back by itself. `GESTAE_FAST_NLP=0` runs the stock components (for comparisons).
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Optional

import numpy

# Sample for the load-time check: entities of several kinds and lengths, one at a sentence start,
# one ending the text, a space token, contractions and pronouns the attribute rules handle.
SELF_CHECK_TEXT = ("Officials in Buenos Aires said on Tuesday that the European Union's envoy, "
                   "Maria del Carmen Ortiz, will visit Kenya.\n\nShe didn't say why.  They've "
                   "asked the U.N. Security Council for $2.5 million. It's gonna be hard, "
                   "said Nairobi")

Stage = Callable[[list], None]


# ---------------------------------------------------------------------------------------------
# lemmatizer

def speed_up_lemmatizer(lemmatizer: Any) -> bool:
    """Turn the rule lemmatizer's word lists into sets (membership is all it asks of them)."""
    if getattr(lemmatizer, "mode", None) != "rule":
        return False
    table = lemmatizer.lookups.get_table("lemma_index", None) if lemmatizer.lookups.has_table(
        "lemma_index") else None
    if table is None:
        return False
    for key in list(table.keys()):
        if isinstance(table[key], list):
            table[key] = frozenset(table[key])
    return True


class Lemmas:
    """The rule lemmatizer run as a memo: a token's lemma depends only on its text, POS and
    morphology (`rule_lemmatize` and English `is_base_form` read nothing else), so each
    (ORTH, POS, MORPH) triple is lemmatized once by the component itself, and a Doc's lemmas are
    read and written as one array instead of one Token object a token."""

    MEMO_MAX = 200_000   # triples kept; then the memo starts afresh (memory stays flat over a corpus)

    def __init__(self, lemmatizer: Any):
        if getattr(lemmatizer, "mode", None) != "rule" or not _reads_only_text_pos_morph(lemmatizer):
            raise Unsupported("lemmatizer")
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], str] = {}

    def __call__(self, docs: list, batch_size: int) -> None:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS
        from spacy.errors import Errors

        lemmatizer = self.lemmatizer
        if not lemmatizer._validated:
            lemmatizer._validate_tables(Errors.E1004)
        if len(self.memo) > self.MEMO_MAX:
            self.memo.clear()
        memo, add = self.memo, lemmatizer.vocab.strings.add
        for doc in docs:
            if not len(doc):
                continue
            rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = rows[:, 3].copy()
            todo = range(len(doc)) if lemmatizer.overwrite else numpy.flatnonzero(lemmas == 0).tolist()
            keys = rows[:, :3].tolist()
            for i in todo:
                key = tuple(keys[i])
                lemma = memo.get(key)
                if lemma is None:
                    lemma = memo[key] = lemmatizer.lemmatize(doc[i])[0]
                lemmas[i] = add(lemma)   # as Token.lemma_ = lemma does
            doc.from_array([LEMMA], lemmas)


def _reads_only_text_pos_morph(lemmatizer: Any) -> bool:
    """Whether the component is spaCy's own rule lemmatizer, or the English one (which only adds
    an `is_base_form` reading POS and morphology)."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    kind = type(lemmatizer)
    return kind in (Lemmatizer, EnglishLemmatizer) and kind.__call__ is Lemmatizer.__call__ and \
        kind.rule_lemmatize is Lemmatizer.rule_lemmatize and lemmatizer.lemmatize == lemmatizer.rule_lemmatize


# ---------------------------------------------------------------------------------------------
# attribute_ruler

_ATTR_NAMES = ("TAG", "LOWER", "DEP", "IS_SPACE")


class Unsupported(Exception):
    """A pattern or a setting the stand-in does not reproduce: the stock component is used."""


def _string_id(strings: Any, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    return strings.add(value) if value else 0


class _TokenTest:
    """One token of a pattern: a conjunction of tests on the columns TAG, LOWER, DEP, IS_SPACE."""

    def __init__(self, spec: dict, strings: Any):
        self.tests: list[tuple[int, str, Any]] = []
        for key, value in spec.items():
            name = key.upper()
            if name not in _ATTR_NAMES:
                raise Unsupported(key)
            column = _ATTR_NAMES.index(name)
            if isinstance(value, dict):
                if len(value) != 1:
                    raise Unsupported(value)
                (op, arg), = value.items()
                if op in ("IN", "NOT_IN") and isinstance(arg, (list, tuple)) and not isinstance(arg, str):
                    ids = numpy.array(sorted({_string_id(strings, v) for v in arg}), dtype="uint64")
                    self.tests.append((column, op, ids))
                elif op == "REGEX" and isinstance(arg, str) and name != "IS_SPACE":
                    self.tests.append((column, op, re.compile(arg)))
                else:
                    raise Unsupported(value)
            elif isinstance(value, (str, bool, int)):
                self.tests.append((column, "==", numpy.uint64(_string_id(strings, value))))
            else:
                raise Unsupported(value)

    def mask(self, columns: numpy.ndarray, strings: Any, regex_cache: dict) -> numpy.ndarray:
        ok = numpy.ones(len(columns), dtype=bool)
        for column, op, arg in self.tests:
            values = columns[:, column]
            if op == "==":
                ok &= values == arg
            elif op == "IN":
                ok &= numpy.isin(values, arg)
            elif op == "NOT_IN":
                ok &= ~numpy.isin(values, arg)
            else:  # REGEX, searched in the attribute's string, as the Matcher does
                hits = numpy.zeros(len(values), dtype=bool)
                for i, value in enumerate(values.tolist()):
                    key = (arg.pattern, value)
                    hit = regex_cache.get(key)
                    if hit is None:
                        hit = regex_cache[key] = bool(arg.search(strings[value]))
                    hits[i] = hit
                ok &= hits
        return ok


class AttributeRules:
    """The attribute ruler's rules as array tests; `__call__` sets what the ruler would set."""

    def __init__(self, ruler: Any):
        strings = ruler.vocab.strings
        from spacy.attrs import IDS

        self.strings = strings
        self.rules: list[tuple[list[list[_TokenTest]], int, dict[int, int]]] = []
        written: set[int] = set()
        patterns = ruler.patterns
        if len(patterns) != len(ruler.attrs):
            raise Unsupported("patterns")
        for number, (entry, attrs, index) in enumerate(zip(patterns, ruler.attrs, ruler.indices)):
            if entry.get("index", index) != index:
                raise Unsupported("index")
            alternatives = [[_TokenTest(token, strings) for token in pattern] for pattern in entry["patterns"]]
            if any(not pattern for pattern in alternatives):
                raise Unsupported("empty pattern")
            values = {}
            for attr, value in attrs.items():
                if not isinstance(attr, int) or attr not in _SETTABLE:
                    raise Unsupported(attr)
                values[attr] = int(value)
                written.add(attr)
            self.rules.append((alternatives, index, values))
        self.written = sorted(written)
        self.columns = [IDS[name] for name in _ATTR_NAMES]
        self.regex_cache: dict = {}

    def __call__(self, docs: list) -> None:
        """Set the rules' attributes on a group of Docs (evaluated together: one array per column)."""
        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return
        lengths = numpy.array([len(doc) for doc in docs])
        n = int(lengths.sum())
        columns = numpy.vstack([doc.to_array(self.columns).reshape((len(doc), len(self.columns))) for doc in docs])
        current = numpy.vstack([doc.to_array(self.written).reshape((len(doc), len(self.written))) for doc in docs])
        # tokens left before the end of their own doc: a pattern of k tokens starts only where >= k
        left = numpy.concatenate([numpy.arange(length, 0, -1) for length in lengths.tolist()])
        slot = {attr: j for j, attr in enumerate(self.written)}
        changed = numpy.zeros(len(self.written), dtype=bool)
        for alternatives, index, values in self.rules:
            targets = numpy.zeros(n, dtype=bool)
            for pattern in alternatives:
                length = len(pattern)
                if length > n:
                    continue
                starts = left[:n - length + 1] >= length
                for offset, test in enumerate(pattern):
                    starts &= test.mask(columns[offset:offset + n - length + 1], self.strings, self.regex_cache)
                if not starts.any():
                    continue
                # span[index] of a match starting at s: index counts from the end when negative
                shift = index if index >= 0 else length + index
                if not 0 <= shift < length:
                    raise ValueError(f"attribute rule index {index} is outside its pattern")
                targets[numpy.flatnonzero(starts) + shift] = True
            if targets.any():
                for attr, value in values.items():
                    current[targets, slot[attr]] = value
                    changed[slot[attr]] = True
        attrs = [attr for attr, on in zip(self.written, changed) if on]
        if attrs:
            values = current[:, changed]
            at = 0
            for doc, length in zip(docs, lengths.tolist()):
                doc.from_array(attrs, numpy.ascontiguousarray(values[at:at + length]))
                at += length


def _settable() -> frozenset[int]:
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    return frozenset({DEP, LEMMA, MORPH, POS, TAG})


_SETTABLE = _settable()


# ---------------------------------------------------------------------------------------------
# ner

class EntityDecoder:
    """Greedy BILUO decoding of spaCy's NER model, move for move as `Parser.greedy_parse` does.

    Scores come from the component's own step model (`state2vec`: the precomputed first layer,
    summed over the state's feature tokens, plus bias, maxout; `vec2scores`: the output layer), the
    same operations in the same order as spaCy's C loop, so they are the same numbers; moves are
    chosen among the valid ones by the same rules."""

    SPECULATE = 6  # open-entity states scored ahead for each possible entity start

    def __init__(self, ner: Any):
        from spacy.pipeline._parser_internals.ner import BiluoPushDown

        if not isinstance(ner.moves, BiluoPushDown) or ner.cfg.get("beam_width", 1) != 1:
            raise Unsupported("ner moves")
        if ner.model.attrs.get("unseen_classes") or not ner.model.attrs.get("has_upper"):
            raise Unsupported("ner model")
        if list(getattr(ner, "postprocesses", [])):
            raise Unsupported("ner postprocesses")
        self.ner = ner
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        self.n_classes = len(names)
        self.out = names.index("O")
        self.label = numpy.zeros(self.n_classes, dtype="uint64")
        kinds = []
        for i, name in enumerate(names):
            kind, _, label = name.partition("-")
            kinds.append(kind)
            if label:
                self.label[i] = ner.vocab.strings.add(label)
        kinds = numpy.array(kinds)
        labelled = self.label != 0
        self.is_begin = (kinds == "B") & labelled
        self.is_unit = (kinds == "U") & labelled
        self.is_last = kinds == "L"
        # class of "I-X" / "L-X" for each label X
        self.in_of = {int(self.label[i]): i for i in range(self.n_classes) if kinds[i] == "I" and labelled[i]}
        self.last_of = {int(self.label[i]): i for i in range(self.n_classes) if kinds[i] == "L" and labelled[i]}
        valid_closed = (kinds == "O") | self.is_unit  # with no entity open, B, U and O can apply
        self.mask_begin = numpy.where(valid_closed | self.is_begin, 0.0, -numpy.inf).astype("f")
        self.mask_no_begin = numpy.where(valid_closed, 0.0, -numpy.inf).astype("f")

    def pipe(self, docs: list, batch_size: int) -> None:
        """Annotate `docs` as `ner.pipe(docs, batch_size=batch_size)` would (same sub-batches)."""
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            by_length = sorted(batch, key=len)
            for sub in minibatch(by_length, size=max(batch_size // 4, 2)):
                self._decode(list(sub))

    def _decode(self, docs: list) -> None:
        from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START

        if not any(len(doc) for doc in docs):
            return
        for doc in docs:
            if len(doc) and doc.to_array(ENT_IOB).any():
                self.ner.set_annotations(docs, self.ner.predict(docs))  # preset entities: spaCy's own
                return
        step = self.ner.model.predict(docs)
        try:
            state2vec, vec2scores = step.state2vec, step.vec2scores
            if state2vec.nF != 3 or vec2scores is None or not numpy.all(step._class_mask == 1):
                self.ner.set_annotations(docs, self.ner.predict(docs))
                return
            lengths = [len(doc) for doc in docs]
            total = sum(lengths)
            ids = numpy.full((total, 3), -1, dtype="i")
            ids[:, 0] = numpy.arange(total, dtype="i")
            closed = vec2scores.predict(state2vec.predict(ids))
            offset = 0
            for doc, n in zip(docs, lengths):
                if n:
                    rows = doc.to_array([SENT_START, IS_SPACE])
                    if rows.ndim == 1:
                        rows = rows.reshape((n, 2))
                    ents = self._doc_entities(closed[offset:offset + n], offset, n,
                                              rows[:, 0].astype("int64"), rows[:, 1].astype(bool),
                                              state2vec, vec2scores)
                    self._set(doc, ents)
                offset += n
        finally:
            step.clear_memory()

    def _doc_entities(self, closed: numpy.ndarray, offset: int, n: int, sent_start: numpy.ndarray,
                      is_space: numpy.ndarray, state2vec: Any, vec2scores: Any) -> list[tuple[int, int, int]]:
        # With no entity open at token b: B-X needs a next token that starts no sentence; a space
        # token can only be O.
        next_starts = numpy.zeros(n, dtype=bool)
        next_starts[:-1] = sent_start[1:] == 1
        can_begin = ~next_starts
        can_begin[-1] = False
        masked = numpy.where(can_begin[:, None], closed + self.mask_begin, closed + self.mask_no_begin)
        choice = masked.argmax(axis=1)
        choice[is_space] = self.out
        starts = numpy.flatnonzero(self.is_begin[choice])
        # Open-entity states for each possible start e, scored together: (b, e, b - 1), b = e+1, ...
        ahead = self._open_scores(starts, offset, n, self.SPECULATE, state2vec, vec2scores)
        ents: list[tuple[int, int, int]] = []
        done = 0
        for b in numpy.flatnonzero(choice != self.out).tolist():
            if b < done:
                continue
            move = int(choice[b])
            label = int(self.label[move])
            if self.is_unit[move]:
                ents.append((b, b + 1, label))
                done = b + 1
                continue
            start = b  # B-label: the entity is open from here; the next token is `end`
            scores, base = ahead.get(start), 0
            i_class, l_class = self.in_of[label], self.last_of[label]
            end = start + 1
            while True:
                j = end - start - 1
                if scores is None or j - base >= len(scores):
                    base = j
                    scores = self._open_scores(numpy.array([start]), offset, n, self.SPECULATE,
                                               state2vec, vec2scores, first=j)[start]
                row = scores[j - base]
                # I-X needs a next token that starts no sentence; L-X is always valid here.
                can_go_on = end + 1 < n and not next_starts[end]
                if can_go_on and (row[i_class] > row[l_class] or (row[i_class] == row[l_class] and i_class < l_class)):
                    end += 1
                    continue
                ents.append((start, end + 1, label))
                done = end + 1
                break
        return ents

    @staticmethod
    def _open_scores(starts: numpy.ndarray, offset: int, n: int, steps: int, state2vec: Any,
                     vec2scores: Any, first: int = 0) -> dict[int, numpy.ndarray]:
        """Scores of the states 'entity open since e, next token b' for b = e+1+first ... (at most
        `steps` of them, within the doc), for each e in `starts`."""
        if not len(starts):
            return {}
        rows, spans = [], []
        for e in starts.tolist():
            bs = list(range(e + 1 + first, min(e + 1 + first + steps, n)))
            spans.append((e, len(rows), len(rows) + len(bs)))
            rows.extend((b + offset, e + offset, b - 1 + offset) for b in bs)
        if not rows:
            return {e: numpy.zeros((0, 0), dtype="f") for e in starts.tolist()}
        scores = vec2scores.predict(state2vec.predict(numpy.array(rows, dtype="i")))
        return {e: scores[a:b] for e, a, b in spans}

    @staticmethod
    def _set(doc: Any, ents: list[tuple[int, int, int]]) -> None:
        from spacy.tokens import Span

        doc.set_ents([Span(doc, s, e, label=label) for s, e, label in ents], default="outside")


# ---------------------------------------------------------------------------------------------
# the pipeline

def fast_components(nlp: Any) -> dict[str, Stage]:
    """Stand-ins by component name, for those of `nlp` this module supports."""
    stages: dict[str, Stage] = {}
    names = nlp.pipe_names
    if "lemmatizer" in names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        speed_up_lemmatizer(lemmatizer)  # in place: also the stock component's look-ups are faster
        try:
            lemmas = Lemmas(lemmatizer)
            stages["lemmatizer"] = lemmas
        except Unsupported:
            pass
    if "attribute_ruler" in names:
        try:
            rules = AttributeRules(nlp.get_pipe("attribute_ruler"))
            stages["attribute_ruler"] = lambda docs, batch_size: rules(docs)
        except Unsupported:
            pass
    if "ner" in names:
        try:
            decoder = EntityDecoder(nlp.get_pipe("ner"))
            stages["ner"] = decoder.pipe
        except Unsupported:
            pass
    return stages


def run_pipeline(nlp: Any, texts: list[str], batch_size: int, fast: Optional[dict[str, Stage]] = None,
                 timings: Optional[dict[str, float]] = None) -> list:
    """`list(nlp.pipe(texts, batch_size=batch_size))` for a group of at most `batch_size` texts,
    with the stand-ins in `fast` in place of their components; `timings` adds seconds per component."""
    import time

    clock = time.perf_counter
    started = clock()
    docs = [nlp.make_doc(text) for text in texts]
    if timings is not None:
        timings["tokenizer"] = timings.get("tokenizer", 0.0) + clock() - started
    for name, proc in nlp.pipeline:
        started = clock()
        stage = (fast or {}).get(name)
        if stage is not None:
            stage(docs, batch_size)
        elif hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(doc) for doc in docs]
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + clock() - started
    return docs


def same_annotations(a: Any, b: Any) -> bool:
    """Whether two Docs of the same text carry the same annotations (every attribute later stages read)."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE]
    return len(a) == len(b) and bool(numpy.array_equal(a.to_array(attrs), b.to_array(attrs)))


def checked_fast_components(nlp: Any, sample: Iterable[str] = (SELF_CHECK_TEXT,)) -> dict[str, Stage]:
    """`fast_components(nlp)`, keeping only the stand-ins that annotate the sample as spaCy does."""
    texts = list(sample)
    stock = list(nlp.pipe(texts, batch_size=len(texts)))
    fast = fast_components(nlp)
    for name in list(fast):
        trial = run_pipeline(nlp, texts, len(texts), {name: fast[name]})
        if not all(same_annotations(x, y) for x, y in zip(stock, trial)):
            del fast[name]
    return fast
