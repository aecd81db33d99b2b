"""Stage 'issues' (placeholder: being built)."""
from __future__ import annotations

from gestae.model import Article


def annotate(article: Article) -> None:
    """Placeholder; the real stage replaces this."""
    return None
