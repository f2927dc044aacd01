"""Where one command of a chain ends and the next begins, beyond "and"/"then" (chain.py's ChainParser, a mixin):
a purpose said after keys ("press k to pause the video"), a remark after a command and a pause ("..., I need some
music"), a remark or lead-in fillers said first ("that was a mistake, undo it", "go ahead and ..."), the
unmarked split between two edit actions ("select all copy"), words at the end that end no command ("wait for me")
and a name that holds "and" ("click save and continue")."""

from __future__ import annotations

import re
from typing import Any

from voxctl.agent.interpret.dictation_render import past
from voxctl.agent.interpret.patterns import match
from voxctl.agent.interpret.saying_no import CORRECTION, EXPLAINS, ON_A_CALL, REPORTED
from voxctl.tools.keys import normalize_key

PRESS_VERBS = frozenset({"press", "hit", "tap", "push"})  # keys named to be pressed ("press k to pause the video")
# A remark after a command and a pause starts so: "..., I need some music", "..., it's distracting me".
ASIDE_LEADS = frozenset("i i'm i've i'd it it's this that's because cause since".split())
# ... or a statement about a thing: "zoom in please, the letters are too small for my eyes" (blind probe set 12)
ASIDE_THINGS = frozenset("the my our these those that".split())  # "press escape, that popup is in the way"
# A remark said before a command and a pause starts so and says what something is or was: "that was a mistake,".
# A remark said first: a statement about a thing ("that was a mistake, ...") or about oneself ("i'm done, stop the
# recording", "i was wrong, undo it"; blind probe set 6)
LEAD_INS = frozenset("that that's this it it's the i i'm we we're my our".split())  # "my hands are aching, ..."
# ... and what one has done or what is there ("oh i've clicked on the wrong thing, take me back to where i was", "there's
# a little video of a cat on the news, could you pause it", "these pop ups drive me round the bend, just click accept
# all cookies": blind probe set 19)
LEAD_INS |= frozenset("i've i'd we've there's these those".split())
# What one did not mean to do ("oh no, i didn't mean to do that, undo it please", blind probe set 11); not any
# "didn't": "i didn't like that macro, delete it" would name what "it" is.
REGRET = re.compile(r"\b(?:didn't|did not) (?:mean|want)\b")
# Not "don't": "i don't need the weekly report macro anymore, delete it" names what "it" is (a macro), not the key
SELF = frozenset("i we".split())  # what the speaker did, said first and followed by "now" (blind probe set 12)
# Who or what a remark said first is about, beyond LEAD_INS ("okay, they're waiting, click join meeting", "nothing
# else works, show numbers on the screen": blind probe set 13)
REMARK_SUBJECTS = frozenset("they they're he she he's she's nothing everything nobody someone".split())
# A command after a remark that points back into it: "i don't need the weekly report macro anymore, delete it"
POINTING_BACK = frozenset("it them".split())
# A remark about the listener's things is said to a person, and so is the command before it: "can you zoom in a bit,
# i can't read your screen" (blind probe set 16); no aside then, and the whole is no command
YOURS = frozenset("your yours".split())
# ... or why it is not wanted any more, its "i" left out: "kill that tab, don't need it" (blind probe set 25)
NOT_NEEDED = re.compile(r"(?:don't|dont|do not) (?:need|want|use)\b")
# ... or what the speaker did or does for the listener: "click my link. I send you yesterday." (en-us+m1's reading of
# "click the link I sent you yesterday", the dev set's talk, 2026-12-07): the command before it is said to that person
FOR_YOU = re.compile(r"\b(?:i|i'll|i've|i'd|we|we'll|we've)\s+(?:\w+\s+)?you\b")
STATEMENT_VERBS = frozenset("is was are were am that's it's i'm we're isn't wasn't aren't weren't can't there's".split())
# What the speaker cannot see or hear is why they ask, with no pause before it too: "could you zoom in a bit please i
# can't see the notes", "zoom in some on that please i can't hardly read it" (blind probe sets 69, 70)
WHY_UNPAUSED = re.compile(r"i (?:can't|cannot|can not|couldn't|could not) (?:hardly |barely |really |quite )?(?:see|read|hear|make out)\b")


AMOUNT_TOOLS = frozenset({"scroll", "nudge_mouse", "move_mouse", "drag", "wait"})
# an app's own actions that go some way: "rewind a bit" is YouTube's j (blind probe set 26), though j is a letter
AMOUNT_APP_ACTIONS = frozenset({"seek_forward", "seek_back"})


def takes_amount(call: Any) -> bool:
    """Whether "a bit" may be said after `call`: a scroll, a move, a wait, or keys that are no letter or digit (zoom,
    volume, arrows, pages: "zoom in a touch"), not a shortcut such as ctrl+c ("copy a bit")."""
    if call.tool in AMOUNT_TOOLS:
        return True
    keys = getattr(call.args, "keys", None) if call.tool == "press_keys" else None
    return bool(keys) and not any(len(k) == 1 and k.isalnum() for k in keys)


# What is said right after a grid's cells, with no "and": a click in the cell ("grid 8 6 click", "grid 5 double click")
GRID_THEN = frozenset({"click", "double", "right", "left", "triple", "middle"})
# Words that begin a sentence of talk as often as they are a command alone: no remark after them makes them one
SENTENCE_ADVERBS = frozenset({"again"})
# Said first, then more after a pause, these are a way of speaking, not the command they are alone ("what can i say,
# it's been a long week" listed the commands: blind probe set 24)
# "copy that, I will let the team know" (slt, blind probe set 22) is the radio's "understood", and copied
SENTENCE_STARTS = frozenset({("again",), ("what", "can", "i", "say"), ("copy", "that")})
# "one more time", "once more", "again" as the grammar's words are (numbers as digits, "once" as "1 times")
ONCE_MORE = frozenset({("1", "more", "time"), ("1", "more", "times"), ("1", "times", "more"), ("1", "times", "again"),
                       ("again",), ("1", "more", "time", "please"), ("again", "please")})

class ChainJoints:
    """The joints of a chain, read on ChainParser's tokens (`self.tokens`, `self.words`, `self.conn`, `self.g`)."""

    tokens: Any
    words: Any
    conn: Any
    g: Any
    text: str
    env: Any
    segment: Any
    _build: Any
    app_calls: dict[int, tuple[str, str]]

    def _purpose(self, i: int, b: int, n: int, calls: list[Any]) -> bool:
        """Whether tokens[b:n] say why the keys of tokens[i:b] are pressed, not what else to do: "press k to pause
        the video", "press space so it ticks the box", "press tab for completing the name". Only after keys named to be pressed ("press", "hit", ...; not
        "go back to sleep"), and only to the end (no "and"/"then" in it)."""
        if self.tokens[i].word not in PRESS_VERBS or any(c.tool != "press_keys" for c in calls):
            return False
        words = [t.word for t in self.tokens[b:n]]
        lead = 3 if words[:3] == ["in", "order", "to"] else 2 if words[:1] == ["so"] and words[1:2] and words[1] in (
            "that", "it", "i", "we", "you") else 1 if words[:1] == ["to"] else 0
        if words[:1] == ["for"] and words[1:2] and words[1].endswith("ing"):
            lead = 1  # "press tab for completing the name" (blind probe set 20)
        return bool(lead) and n - b > lead and not any(self.conn[k] for k in range(b, n))

    def _once_more(self, b: int, n: int) -> bool:
        """Whether tokens[b:n], said right after a command with no pause, only say it is done once more ("press
        enter one more time", "reload the page again"): the command, once. Read as a command of its own (repeat the
        last) it pressed Enter twice (blind probe set 20). Said alone or after a pause, it repeats (repeat_last)."""
        return not self.tokens[b - 1].pause and self._says_once_more(b, n)

    def _says_once_more(self, a: int, b: int | None = None) -> bool:
        """Whether tokens[a:b] say only "once more" (`ONCE_MORE`); with no `b`, whether tokens[a:] begin so."""
        words = tuple(t.word for t in self.tokens[a:b])
        return words in ONCE_MORE if b is not None else any(words[:len(p)] == p for p in ONCE_MORE)

    def _aside(self, i: int, b: int, n: int) -> bool:
        """Whether tokens[b:n], after a pause (or a reason with none: `WHY_UNPAUSED`), are a remark, not another command:
        "open up spotify, I need some music", "zoom in a bit, I can't read this", "minimize slack, it's distracting
        me". To the end only (no "and"/"then" in it); never about "your" things (`YOURS`); never a correction ("open
        firefox, I mean chrome"); never after keys named with no verb (tokens[i:b] "alt right": "Alright, that's it."
        was read "alt right. that's it.", and pressed alt+right)."""
        if not (self.tokens[b - 1].pause or WHY_UNPAUSED.match(" ".join(t.word for t in self.tokens[b:n]))) \
                or normalize_key(self.tokens[i].word) is not None or any(
                tuple(t.word for t in self.tokens[i:i + k]) in self.g.spec.keys for k in (2, 3)):
            return False  # keys named with no verb, in one word or more ("full stop, that's enough screen time": set 24)
        if tuple(t.word for t in self.tokens[i:b]) in SENTENCE_STARTS:
            return False  # "Again, the vendor is calling for the payment." (blind probe set 20, m3) ran repeat_last
        words = [t.word for t in self.tokens[b:n]]
        lead = words[0] in ASIDE_LEADS or words[0] in ASIDE_THINGS and bool(STATEMENT_VERBS & set(words)) or bool(
            NOT_NEEDED.match(" ".join(words)))
        return (len(words) >= 2 and lead and not any(self.conn[k] for k in range(b, n)) and not YOURS & set(words)
                and not CORRECTION.search(" ".join(words)) and not REPORTED.search(" ".join(words))
                and not ON_A_CALL.search(" ".join(words)) and not EXPLAINS.match(" ".join(words))
                and not FOR_YOU.search(" ".join(words)))

    def _lead_in(self, n: int) -> int:
        """Where the command starts after a remark said first and a pause ("that was a mistake, undo it", "the page
        is stuck, reload it", "i'm done, stop the recording"): a statement (it starts with that, this, it, the, i,
        we ... and holds is/was/are/were/am), what the speaker did with the command after it begun by "now" ("i
        finished the email, now press enter"), or any remark of a subject ("i don't need that, close this tab",
        "nothing else works, ...") before a command that does not point back into it ("..., delete it"), that ends at
        the first pause; 0 when there is none."""
        words = self.words[:n]
        first = self._fillers_first(n)  # "okay i'm done, stop recording", "oh no, i ..."
        b = next((k + 1 for k in range(first, n - 1) if self.tokens[k].pause), 0)
        if not b or words[first] not in LEAD_INS | REMARK_SUBJECTS or CORRECTION.search(" ".join(words)) or not (
                STATEMENT_VERBS & set(words[first:b]) or REGRET.search(" ".join(words[first:b]))
                or words[b:b + 1] == ["now"] and words[first] in SELF  # "i finished the email, now press enter"
                or not POINTING_BACK & set(words[b:n]) and words[n - 1] not in ("that", "this")):
            return 0
        if all(t.num is not None for t in self.tokens[b:n]):
            return 0  # a number alone narrows a grid shown: after a remark it is the remark's ("it's fine. 15."), no command
        return b

    def _fillers_first(self, n: int) -> int:
        """Where the command starts after the fillers said first among tokens[:n], 0 if none or if nothing follows
        them: lead-in fillers ending in a connective ("go ahead and", "be a dear and": a command never spans "and", so
        no segment strips them as it strips "could you"), and the fillers before a remark said first (`_lead_in`)."""
        i = past(self.words[:n], 0, self.g.spec.fillers_start)
        return i if i < n else 0

    def _edit_pair(self, calls: list[Any], b: int) -> bool:
        """Whether an unmarked split (no "and", no pause) may fall before tokens[b]: only between two edit
        actions ("select all copy", the recogniser dropping "and"). Anywhere else it made plans of misheard
        speech: "hit x paste three times" (hit backspace three times) -> x, then ctrl+v x3; "hide the cancel"
        (hit the cancel button) -> minimize, then escape; "tap a screenshot" -> the a key, then a screenshot."""
        g = self.g
        if self._says_once_more(b):
            return False  # "copy one more time": the command once (_once_more), never it and a repeat of it
        if calls and all(c.tool == "grid_narrow" for c in calls) and self.tokens[b].word in GRID_THEN:
            return True  # "grid eight six click" (blind probe set 21): the grid's cell, then the click there
        return self.tokens[b].word in g.edit_first and all(
            c.tool == "press_keys" and tuple(c.args.keys) in g.edit_chords for c in calls)

    def _amount_without_one(self, b: int, b0: int, calls: list[Any]) -> str | None:
        """Why "a bit" (grammar.yaml's fillers.amount), said among the fillers tokens[b:b0] after the command `calls`,
        makes it no command: the command has no amount ("copy a bit", the hands-free stream's "copy of it", "save some
        for me"); else None."""
        said = tuple(self.words[b:b0])
        if not any(said[j:j + len(p)] == p for p in self.g.spec.fillers_amount for j in range(len(said))) or all(
                takes_amount(c) or self.app_calls.get(id(c), ("",))[0] in AMOUNT_APP_ACTIONS for c in calls):
            return None
        return f"{' '.join(said)!r} says how much, and {', '.join(c.tool for c in calls)} has no amount"

    def _error_whole(self, i: int, b: int) -> str | None:
        """Why tokens[i:b], with the words at its end that would be fillers, is no command (an `error:` rule heard
        word for word), else None: "wait for me" is said to a person, though "for me" ends many commands."""
        toks = self.tokens[i:b]
        for rule in self.g.rules_for(toks[0]):
            if rule.error is not None:
                for seq in rule.patterns:
                    for values, fz in match(seq, toks, self.env):
                        if fz == 0 and "text" not in values:  # a free slot takes the fillers in too: "run standup
                            # please" named no macro "standup please" (blind probe set 40)
                            said = self.text[toks[0].start:toks[-1].end]
                            return f'"{said}": not a command: {self._build(rule, values, fz, said, (i, b))}'
        return None

    def _and_in_a_name(self, i: int, n: int) -> Any:
        """tokens[i:n] as one click on a name that holds "and" ("click save and continue", "tick i agree to the
        terms and conditions": blind probe set 13), when no chain reads them: a command never spans "and" but a
        name on a screen may."""
        if not any(self.conn[k] for k in range(i + 1, n)) or (seg := self.segment(i, n)) is None:
            return None
        calls, fz = seg
        if not calls or any(c.tool != "click" or " and " not in (getattr(c.args, "target", None) or "") for c in calls):
            return None
        return (fz, 0, 0, 1, 1), calls, [(i, n, fz)]
