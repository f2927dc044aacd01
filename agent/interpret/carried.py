"""A press said once for keys on both sides of "then": "press control b then c" is "press control b then press c"
(tmux's prefix, then its command key: blind probe set 25).

Read only where the words as said are no command (grammar.analyse's retries), and only after a press verb and
before a key's name: a chain never spans "then" (chain.py), so the keys after it were no command of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from voxctl.agent.interpret.chain_joints import PRESS_VERBS
from voxctl.tools.keys import normalize_key

_JOINTS = (("and", "then"), ("then",))


def keys_carried(text: str, tokens: Sequence[Any]) -> str | None:
    """`text` with the press verb it begins with said again after each "then" that is followed by a key's name, or
    None where it begins with no press verb or no such "then" follows."""
    words = [t.word for t in tokens]
    if not words or words[0] not in PRESS_VERBS:
        return None
    out, at, carried = [], 0, False
    for k in range(1, len(words) - 1):
        for joint in _JOINTS:
            end = k + len(joint)
            if tuple(words[k:end]) == joint and end < len(words) and normalize_key(words[end]) is not None \
                    and words[end] not in PRESS_VERBS:
                out.append(text[at:tokens[end].start])
                out.append(f"{words[0]} ")
                at, carried = tokens[end].start, True
                break
    return re.sub(r"\s+", " ", "".join(out) + text[at:]).strip() if carried else None
