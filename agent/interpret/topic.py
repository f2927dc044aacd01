"""A thing named first and then pointed at ("this window, maximize it", "the email, answer it"): said in the order of
the command ("maximize this window", "answer the email") before the understanding model reads it.

Many languages name the topic first and take it up with a pronoun (Spanish "la ventana, hazla grande", Vietnamese,
Chinese, colloquial English); people who speak English as a second language say commands so. The model, trained on
commands in English order, read the named thing as a step of its own: "this tab, close it" closed the tab and then
the window, "this window, maximize it" closed the window and then maximised one (blind probe sets 63 and 66, typed).
Said in the command's order, the model reads one command on one thing, or no command, as for any other words.

A topic said as its own part (a comma, a full stop): a determiner and up to three words ending on a thing commands
act on (grammar.yaml `topic_things`: "the portal froze again, reload it" names no thing), then a part that takes it
up once with "it" or "them", not as its first word ("the video, it's too loud" names no command). Fillers before it are
passed over (dictation_render.past): "how you say, the email, answer it". The thing named as an afterthought is put
in its place too: "send it, the mail" is "send the mail" (blind probe set 54). With no pause, only a determiner and a
thing said first, then a verb: "this email put it in the archive" (blind probe set 67).
"""

from __future__ import annotations

import re
from typing import Any

from voxctl.tools.words import words_in

_DETERMINERS = {"the", "this", "that", "these", "those", "my", "our", "your"}
# words that make the named part a clause of its own ("that is fine, do it", "this one you close, then open it")
_CLAUSE_WORDS = {"is", "are", "was", "were", "be", "been", "am", "'s", "do", "does", "did", "can", "could", "will",
                 "would", "should", "must", "may", "might", "i", "you", "we", "they", "he", "she", "it", "them", "not",
                 "and", "or", "but", "if", "when", "so", "then", "one"}
_PRONOUNS = {"it", "them"}
_PARTS = re.compile(r"[,.;:!?]+")


def fronted(text: str, spec: Any) -> str | None:
    """`text` said in the command's order when it names one of the grammar's things (`spec.topic_things`) first and
    takes it up with "it"/"them" after a pause ("this window, maximize it" -> "maximize this window"); None when it is
    not said so. `spec`: the GrammarSpec (its `fillers_start` are passed over)."""
    from voxctl.agent.interpret.dictation_render import past

    fillers_start, things = spec.fillers_start, spec.topic_things
    parts = [w for p in _PARTS.split(text) if (w := words_in(p))]
    while len(parts) > 2 and past(parts[0], 0, fillers_start) == len(parts[0]):  # "how you say, ..."
        parts = parts[1:]
    if len(parts) == 1:  # no pause: a determiner and a thing, then a verb ("this email put it in the archive": set 67)
        words = parts[0][past(parts[0], 0, fillers_start):]
        if len(words) >= 4 and words[0] in _DETERMINERS and words[1] in things and words[2] not in _CLAUSE_WORDS:
            return _put(words[:2], words[2:])
        return None
    if len(parts) != 2:
        return None
    first, second = parts
    first = first[past(first, 0, fillers_start):]
    if _named(first, things):
        return _put(first, second)
    return _put(second, first) if _named(second, things) else None  # named after: "send it, the mail"


def _named(words: list[str], things: Any) -> bool:
    return (2 <= len(words) <= 4 and words[0] in _DETERMINERS and words[-1] in things
            and not _CLAUSE_WORDS & set(words[1:]))


def _put(named: list[str], rest: list[str]) -> str | None:
    """`rest` with `named` in place of its one "it"/"them" (not its first word), else None."""
    at = [i for i, w in enumerate(rest) if w in _PRONOUNS]
    if len(at) != 1 or at[0] == 0:
        return None
    return " ".join([*rest[:at[0]], *named, *rest[at[0] + 1:]])
