"""A command taken back and another said in its place: "open chrome, no wait, open firefox", "scroll down,
actually scroll up", "open firefox, I mean chrome", "click save, sorry, cancel".

People correct themselves mid-sentence (a blind probe set's writer did, unprompted). What follows the correction
replaces the command before it, never joins it: its plan runs, and only when what comes before the correction is
a whole command and what follows gives one in its place. That is a value of the first ("I mean chrome": the first
command with its last words replaced, changing one value of it to just those words), or else a whole command of its
own. A correction with nothing in the first one's place ("press enter, no wait") is read whole, as before: it says
not to, and nothing runs (saying_no.py). The correction words are saying_no.CORRECTION; a bare "no" ("open
spotify, no, open thunderbird") corrects only when the same command follows it whole, or when pauses set it off
("scroll up... no, down") and the command before it types no text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import permutations
from typing import Any

from voxctl.agent.interpret.grounded import taken_back
from voxctl.agent.interpret.normalize import ORDINALS, WAITS_FOR_MORE
from voxctl.agent.interpret.saying_no import BARE_NO, CORRECTION, TAKEN_BACK
from voxctl.tools.keys import normalize_key
from voxctl.tools.words import words_in

MAX_VALUE_WORDS = 3  # "switch to the terminal window, I mean firefox": the last words a value may replace
# ... and a web address or a search, said last: "go to youtube dot com, no, web dot whatsapp dot com", "search youtube
# for it is well with my soul, no, how great thou art" (blind probe sets 42, 53: each opened the first with the rest)
MAX_FREE_VALUE_WORDS = 10
_PAUSE = re.compile(r"[,.;:!?\u2026-]")
TRAILING = WAITS_FOR_MORE | {"this", "that"}  # a start that waits for its noun ("read me this... no, ...")
_NO_PHRASES = frozenset("way thanks thank problem problems worries idea doubt kidding wonder more longer matter".split())
_ARTICLES = frozenset({"the", "a", "an"})
_MODIFIERS = frozenset({"ctrl", "shift", "alt", "win"})
_POINTED = frozenset({"it", "this", "that", "them"})  # what a command ends on that names no value
# Values of one kind, put in each other's place by a correction (and numbers, said as digits by normalize)
_KINDS = (ORDINALS, frozenset("up down left right".split()), frozenset({"in", "out"}), frozenset({"next", "previous"}),
          frozenset({"on", "off"}))  # "next tab no previous tab" (blind probe set 41)
_SENTENCE_END = re.compile(r"[.!?\u2026]")  # "scroll up. no down." (slt): a "no" that begins a sentence


def corrected(analyse: Callable[[str], Any], text: str, tokens: Sequence[Any], tlds: frozenset[str] = frozenset()) -> Any | None:
    """The grammar's parse (`analyse`: text -> Parse) of `text` with its correction applied, or None when it has
    none to apply. `tokens`: `text`'s words (normalize.tokenize); `tlds`: the grammar's `url_tlds` (an address's end)."""
    bare = (at := _where(tokens, CORRECTION)) is None
    if bare and (at := _where(tokens, BARE_NO)) is None:
        return None
    whole_text = text
    if len(set(said := [t.word for t in tokens[at[1]:]])) == 1 and len(said) > 1 and _value(tokens[at[1]]) is not None:
        tokens = tokens[:at[1] + 1]  # a value said again for emphasis: "scroll down, no, up up" is up once (set 67)
        text = text[:tokens[-1].end]
    with taken_back():  # what it named need not exist: it is taken back
        before = analyse(text[:tokens[at[0] - 1].end])
    tail = text[tokens[at[1]].start:]
    if before.plan.actions and TAKEN_BACK.search(" ".join(words_in(text))):  # "..., no, forget it"
        return replace(before, refused=True, plan=before.plan.model_copy(update={
            "actions": [], "transcript": whole_text, "reason": f"not a command: {text.strip()!r} takes itself back"}))
    after = _in_place_of(analyse, text, tokens, at, before, tail, bare, tlds) if before.plan.actions else \
        _after_trailing_off(analyse, text, tokens, at, tail)
    if after is None or not after.plan.actions:
        return None
    return replace(after, plan=after.plan.model_copy(update={"transcript": whole_text}))


def _in_place_of(analyse: Callable[[str], Any], text: str, tokens: Sequence[Any], at: tuple[int, int], before: Any,
                 tail: str, bare: bool, tlds: frozenset[str]) -> Any | None:
    """What the correction at `at` says in place of the command `before`, or None when a bare "no" corrects nothing."""
    whole = analyse(tail)
    # the same command said again whole ("type hello, sorry, type goodbye"), else a value put in place: "click save,
    # sorry, cancel" clicks "cancel" (alone, "cancel" is Escape)
    restated = _restated(whole, before, tokens[0].word, words_in(tail))
    # in typed text "no" is as likely a word of it ("type yes, no, maybe"): it corrects only the command said again
    # ... or set off by pauses, or a value swapped; in typed words both ("type pallet twelve, no, fourteen": set 40)
    set_off, swapped = _set_off(text, tokens, *at), _value_swapped(tokens, *at) or _address_swapped(before, tail, tlds)
    corrects = (set_off or swapped) and not _types_words(before.plan) or set_off and swapped
    # ... or a command said whole after a command that types nothing: "minimize it no maximize it" (sets 67, 70)
    own = _own_command(whole, words_in(tail))
    whole_again = own or bool(whole.plan.actions) and len(words_in(tail)) > 1  # "scroll up no go to the top"
    if bare and not restated and not corrects and not (whole_again and not _types_words(before.plan)):
        return None
    if restated or own:  # "maximize slack, sorry, minimize slack"
        return whole
    return _put_in_place(analyse, text, tokens[:at[0]], tail, before, [t.word for t in tokens[at[1]:]]) or whole


def _types_words(plan: Any) -> bool:
    """Whether a plan types words, where "no" may be one of them; a number typed into a box ("go to line thirty, no,
    thirty five": ctrl+g, 30, enter) is none."""
    return any(c.tool == "type_text" and re.search(r"[^\W\d_]", c.args.text) for c in plan.actions)


def _restated(whole: Any, before: Any, first: str, tail: list[str]) -> bool:
    """Whether the correction says the command before it again whole, another value in it: the same tool first,
    and for keys (every edit action is press_keys) the same first word ("press enter, no, press tab"; "go to tab
    three, no, tab four" is a value put in place, not the key tab pressed four times)."""
    tools = [c.tool for c in whole.plan.actions][:1]
    if not tools or tools != [c.tool for c in before.plan.actions][:1]:
        return False
    # a chord said again from its first modifier: "press control shift d no control shift a" (blind probe set 41)
    return tools != ["press_keys"] or tail[:1] == [first] or bool(tail) and normalize_key(tail[0]) in _MODIFIERS


def _own_command(whole: Any, tail: list[str]) -> bool:
    """Whether the correction is a command of its own with its verb, not a value for the one before: a value of its
    plan is the last words of the correction, after words of its own ("minimize slack", not "cancel"); or it ends on
    a pronoun and takes no value from its words ("maximise it, no, minimise it": no window is titled "minimise it")."""
    if tail[-1:] and tail[-1] in _POINTED and len(tail) > 1 and whole.plan.actions and not any(
            isinstance(v, str) and set(words_in(v)) & set(tail) for c in whole.plan.actions for v in c.args.model_dump().values()):
        return True
    for call in whole.plan.actions:
        for value in call.args.model_dump().values():
            if isinstance(value, str) and 0 < len(said := words_in(value)) < len(tail) and tail[-len(said):] == said:
                return True
    return False


def _after_trailing_off(analyse: Callable[[str], Any], text: str, tokens: Sequence[Any], at: tuple[int, int],
                        tail: str) -> Any | None:
    """The command said whole after a start that trailed off and a correction: "read me the... no, go to the bottom"
    (blind probe set 13). Only when the start stops on a word that waits for more, or on "...", and the correction
    is set off by pauses; None otherwise."""
    gap = text[tokens[at[0] - 1].end:tokens[at[0]].start]
    if not (tokens[at[0] - 1].word in TRAILING or "..." in gap or "\u2026" in gap) or not _set_off(text, tokens, *at):
        return None
    return analyse(tail)


def _set_off(text: str, tokens: Sequence[Any], first: int, after: int) -> bool:
    """Whether the bare "no" said from `tokens[first]` ("no", "ah no") up to `tokens[after]` stands between pauses, as
    an interjection: "scroll up... no, down", "go to the second tab, no, the third", "press enter, ah no, press tab"
    (blind probe set 12, people new to English), or begins a sentence ("scroll up. no down.", slt), or, after a pause,
    comes before a number alone ("switch to tab two, no three"). The recogniser
    writes a pause as a comma or a full stop; a "no" inside words ("press no") has none."""
    if tokens[after].word in _NO_PHRASES:  # "click save. no way.": a reply, not a value ("way") in place
        return False
    before = text[tokens[first - 1].end:tokens[first].start]
    # a number alone after it is a value put in place, paused after or not: "switch to tab two, no three" (probe 17)
    number = after == len(tokens) - 1 and tokens[after].num is not None
    return bool(_SENTENCE_END.search(before)) or bool(_PAUSE.search(before)) and (number or bool(
        _PAUSE.search(text[tokens[after - 1].end:tokens[after].start])))


def _value_swapped(tokens: Sequence[Any], first: int, after: int) -> bool:
    """Whether the words after a bare "no" said from `tokens[first]` to `tokens[after]` are words said before it with
    other values of the same kind in their place (a number, an ordinal, a direction, in/out), paused or not: "scroll
    down five no three", "go to tab two no tab three", "press tab four times no five times" (blind probe set 32, typed
    without commas), "scroll up no down", "press tab three times naw two" (sets 37-39: the value need not be last, at
    most two words come after it). A "no" inside words has no value of one kind on both sides."""
    tail, head = tokens[after:], tokens[:first]
    if not tail or len(tail) > 3 or len(tail) > len(head):  # "go to the third tab no the fourth tab"
        return False
    for end in range(len(head), max(len(tail), len(head) - 2) - 1, -1):  # the words before "no" the tail stands for
        pairs = [(_value(a), _value(b), a.word, b.word) for a, b in zip(head[end - len(tail):end], tail, strict=True)]
        if all((x is None) == (y is None) and (x is not None or a == b) for x, y, a, b in pairs) and any(
                x is not None and x != y and _kind(x) == _kind(y) for x, y, _, _ in pairs):
            return True
    return False


def _address_swapped(before: Any, tail: str, tlds: frozenset[str]) -> bool:
    """Whether a bare "no" stands between two web addresses: the command before it opens one, and the words after it
    are one said whole, ending on "dot" and a top-level domain of `tlds` ("go to youtube dot com no facebook dot
    com", blind probe set 62, typed without commas): no address has a "no" inside."""
    said = words_in(tail)
    return [c.tool for c in before.plan.actions][-1:] == ["open_url"] and 3 <= len(said) <= 6 and said[-2] == "dot" \
        and said[-1] in tlds


def _value(token: Any) -> Any:
    """A token's value: its number, or its word when it is of one of `_KINDS` (an ordinal, a direction); else None."""
    if token.num is not None:
        return token.num
    return token.word if any(token.word in kind for kind in _KINDS) else None


def _kind(value: Any) -> int:
    """Which of `_KINDS` a value is of (-1: a number)."""
    return next((i for i, kind in enumerate(_KINDS) if value in kind), -1)


def _where(tokens: Sequence[Any], pattern: re.Pattern[str]) -> tuple[int, int] | None:
    """Where the last correction (`pattern`) said after the first word begins and where what follows it begins, as indexes
    into `tokens`: "open chrome, no wait, open firefox" -> (2, 4). None: no correction, or nothing after it."""
    starts, at = [], 0
    for t in tokens:
        starts.append(at)
        at += len(t.word) + 1
    said = " ".join(t.word for t in tokens)
    last = None
    for m in pattern.finditer(said, starts[1] if len(starts) > 1 else len(said)):
        last = m
    if last is None or last.start() not in starts:
        return None
    after = next((i for i, s in enumerate(starts) if s >= last.end()), None)
    return None if after is None else (starts.index(last.start()), after)


def _put_in_place(analyse: Callable[[str], Any], text: str, head: Sequence[Any], tail: str, before: Any,
                  tail_words: list[str]) -> Any | None:
    """The command before a correction with its last words replaced by what the correction says, when that changes
    its values to just those words: "open firefox, I mean chrome" -> open chrome, "scroll down five, I mean
    three" -> 3, "scroll down, no wait, up five" -> up 5. None when no such reading exists."""
    want = words_in(tail)
    # the last words first ("open firefox, I mean chrome"), then words inside ("go to the fourth tab, no, the
    # fifth": a value of the same kind in its place, `_swapped`)
    places = [(len(head) - k, k) for k in range(1, min(MAX_FREE_VALUE_WORDS, len(head) - 1) + 1)]
    places += [(i, k) for k in range(1, MAX_VALUE_WORDS + 1) for i in range(1, len(head) - k)]
    for i, k in places:
        inside = i + k < len(head)
        said = f"{text[:head[i - 1].end]} {tail}" + (text[head[i + k - 1].end:head[-1].end] if inside else "")
        swapped = _swapped([t.word for t in head[i:i + k]], tail_words)  # as tokenized: numbers as digits
        if inside and not swapped:
            continue
        again = analyse(said)
        old, new = before.plan.actions, again.plan.actions
        if len(new) != len(old) or any(a.tool != b.tool for a, b in zip(old, new, strict=True)):
            continue
        changed = [(v, w) for a, b in zip(old, new, strict=True)
                   for v, w in zip(a.args.model_dump().values(), b.args.model_dump().values(), strict=True) if v != w]
        if changed and (swapped or _all_named([w for _, w in changed], want)):
            return again
    return None


def _swapped(old: list[str], new: list[str]) -> bool:
    """Whether the words `new` say what `old` say with values of the same kind in their place (an article apart):
    "tab 3" -> "tab 4", "fourth" -> "the fifth", "up" -> "down"."""
    old, new = [w for w in old if w not in _ARTICLES], [w for w in new if w not in _ARTICLES]
    if len(old) != len(new) or old == new:
        return False
    return all(a == b or any(a in kind and b in kind for kind in _KINDS) or a.isdigit() and b.isdigit()
               for a, b in zip(old, new, strict=True))


def _all_named(values: list[Any], words: list[str]) -> bool:
    """Whether `words`, cut in order into one run of words per value (the values in any order), name `values`."""
    if len(values) == 1:
        return _names(values[0], words)
    if len(values) > 3 or len(words) < len(values):
        return False
    for order in permutations(values):
        for cut in range(1, len(words) - len(order) + 2):
            if _names(order[0], words[:cut]) and _all_named(list(order[1:]), words[cut:]):
                return True
    return False


def _names(value: Any, words: list[str]) -> bool:
    """Whether an argument's `value` is what `words` say: the words themselves (an article apart), or the number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from voxctl.agent.interpret.numbers import parse_numbers

        found = parse_numbers(words)
        return len(found) == 1 and found[0].value == value
    said = [w for w in words if w not in _ARTICLES]
    if isinstance(value, str) and value.isdigit():  # a number typed ("go to line thirty, no, thirty five")
        return _names(int(value), words) or words_in(value) == said
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return _names_address(value, said)
    return isinstance(value, str) and words_in(value) == said


def _names_address(url: str, said: list[str]) -> bool:
    """Whether a web address (or a search's words in it) is what `said` says, the words said for its marks ("dot",
    "slash": at most half of them) apart: "web dot whatsapp dot com" is https://web.whatsapp.com."""
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(url)
    query = " ".join(v for _, v in parse_qsl(parts.query))
    heard = words_in(query) if query else [w for w in words_in(f"{parts.netloc} {parts.path}") if w != "www"]
    kept = [w for w in said if w in heard]
    return bool(heard) and kept == heard and 2 * (len(said) - len(kept)) <= len(said)
