"""The language of an article, and whether gestae codes it.

Detection is Google's Compact Language Detector 2 (pycld2, pinned): its tables are compiled into the
package, so nothing is downloaded, it loads in milliseconds and reads a few kilobytes in a fraction of
a millisecond. When it is unsure (very short or mixed text), the page's own language tag decides, else
the article is "und" (undetermined) and handled as if English. gestae's rules (triggers, roles,
dates) are English: an article in any other language is kept with its metadata and text, is not
parsed or coded, and carries a warning saying so, so a batch of German pages does not silently yield
nothing.
"""
from __future__ import annotations

import re
from typing import Optional

from gestae.locales import base_language, language_name

CODED_LANGUAGES = frozenset({"en"})
UNDETERMINED = "und"
SAMPLE_CHARS = 6000
MIN_LETTERS = 20
MIN_PERCENT = 60
# CLD2 still answers with a few retired codes.
_CODE_FIXES = {"iw": "he", "jw": "jv", "in": "id", "zh-hant": "zh", "un": UNDETERMINED, "xxx": UNDETERMINED}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _cld2(text: str) -> Optional[str]:
    import pycld2

    sample = _CONTROL.sub(" ", text[:SAMPLE_CHARS]).encode("utf-8", "replace").decode("utf-8")
    try:
        reliable, _, details = pycld2.detect(sample, isPlainText=True)
    except pycld2.error:  # CLD2 refuses some byte sequences; then the page tag decides
        return None
    name, code, percent, _ = details[0]
    code = _CODE_FIXES.get(code.lower(), code.lower())
    if not reliable or percent < MIN_PERCENT or code == UNDETERMINED:
        return None
    return code.split("-")[0]


def detect_language(text: str, hint: str = "") -> str:
    """ISO 639-1 code of `text` ('en', 'de', ...); `hint` (a page's lang tag such as 'de-AT') decides
    when the text is too short or mixed to tell; 'und' when neither tells."""
    letters = sum(ch.isalpha() for ch in text[:SAMPLE_CHARS])
    detected = _cld2(text) if letters >= MIN_LETTERS else None
    return detected or base_language(hint) or UNDETERMINED


def is_coded(language: str) -> bool:
    """True when gestae's rules apply: English, or a language nobody could determine."""
    return language in CODED_LANGUAGES or language == UNDETERMINED


def language_warning(language: str) -> Optional[str]:
    """The warning an article in an uncoded language carries; None for a coded one."""
    if is_coded(language):
        return None
    return (f"language is {language_name(language)} ({language}): gestae codes English only, "
            f"so no actors, events or quotes were extracted")
