"""How alike two phrases sound, by their phonemes: espeak-ng's (`espeak-ng -q -x`), the speech synthesizer
voxctl's setup installs (scripts/setup.sh). Where it is missing, nothing is said to sound alike (None).

Spelling misleads where sound does not: "highlight" and "i like", "bookmark" and "but mark", "volume" and "follow
you" are near in phonemes (0.67 each) and far in letters; "click" and "could you" are far in both (0.22).
"""

from __future__ import annotations

import difflib
import functools
import shutil
import subprocess

TIMEOUT_S = 2.0


@functools.lru_cache(maxsize=4096)
def phonemes(phrase: str) -> tuple[str, ...] | None:
    """espeak-ng's phonemes of `phrase` (stress marks left out), or None where espeak-ng is missing or fails."""
    program = shutil.which("espeak-ng")
    if program is None or not phrase.strip():
        return None
    try:
        # the text on stdin: as an argument, a phrase that begins with "-" ("-into") is read as an option
        out = subprocess.run([program, "-q", "-x", "--sep= "], input=phrase, capture_output=True, text=True,
                             timeout=TIMEOUT_S, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return tuple(p for p in out.replace("'", "").replace(",", "").split() if p and p not in ";_:")


def sound_alike(a: str, b: str) -> float | None:
    """How alike `a` and `b` sound, 0-1 (difflib's ratio of their phoneme sequences), or None when not known."""
    pa, pb = phonemes(a.lower()), phonemes(b.lower())
    if pa is None or pb is None:
        return None
    return difflib.SequenceMatcher(None, pa, pb, autojunk=False).ratio()
