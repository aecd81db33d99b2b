#!/usr/bin/env python3
"""What a sentence cascade could skip: the share of sentences (and tokens) that a cheap screen finds
nothing in, so that the full parse could be left out for them.

    .venv/bin/python bench/cascade_screen.py CORPUS.jsonl [--limit N]

The screen is what a cascade can afford before parsing: the tokenizer's lower-cased forms against
every inflection of a trigger head or a word of event_words.tsv (the lexicon's `forms`), reporting
verbs (the quotes stage needs their subjects) and quotation marks. A sentence that passes needs the
parse; so does the sentence before it (a pronoun's antecedent, a speaker carried over). Sentence
boundaries are the parser's own (this measures the ceiling; a real cascade would first have to find
them without the parser). Prints each share, and the upper bound of the time a cascade could save
given the share of the run that tok2vec, tagger and parser take (measured here on the same texts).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

QUOTE_MARKS = frozenset('"\u201c\u201d\u00ab\u00bb')


def screen_words() -> tuple[frozenset[str], frozenset[str]]:
    """(forms of event words, forms of reporting verbs), lower-cased."""
    from gestae.events.lexicon import inflections, lexicon

    lex = lexicon()
    speech = set()
    for lemma in lex.speech:
        speech |= set(inflections(lemma, "VERB")) | {lemma}
    return frozenset(w.lower() for w in set(lex.forms) | set(lex.heads)), frozenset(w.lower() for w in speech)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"bench: {args.corpus}: no such file")
    from gestae import nlp as gestae_nlp

    texts = [json.loads(line)["text"] for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        texts = texts[: args.limit]
    event_words, speech_words = screen_words()
    words = event_words | speech_words
    model = gestae_nlp.load_model()
    # the parse and what reads its tags (the attribute ruler and the lemmatizer)
    parse_parts = [name for name in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
                   if name in model.pipe_names]
    seconds: dict[str, float] = {}
    sentences = tokens = event_sentences = hit_sentences = hit_tokens = needed_sentences = needed_tokens = 0
    docs = model.pipe(texts, batch_size=16)
    started = time.perf_counter()
    for doc in docs:
        sents = list(doc.sents)
        hits = [any(t.lower_ in words or t.text in QUOTE_MARKS for t in s) for s in sents]
        # the sentence before a hit is needed too (antecedents, carried-over speakers)
        needed = [h or (i + 1 < len(hits) and hits[i + 1]) for i, h in enumerate(hits)]
        event_sentences += sum(any(t.lower_ in event_words for t in s) for s in sents)
        sentences += len(sents)
        tokens += len(doc)
        hit_sentences += sum(hits)
        hit_tokens += sum(len(s) for s, h in zip(sents, hits) if h)
        needed_sentences += sum(needed)
        needed_tokens += sum(len(s) for s, n in zip(sents, needed) if n)
    seconds["all"] = time.perf_counter() - started
    started = time.perf_counter()
    with model.select_pipes(disable=parse_parts):
        for _ in model.pipe(texts, batch_size=16):
            pass
    seconds["without parse"] = time.perf_counter() - started
    parse_share = max(0.0, 1 - seconds["without parse"] / seconds["all"])
    skippable = 1 - needed_tokens / max(tokens, 1)
    print(f"corpus: {args.corpus} ({len(texts)} texts, {sentences} sentences, {tokens} tokens)")
    print(f"sentences with a form of an event word: {event_sentences / sentences:.1%}")
    print(f"sentences with a form of an event word, reporting verb or quotation mark: "
          f"{hit_sentences / sentences:.1%} "
          f"({hit_tokens / tokens:.1%} of tokens)")
    print(f"... or just before one (needed for antecedents): {needed_sentences / sentences:.1%} "
          f"({needed_tokens / tokens:.1%} of tokens)")
    print(f"{' + '.join(parse_parts)}: {parse_share:.1%} of spaCy's time on these texts")
    print(f"ceiling of what a cascade could save in spaCy's time: {skippable * parse_share:.1%} "
          f"({skippable:.1%} of tokens skippable x {parse_share:.1%})")


if __name__ == "__main__":
    main()
