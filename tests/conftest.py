"""Shared fixtures: small articles written for these tests (never copied from an outlet)."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def knowledge_cache(tmp_path_factory):
    """Compiled knowledge is cached in this run's own directory, never the user's cache."""
    previous = os.environ.get("GESTAE_CACHE")
    os.environ["GESTAE_CACHE"] = str(tmp_path_factory.mktemp("gestae-cache"))
    yield
    if previous is None:
        os.environ.pop("GESTAE_CACHE", None)
    else:
        os.environ["GESTAE_CACHE"] = previous

PASTED = """The Korea Herald

ニュース

Seoul, Canberra agree to deepen defense industry ties

By Park Min-jung

Published : Apr. 2, 2024 - 09:05

    • Link copied

  • Share  • Facebook  • Twitter

Defense Minister Shin Won-sik poses with Australian Deputy Prime Minister Richard Marles at a hotel in Melbourne on Monday. (Yonhap) Defense Minister Shin Won-sik poses with Australian Deputy Prime Minister Richard Marles at a hotel in Melbourne on Monday. (Yonhap)

South Korea and Australia agreed on Monday to expand cooperation in the defense industry, including joint production of armored vehicles, the Defense Ministry said Tuesday.

The two ministers also discussed supply chains for critical minerals, an official said.

Advertisement

The two ministers also discussed supply chains for critical minerals, an official said.

"Our partnership has never been stronger," Marles told reporters after the meeting.
"""


@pytest.fixture
def pasted_text() -> str:
    return PASTED


@pytest.fixture
def write(tmp_path):
    """write(name, content) -> path, bytes or str."""
    def _write(name: str, content) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)
    return _write
