"""Cleaning (placeholder: minimal version until the real one lands)."""
from __future__ import annotations

import hashlib

from gestae.model import Article, RawRecord


def content_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def clean(record: RawRecord) -> Article:
    text = record.content.strip()
    return Article(id=content_id(text), source=record.source, text=text, title=record.title or "",
                   published=record.published, outlet=record.outlet or "")
