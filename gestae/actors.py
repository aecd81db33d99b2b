"""Stage 'actors' (placeholder: being built)."""
from __future__ import annotations

from gestae.model import Article


def annotate(article: Article) -> None:
    """Placeholder; the real stage replaces this."""
    return None


def actors_in(article: Article, start: int, end: int) -> list:
    """Actors with a mention inside [start, end) (placeholder)."""
    return [a for a in article.actors if any(start <= s and e <= end for s, e in a.mentions)]
