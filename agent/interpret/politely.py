"""A request asked with a gerund: "would you mind zooming in please" is "zoom in please" (blind probe set 23).

Read only where the words as said are no command (grammar.analyse's retries). The verb is the gerund less "ing",
as the grammar knows it: "zooming" zoom, "closing" close, "skipping" skip, "scrolling" scroll.
"""

from __future__ import annotations

import re

from voxctl.agent.interpret.rules import GrammarSpec

_ASKED = re.compile(r"^\s*(?:(?:so|okay|ok|um|uh|and|now|please)[\s,]+)*(?:would|do|could) you mind\s+(\w+ing)\b",
                    re.IGNORECASE)


_KNOWN: dict[int, tuple[GrammarSpec, frozenset[str]]] = {}  # id(spec) -> (spec, its verbs): a spec holds dicts


def known_verbs(spec: GrammarSpec) -> frozenset[str]:
    """The words the grammar's commands begin with (rules, edit actions, an app's own actions)."""
    from voxctl.agent.interpret.dictating import command_verbs

    if (hit := _KNOWN.get(id(spec))) is None or hit[0] is not spec:
        said = [p for forms in (*spec.actions.values(), *spec.app_actions.values()) for p in forms]
        hit = _KNOWN[id(spec)] = (spec, command_verbs(spec) | {p[0] for p in said})
    return hit[1]


def as_asked(text: str, spec: GrammarSpec) -> str | None:
    """`text` with "would you mind <verb>ing" said as the verb, or None."""
    m = _ASKED.match(text)
    if m is None:
        return None
    stem, verbs = m.group(1).lower()[:-3], known_verbs(spec)
    for verb in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if verb in verbs:
            return verb + text[m.end():]
    return None
