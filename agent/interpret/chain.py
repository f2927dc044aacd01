"""Reading one transcript as a chain of commands: the best split, each part matched to a grammar rule.

Commands are split at "and"/"then" always; at the recogniser's punctuation when both sides are commands;
at a weak connective ("in", heard for "and") or between two words only when nothing better parses. The
cheapest reading wins: fewest near-miss words, then fewest unmarked splits, pauses merged, weak splits.
It is all or nothing, and a destructive action matched with any near-miss word is refused, along with
every other reading of that utterance. A reading whose open slot (an app, a window title, a click target)
names nothing that exists is no command either (grounded.py): "open the door for the delivery guy".
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from voxctl.agent.interpret.app_actions import once_each_toggle, refocused, with_app_keys
from voxctl.agent.interpret.chain_joints import ChainJoints
from voxctl.agent.interpret.compiled import CompiledGrammar
from voxctl.agent.interpret.dictation_render import past, starts_with
from voxctl.agent.interpret.grounded import off_screen, open_slot, screen_titles, ungrounded
from voxctl.agent.interpret.normalize import Token
from voxctl.agent.interpret.patterns import match
from voxctl.agent.interpret.rules import SLOT_REF, Rule
from voxctl.agent.interpret.slots import SlotMatcher
from voxctl.tools.base import Risk
from voxctl.tools.registry import ActionPlan, validate_action
from voxctl.tools.words import words_in

# A window or a door, then after a pause what the air is like: the room's, not the screen's ("close the window, it's
# freezing in here", heard so for "who closed the window, ..." in en-us+m3, blind probe set 21's talk)
ROOM_WINDOW = re.compile(r"\b(?:window|windows|door)\b[^,.;!?]*[,.;!?].*\b(?:freezing|cold|chilly|hot|warm|boiling|"
                         r"stuffy|draft|drafty|draughty|breeze|windy|raining|fresh air|air in here)\b", re.IGNORECASE)

SOURCE = "grammar"
_MISSING = object()
Cost = tuple[int, int, int, int, int]  # near-misses, unmarked splits, merged pauses, weak splits, commands
_ZERO: Cost = (0, 0, 0, 0, 0)


Reading = tuple[Cost, list[Any], list[tuple[int, int, int]]]  # cost, calls, (start, end, near-misses) per command


_THANKS = frozenset("thanks thank you please cheers ta okay ok".split())  # a search for these alone is courtesy


def _joined(value: str, values: dict[str, Any]) -> str | None:
    """An address written with slots in it ("$engine$query", "https://www.google.com/search?q=$query"): each slot's
    value in its place, the words said url-encoded ("cheap flights" -> "cheap+flights"), an address as it is; None for
    one slot alone (its value as it is), or a slot not filled."""
    from urllib.parse import quote_plus

    names = SLOT_REF.findall(value)
    if not names or SLOT_REF.fullmatch(value) or any(n not in values for n in names):
        return None
    return SLOT_REF.sub(lambda m: str(values[m.group(1)]) if str(values[m.group(1)]).startswith("http")
                     else quote_plus(str(values[m.group(1)])), value)


def _add(*costs: Cost) -> Cost:
    return tuple(map(sum, zip(*costs, strict=True)))  # type: ignore[return-value]


class ChainParser(ChainJoints):
    """One transcript being parsed: memoised command parses and the best split into commands."""

    def __init__(self, g: CompiledGrammar, text: str, tokens: list[Token], screen: Any = None):
        """`screen`: the ScreenState when the speech was heard (its window titles ground {title}), or None."""
        self.g, self.text, self.tokens = g, text, tokens
        # Known only when the screen listed its windows (the active window alone says nothing of the others).
        self.titles = screen_titles(screen)
        self.grid_shown = getattr(screen, "grid_shown", None)  # None: the screen does not say
        self.screen = screen
        self.env = SlotMatcher(g.vocab, text)
        self.conn = [self._phrase_len(k, g.spec.connectives) for k in range(len(tokens))]
        self.weak = [self._phrase_len(k, g.spec.weak_connectives) for k in range(len(tokens))]
        self.seg_memo: dict[tuple[int, int], tuple[list[Any], int] | None] = {}
        self.best_memo: dict[tuple[int, int], tuple[Cost, list[Any]] | None] = {}
        self.errors: dict[tuple[int, int], str] = {}
        self.refusals: dict[tuple[int, int], str] = {}  # destructive near-misses, by token span
        self.refused = False  # the plan is empty because of a refusal
        self.app_calls: dict[int, tuple[str, str]] = {}  # id(call) -> (app action, argument): app_actions.refocused

    def _phrase_len(self, k: int, phrases: tuple[tuple[str, ...], ...]) -> int:
        for p in phrases:  # longest first
            span = self.tokens[k:k + len(p)]
            if tuple(t.word for t in span) == p and not any(t.pause for t in span[:-1]):
                return len(p)
        return 0

    def _strip(self, i: int, b: int) -> tuple[int, int]:
        spec, changed = self.g.spec, True
        while changed and i < b:
            changed = False
            for p in spec.fillers_start:
                if i + len(p) <= b and tuple(t.word for t in self.tokens[i:i + len(p)]) == p:
                    i, changed = i + len(p), True
                    break
        changed = True
        while changed and i < b:
            changed = False
            for p in spec.fillers_end:
                if b - len(p) >= i and tuple(t.word for t in self.tokens[b - len(p):b]) == p and not (
                        b - len(p) > i and self.tokens[b - len(p) - 1].word == "dot"):  # "notion dot so" (set 55)
                    b, changed = b - len(p), True
                    break
        return i, b

    def _grid_said(self, b: int) -> bool:
        """Whether the words before tokens[b] ask for a grid ("mouse grid, then seven")."""
        return any(t.word == "grid" for t in self.tokens[:b])

    def glue_only(self, i: int, b: int) -> bool:
        """True when tokens[i:b] are whole fillers and connectives ("could you please", "and then"): words
        that are no command. Whole phrases, not their words: "that" (of "after that") alone is speech, and
        dictation after it ("that type of thing happens") is no command."""
        return i >= b or past(self.words[:b], i, self._glue) == b

    @cached_property
    def words(self) -> list[str]:
        return [t.word for t in self.tokens]

    @cached_property
    def _glue(self) -> tuple[tuple[str, ...], ...]:
        spec = self.g.spec
        return (*spec.fillers_start, *spec.fillers_end, *spec.connectives)

    @cached_property
    def glued(self) -> tuple[bool, ...]:
        """Per token, whether it is part of a whole filler or connective phrase ("as" of "as well" is, "as" of "save
        as" is not): the longest phrase at each place, left to right."""
        out, i = [], 0
        while i < len(self.words):
            n = starts_with(self.words, i, self._glue)
            out += [True] * n or [False]
            i += n or 1
        return tuple(out)

    def segment(self, i: int, b: int) -> tuple[list[Any], int] | None:
        """The best reading of tokens[i:b] as one command: (calls, near-misses), or None."""
        key = (i, b)
        if key not in self.seg_memo:
            self.seg_memo[key] = self._segment(i, b)
        return self.seg_memo[key]

    def _segment(self, i0: int, b0: int) -> tuple[list[Any], int] | None:
        i, b = self._strip(i0, b0)
        if i >= b:
            return None
        got = self._segment_from(i, i0, b, b0)
        # A filler said first or last may be a command's own word: "quick open" (VS Code's ctrl+p), not "quick, open";
        # "press o" (the key), not "press, o" (Nigerian English's "save it o"). Last, only after a lone word: with more
        # before it, a filler kept last is read into a slot ("paste it in here please": a window "here please")
        kept = ([(i0, b)] if i > i0 else []) + ([(i, b0)] if b < b0 and b - i == 1 else [])
        for start, end in kept:
            if got is not None or (i0, b0) in self.errors:  # a reading that says why it is none ("click a bit") stands
                break
            got = self._segment_from(start, i0, end, b0)
        return got

    def _segment_from(self, i: int, i0: int, b: int, b0: int) -> tuple[list[Any], int] | None:
        """The best reading of tokens[i:b] as one command, the fillers around it (tokens[i0:i], [b:b0]) left out."""
        toks = self.tokens[i:b]
        said = self.text[toks[0].start:toks[-1].end]
        if b < b0 and (why := self._error_whole(i, b0)) is not None:  # "wait for me": "for me" is no filler there
            self.errors[(i0, b0)] = why
            return None
        best: tuple[int, int, list[Any] | str] | None = None
        for rule in self.g.rules_for(toks[0]):
            if best is not None and best[0] == 0 and best[1] < rule.index:
                break  # an exact match of an earlier rule cannot be beaten
            for seq in rule.patterns:
                for values, fz in match(seq, toks, self.env):
                    if best is not None and (fz, rule.index) >= best[:2]:
                        continue
                    got = self._build(rule, values, fz, said, (i0, b0))
                    if got is not None:
                        best = (fz, rule.index, got)
        if best is not None and best[0] == 0 and not isinstance(best[2], str):
            self.refusals.pop((i0, b0), None)  # heard exactly as something else: no doubt to act on
        if best is None:
            return None
        if isinstance(best[2], str):  # an `error:` rule explains why this will not run
            self.errors[(i0, b0)] = best[2]
            return None
        if b < b0 and (why := self._amount_without_one(b, b0, best[2])) is not None:
            self.errors[(i0, b0)] = f'"{self.text[toks[0].start:self.tokens[b0 - 1].end]}": not a command: {why}'
            return None
        return best[2], best[0]

    def _build(self, rule: Rule, values: dict[str, Any], fz: int, said: str,
               where: tuple[int, int]) -> list[Any] | str | None:
        if rule.error is not None:
            known = ", ".join(self.g.macro_names) or "none defined"
            msg = rule.error.replace("$macros", f"known: {known}")
            for name, v in values.items():
                msg = msg.replace(f"${name}", str(v))
            return msg
        if rule.shown == "grid" and self.grid_shown is False and not self._grid_said(where[0]):
            # no grid on screen, and none asked for before it ("mouse grid, then seven" may narrow the grid it shows;
            # "find one." (slt's "hi mum", blind probe set 8) was ctrl+f and a narrowing)
            self.errors.setdefault(where, f'"{said}": not a command: a number alone narrows the grid, and none is shown')
            return None
        if rule.alone and not self._all_said(*where):
            return None  # "back" alone goes back; "i'm grabbing some coffee, back in five" is talk
        if rule.shown == "window" and not self.titles:
            return None  # "go to the maintenance log" names a window only among those open: not known, it is no command
        if isinstance(query := values.get("query"), str) and set(words_in(query)) <= _THANKS:
            # "okay google thanks" (slt's "okay cool, thanks", blind probe set 33) searched for "thanks"
            self.errors.setdefault(where, f'"{said}": not a command: a search for {query!r} alone is courtesy')
            return None
        calls = []
        for act in rule.do:
            args = {}
            for k, v in (act.get("args") or {}).items():
                slot = None
                if isinstance(v, str) and "$" in v and (joined := _joined(v, values)) is not None:
                    args[k] = joined  # "$engine$query": the search's address, then its words
                    continue
                if isinstance(v, str) and v.startswith("$"):
                    slot = self.g.spec.slots.get(v[1:])
                    v = values.get(v[1:], _MISSING)
                if v is _MISSING:
                    continue
                if slot is not None and (slot.kind == "label" or open_slot(act["tool"], k) == "name") and (
                        why := self._ungrounded(act["tool"], k, v)):
                    self.errors.setdefault(where, f'"{said}": not a command: {why}')
                    return None
                args[k] = str(v) if act["tool"] == "type_text" and isinstance(v, int) else v  # "go to line 42"
            built, app_action = with_app_keys(act, args, self.screen, self.g.spec.platform)  # "reply": ctrl+r
            call, problems = validate_action(built)
            if call is None:
                detail = "; ".join(p.split(".args.", 1)[-1] if ".args." in p else p.split(": ", 1)[-1]
                                   for p in problems)
                self.errors.setdefault(where, f'"{said}": {act["tool"]} {detail}')
                return None
            if why := off_screen(call, self.screen):
                self.errors.setdefault(where, f'"{said}": not a command: {why}')
                return None
            if fz and self.g.risk(call) >= Risk.HIGH:
                self.refusals[where] = (f'"{said}" sounds like {act["tool"]}'
                                        f'{" " + "+".join(args["keys"]) if "keys" in args else ""}, which is '
                                        "destructive: voxctl only does that when it hears the words exactly")
                return None
            if app_action is not None:
                self.app_calls[id(call)] = app_action  # done as the app focused by then does it (plan)
            calls.append(call)
        if rule.exact and fz:  # after the refusal of a destructive near-miss, which refuses every reading
            # "launch spotify" heard "launch." ran a macro "lunch" (slt, blind probe set 11)
            self.errors.setdefault(where, f'"{said}": not a command: said alone, a name runs only when heard as it is')
            return None
        return calls

    def _all_said(self, i: int, n: int) -> bool:
        """Whether tokens[i:n] are all that is said, but for fillers before and after them ("okay, back please")."""
        words = [t.word for t in self.tokens]
        return past(words[:i], 0, self.g.spec.fillers_start) == i and \
            past(words, n, self.g.spec.fillers_end) == len(words)

    def _ungrounded(self, tool: str, arg: str, value: Any) -> str | None:
        """Why an open slot's value names no app, window or target (grounded.py); None when it does."""
        return ungrounded(tool, arg, value, self.g.vocab.apps, self.titles, self.g.threshold)

    def best_from(self, i: int, n: int) -> Reading | None:
        """The cheapest reading of tokens[i:n] as a chain of commands."""
        key = (i, n)
        if key not in self.best_memo:
            self.best_memo[key] = self._best_from(i, n)
        return self.best_memo[key]

    def _best_from(self, i: int, n: int) -> Reading | None:
        if i >= n:
            return _ZERO, [], []
        if self.conn[i]:
            return self.best_from(i + self.conn[i], n)
        best: Reading | None = None
        for b in range(i + 1, n + 1):
            if b - 1 > i and self.conn[b - 1]:
                break  # a command never spans "and"/"then"
            seg = self.segment(i, b)
            if seg is None:
                continue
            calls, fz = seg
            merged = sum(t.pause for t in self.tokens[i:b - 1])
            here: Cost = (fz, 0, merged, 0, 1)
            nexts: list[tuple[int, Cost]] = []
            if b == n or self.conn[b]:
                nexts.append((b, _ZERO))
            else:
                if self.weak[b] and b + self.weak[b] < n:
                    nexts.append((b + self.weak[b], (0, 0, 0, 1, 0)))
                if self.tokens[b - 1].pause:
                    nexts.append((b, _ZERO))
                elif self._edit_pair(calls, b):
                    nexts.append((b, (0, 1, 0, 0, 0)))
                if self._purpose(i, b, n, calls) or self._aside(i, b, n) or self._once_more(b, n):
                    nexts.append((n, (0, 0, 0, 1, 0)))
            for nxt, sep in nexts:
                rest = self.best_from(nxt, n)
                if rest is not None:
                    cost = _add(here, sep, rest[0])
                    if best is None or cost < best[0]:
                        best = (cost, [*calls, *rest[1]], [(i, b, fz), *rest[2]])
                        if nxt == b < n and self._said_again_otherwise(calls, i, b, rest):  # "go back previous page"
                            best = (cost, [*calls, *rest[1][1:]], [(i, rest[2][0][1], fz), *rest[2][1:]])
        return best if best is not None else self._and_in_a_name(i, n)

    def _said_again_otherwise(self, calls: list[Any], i: int, b: int, rest: Reading) -> bool:
        """Whether the command after a split at tokens[b] with no "and" (unmarked, or a pause) is the one of tokens[i:b]
        said again in other words: "go back previous page lah", "go back a song, press previous track" (blind probe sets
        39, 41: Back was pressed twice). The same words twice ("undo undo", "scroll down, scroll down") are said twice."""
        if not calls or not rest[1] or not rest[2] or rest[2][0][0] != b:
            return False
        s, e, _ = rest[2][0]
        (a0, a1), (b0, b1) = self._strip(i, b), self._strip(s, e)
        return rest[1][0].model_dump() == calls[-1].model_dump() and self.words[a0:a1] != self.words[b0:b1]

    def doubtful(self, reading: Reading | None) -> bool:
        """True when part of the speech sounded like a destructive command heard inexactly and the reading
        does not take that part as one command heard exactly: doing some other reading of it ("control
        shift deleted" as ctrl+shift, then delete) would be guessing."""
        if not self.refusals:
            return False
        segments = reading[2] if reading is not None else []
        return any(not any(s <= i and b <= e and fz == 0 for s, e, fz in segments) for i, b in self.refusals)

    def plan(self, n: int) -> ActionPlan:
        best = self.best_from(0, n)
        if best is None and (lead := self._lead_in(n) or self._fillers_first(n)):
            best = self.best_from(lead, n)
        if self.doubtful(best):
            return ActionPlan(transcript=self.text, source=SOURCE, reason=self._reason(n, refusal=True))
        if best is None:
            best = self._two_apps(n)
        if best is not None and ROOM_WINDOW.search(self.text):
            self.refused = True  # nothing else reads it as a command either
            return ActionPlan(transcript=self.text, source=SOURCE,
                              reason="a window of the room (it says what the air is like): not an instruction")
        if best is not None:
            return ActionPlan(transcript=self.text, source=SOURCE, actions=self._once_more_first(best))
        return ActionPlan(transcript=self.text, source=SOURCE, reason=self._reason(n))

    def in_place(self, plan: ActionPlan) -> ActionPlan:
        """`plan` (read by this parser, dictation and all) with each app action done as the app it lands in does it
        (app_actions.refocused), or no plan, with the reason, where one is no command there."""
        if not plan.actions:
            return plan
        if not self.app_calls:
            return plan.model_copy(update={"actions": once_each_toggle(list(plan.actions))})
        calls, why = refocused(list(plan.actions), self.app_calls, self.screen, self.g.spec.platform)
        if why:
            self.refused = True  # the words name an app's action: no other reading guesses at them ("go forward
            # thirty seconds" away from the video was the model's 30-second wait)
            return ActionPlan(transcript=self.text, source=SOURCE, reason=f'"{self.text}": not a command: {why}')
        return plan.model_copy(update={"actions": once_each_toggle(calls)})

    def _two_apps(self, n: int) -> Reading | None:
        """Two apps the grammar knows after one verb ("open spotify and discord", "minimize discord and spotify": blind
        probe set 21): the first command, then the same with the second app. Only a name it knows after the last
        "and" ("open spotify and the door" is no command)."""
        ands = [k for k in range(1, n - 1) if self.tokens[k].word == "and"]
        if not ands:
            return None
        k = ands[-1]
        first = self.best_from(0, k)
        name = " ".join(t.word for t in self.tokens[k + 1:n])
        if first is None or len(first[1]) != 1 or first[0][0] or name not in self.g.vocab.apps:
            return None
        call = first[1][0]
        arg = {"open_app": "name", "minimize_window": "title", "maximize_window": "title"}.get(call.tool)
        if arg is None or not getattr(call.args, arg, None):
            return None
        second = call.model_copy(update={"args": call.args.model_copy(update={arg: name})})
        return first[0], [call, second], [*first[2], (k + 1, n, 0)]

    def _once_more_first(self, best: Reading) -> list[Any]:
        """The reading's actions, less a repeat said first before the command it asks for once more ("one more time,
        press enter": Enter once, not the last command and then Enter; blind probe set 20, slt)."""
        calls, segments = best[1], best[2]
        if len(calls) > 1 and segments and calls[0].tool == "repeat_last" and calls[1].tool != "repeat_last":
            s, e, _ = segments[0]
            if self._says_once_more(s, e):
                return calls[1:]
        return calls

    def _reason(self, n: int, refusal: bool = False) -> str:
        """Why nothing runs: the refusal or error where reading stopped, else what was not understood."""
        reach, stack = {0}, [0]
        while stack:
            i = stack.pop()
            nxt = [i + self.conn[i]] if i < n and self.conn[i] else []
            for b in range(i + 1, n + 1):
                if self.seg_memo.get((i, b)) is not None:
                    nxt += [b] + ([b + self.weak[b]] if b < n and self.weak[b] else [])
            for j in nxt:
                if j not in reach and j < n:
                    reach.add(j)
                    stack.append(j)
        r = max(reach)
        if refusal:
            self.refused = True
            return max((b - i, msg) for (i, b), msg in self.refusals.items())[1]
        # A refusal or a specific error on a command that starts where reading could start explains
        # more than "not understood" (the longest such command wins: it is what was meant).
        for table in (self.refusals, self.errors):
            at = [(b, -i, msg) for (i, b), msg in table.items() if i in reach and b > r]
            if at:
                self.refused = table is self.refusals
                return max(at)[2]
        rest = self.text[self.tokens[r].start:].strip()
        done = self.text[:self.tokens[r].start].strip().rstrip(",.;:-–— ")
        if not done or all(t.word in self.g.glue for t in self.tokens[:r]):  # none, or inside a rewritten phrase ("bin that")
            return f'not a command I know: "{self.text.strip()}"'
        return f'understood "{done}" but not "{rest}"'
