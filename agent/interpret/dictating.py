"""Where dictation is in an utterance, where it ends, and the actions it becomes.

Dictation starts at a type trigger ("type", "dictate"), at "spell", or at a formatter said first ("snake
hello world"), once the commands before it (if any) read as commands (a weak connective may join them to
it: "open the terminal end type make test", `_before`). It runs to the end of the utterance,
except where what follows a connective is a whole command chain heard exactly ("type git status then
press enter": the text, then Enter; "type salt and pepper" stays one text). After "and" (without a pause
before it), or after a pause alone (the recogniser's comma or full stop), the next command must also start
with a command word ("press", "scroll", "open", ...; not a bare shortcut: "type copy and paste" is
text), be more than one word, and name no free click target, app or window ("type point and click",
"type wait and open sesame" are text); after "then", "and then", "after that" any command chain ends it. What follows may end
in another dictation ("type a then press tab and type b").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from voxctl.agent.interpret.chain import SOURCE, ChainParser, Reading
from voxctl.agent.interpret.dictation import DictationError, DictationSpec, marks_said
from voxctl.agent.interpret.dictation_mode import DictationMode
from voxctl.agent.interpret.dictation_render import (
    Piece,
    core,
    formatter_at,
    past,
    render,
    spell,
    starts_with,
)
from voxctl.agent.interpret.patterns import first_words
from voxctl.agent.interpret.rules import GrammarSpec
from voxctl.tools.registry import ActionPlan, validate_action

_TRAIL = " \t.,;:…"  # a pause mark where the dictation ends before a command
# A formatter said first ("snake user name") formats a name: more words than this are a sentence that begins with a
# formatter's word ("hammer wins the next game ..." was PascalCase; with "type" first it still formats)
MAX_NAME_WORDS = 6
# "run <program> ...": a command line this long at most (more words are a sentence that begins with one:
# "run pytest with dash k so it only runs that one", said to a colleague, blind probe set 16)
MAX_RUN_WORDS = 7
# A formatter's word followed by one of these is a verb of a sentence, not a name to format ("smash that button")
_DETERMINERS = frozenset("the that this these those a an my your his her its our their some".split())
_PROSE_FORMATS = frozenset({"title", "upper", "lower", "string"})  # these may format "the great gatsby"

# A particle said after "type" is text where the words after it make it begin a phrase of what is typed: "type in
# this chapter we describe the setup" (blind probe set 27 typed "this chapter ..."), "type out of office until monday"
_PARTICLE_OPENS = {"in": frozenset("this these those which order case fact general particular addition summary short "
                                   "contrast conclusion practice theory other any some most many recent each every both "
                                   "our their his her its".split()),
                   "out": frozenset({"of"})}


def command_verbs(spec: GrammarSpec) -> frozenset[str]:
    """Words a rule begins with before any slot ("press", "scroll"; not "copy", a shortcut's own word), and the
    first words of an app's own actions said in more than one word ("type thanks and send it": blind probe set 22)."""
    out: set[str] = set()
    for rule in spec.rules:
        for seq in rule.patterns:
            out |= first_words(seq, lambda name: set()) or set()
    key_words = {k[0] for k in spec.keys}  # "full" of "full stop" begins a key's name, and "the" no verb
    return frozenset(out | {p[0] for forms in spec.app_actions.values() for p in forms
                            if len(p) > 1 and p[0] not in key_words and p[0] not in _DETERMINERS})


def talk_at(words: list[str], i: int, phrases: tuple[tuple[str, ...], ...], marks: bool = False) -> bool:
    """Whether one of `phrases` (the grammar's `not_dictation`; "*" stands for any one word: "write * down") is said
    at words[i:]. `marks`: the utterance says dictation's marks by name (dictation.marks_said), so a phrase with "*"
    is no talk: the word it stands for is the dictation's own ("write pr's up comma could somebody ...", blind probe
    set 37), while "type your name, full stop, then ..." is still a teacher's instruction (set 24)."""
    return any(len(words) - i >= len(p) and not (marks and "*" in p)
               and all(w == "*" or w == x for w, x in zip(p, words[i:], strict=False)) for p in phrases)


class Dictating:
    """Reads the dictation of one utterance at a time (`read`), in the dictation mode it is given."""

    def __init__(self, grammar: GrammarSpec, spec: DictationSpec, clean: Any):
        self.grammar, self.spec, self.clean = grammar, spec, clean
        self.verbs = command_verbs(grammar) | grammar.type_triggers | {p[0] for p in spec.spell}
        self._memo: tuple[Any, dict[int, tuple[int, list[Any]]]] = (None, {})  # splits of the last utterance

    def _cleaned(self, raw: str) -> str:
        """Text to type as `clean` leaves it, and one mark asked for by its name with an article ("type a colon",
        "type a full stop": blind probe set 21 typed "a:") as the mark alone: a phrase of the punctuation table."""
        text = self.clean(raw)
        words = text.casefold().split()
        if len(words) > 1 and words[0] in ("a", "an") and tuple(words[1:]) in self.spec.punctuation:
            return " ".join(words[1:])
        return text

    # --- the entry point ---------------------------------------------------------------------------
    def read(self, run: ChainParser, mode: DictationMode) -> tuple[ActionPlan | None, DictationMode]:
        """The plan when the utterance holds dictation (or switches mode), None: read it as commands; and
        the mode after this utterance, should it be the one chosen (nothing here changes `mode`)."""
        said = self._said(run)
        if starts_with(said, 0, self.spec.mode_on) == len(said) > 0:
            return self._switch(run, True)
        if mode.on:
            return self._in_mode(run, said, mode)
        if said and talk_at(said, 0, self.grammar.not_dictation, marks_said(run.text)):
            run.refused = True  # final: no model reads "write down the number before you forget" as dictation
            return self._plan(run, f'"{" ".join(said)}": not a command: said to a person, or for later, not text '
                                 'to type now'), mode
        if set(said) & set(self.grammar.cautious_triggers) and self._exact(run, run.best_from(0, len(run.tokens)), 0):
            # "write a new email": an app's action said whole, read as commands (blind probe set 31), first or after
            # others ("switch to thunderbird and write a new email": blind probe set 62)
            return None, mode
        for p in range(len(run.tokens)):
            got = self._from_trigger(run, p, top=True)
            if got is not None:
                return self._plan(run, got), mode
        return None, mode

    def _said(self, run: ChainParser) -> list[str]:
        """The utterance's words without fillers ("okay", "please")."""
        words = [t.word for t in run.tokens]
        i, b = past(words, 0, self.grammar.fillers_start), len(words)
        while b > i and (n := max((len(p) for p in self.grammar.fillers_end if tuple(words[b - len(p):b]) == p),
                                  default=0)):
            b -= n
        return words[i:b]

    def _in_mode(self, run: ChainParser, said: list[str],
                 mode: DictationMode) -> tuple[ActionPlan | None, DictationMode]:
        if starts_with(said, 0, self.spec.mode_off) == len(said) > 0:
            return self._switch(run, False)
        if starts_with(said, 0, self.spec.escapes) and self._exact(run, run.best_from(0, len(run.tokens)), 0):
            return None, replace(mode, typed=False)  # a command: the grammar reads it
        if (same := mode.again(run.text)) is not None:
            return same, mode
        pieces = render(self._cleaned(run.text), self.spec)
        if pieces and pieces[0][0] == "text":
            pieces[0] = ("text", mode.lead(pieces[0][1]) + pieces[0][1], 1)
        typed = pieces[-1][0] == "text" if pieces else mode.typed
        plan = self._plan(run, self._calls(pieces) if pieces else "nothing to type")
        return plan, mode.remember(run.text, plan, typed)

    def _switch(self, run: ChainParser, on: bool) -> tuple[ActionPlan, DictationMode]:
        # A plan without actions that is final: no second look at the audio for a command, no LLM guess
        # (which would read other hypotheses in the new mode); `refused` is how the grammar says so.
        run.refused = True
        mode, said = DictationMode().switched(on)
        return ActionPlan(transcript=run.text, source=SOURCE, reason=said), mode

    def _plan(self, run: ChainParser, got: list[Any] | str) -> ActionPlan:
        if isinstance(got, str):
            return ActionPlan(transcript=run.text, source=SOURCE, reason=got)
        return ActionPlan(transcript=run.text, source=SOURCE, actions=got)

    # --- finding the dictation ---------------------------------------------------------------------
    def _trigger(self, run: ChainParser, p: int) -> tuple[str, int, str | None] | None:
        """(kind, words the trigger takes, format) for a trigger at token p: type | spell | format."""
        tok, words = run.tokens[p], [t.word for t in run.tokens]
        if tok.fuzzy:
            return None
        if tok.word in self.grammar.type_triggers:
            if talk_at(words, p, self.grammar.not_dictation, marks_said(run.text)):
                return None  # "(I'll) type it up tomorrow", "write that down" wherever it is said: talk
            if tok.word in self.grammar.cautious_triggers and p and run.glue_only(0, p) and not self._leads(words[:p]):
                return None  # "could you write me a reference": maybe said to a person
            # "type in hello", "write for me hello"; alone it is the text, and "type out. I ..." is "out"
            k = starts_with(words, p + 1, self.grammar.type_particles)
            if k and p + 1 + k < len(words) and words[p + 1 + k] in _PARTICLE_OPENS.get(words[p + k], ()):
                k = 0  # "type in this chapter we describe ...": "in" begins the sentence typed
            t = 1 + k if k and p + 1 + k < len(words) and not any(x.pause for x in run.tokens[p + 1:p + 1 + k]) else 1
            n, fmt = formatter_at(self.spec, words, p + t)
            return ("type", t + n, fmt) if n and p + t + n < len(words) else ("type", t, None)
        if tok.word in self.grammar.shell_triggers and p + 1 < len(words) and words[p + 1] in self.grammar.shell_programs:
            return "run", 1, None  # the program is the command line's first word
        if n := starts_with(words, p, self.spec.spell):
            return "spell", n, None
        n, fmt = formatter_at(self.spec, words, p)
        return ("format", n, fmt) if n else None

    def _leads(self, words: list[str]) -> bool:
        """Whether `words` are whole cautious lead words ("okay", "please"): a cautious trigger may follow."""
        return past(words, 0, self.grammar.cautious_leads) == len(words)

    def _from_trigger(self, run: ChainParser, p: int, top: bool, k0: int = 0) -> list[Any] | str | None:
        """Commands in tokens[k0:p] then the dictation at p (to its end): the calls, a reason, or None."""
        trig = self._trigger(run, p)
        n = len(run.tokens)
        if trig is None or p + trig[1] >= n:
            return None
        kind, used, fmt = trig
        if kind == "run" and " ".join(t.word for t in run.tokens[p + 1:]) in {m.casefold() for m in run.g.macro_names}:
            return None  # the user's macro of that name ("run make")
        rest = tuple(t.word for t in run.tokens[p + used:])
        if rest in self.grammar.connectives or (run.tokens[p].word in self.grammar.cautious_triggers and rest in (
                *self.grammar.weak_connectives, *self.grammar.type_particles)):
            # "write then." (en-us+f2's "right then"), "write in." (slt's): a connective is no text to type, and after
            # "write" (said to people too) neither is a particle alone ("type in" still types "in")
            return None
        before: list[Any] = []
        if not run.glue_only(k0, p):  # what comes before the trigger must be commands (or fillers)
            best = self._before(run, k0, p)
            if best is None or (run.doubtful(best) if top else not self._exact(run, best, k0)):
                return None
            before = best[1]
        if kind == "format" and top and self._exact(run, run.best_from(0, n), 0):
            return None  # the whole utterance is a command ("title" may be a macro's name)
        if kind == "format" and fmt not in _PROSE_FORMATS and run.tokens[p + used].word in _DETERMINERS:
            return None  # a verb, no name: "smash that attack button" was typed "thatattackbutton" (blind probe set 21)
        s = p + used
        end, after = self._split(run, s)
        if top and end < n and run.tokens[p].word in self.grammar.cautious_triggers and run.glue_only(k0, p) and \
                self._exact(run, run.best_from(0, end), 0):
            return None  # "write a new email and type ...": an app's action said whole, then more (blind probe set 56)
        if end < n:
            raw = run.text[run.tokens[s - 1].end:run.tokens[end].start].rstrip(_TRAIL)
        else:
            raw = run.text[run.tokens[s - 1].end:]
        raw = self._cleaned(raw)
        if kind == "format" and len(raw.split()) > MAX_NAME_WORDS:
            return None  # a sentence, no name: "hammer wins the next game gets to pick the move." (en-us+f2's talk)
        if kind == "run" and len(raw.split()) > MAX_RUN_WORDS:
            return None
        if kind == "spell":
            try:
                pieces: list[Piece] = [("text", spell(raw, self.spec), 1)]
            except DictationError as e:
                return str(e)
        else:
            pieces = (self._spelled_after(raw) or self._formatted_after(raw) or render(raw, self.spec, fmt)) \
                if kind == "type" and fmt is None else render(raw, self.spec, fmt)
        if not pieces:
            return None
        if kind == "run":
            pieces = [*pieces, ("keys", ("enter",), 1)]  # typed, then entered
        calls = self._calls(pieces)
        return calls if isinstance(calls, str) else [*before, *calls, *after]

    def _spelled_after(self, raw: str) -> list[Piece] | None:
        """"type spell victor oscar golf" (blind probe set 34): the letters spelled, where every word after "spell" is
        one ("type spell check is on" types its words)."""
        words = raw.split()
        n = starts_with([core(w) for w in words], 0, self.spec.spell)
        if not n or len(words) <= n:
            return None
        try:
            return [("text", spell(" ".join(words[n:]), self.spec), 1)]
        except DictationError:
            return None

    def _formatted_after(self, raw: str) -> list[Piece] | None:
        """Words typed, then a code formatter and the name it formats, to the end: "type select snake customer id" ->
        "select customer_id", "type git switch kebab fix null dates" -> "git switch fix-null-dates" (blind probe set
        34). Not after a determiner ("i saw a camel at the zoo"), not a prose format ("title"), and only for a name of
        at most MAX_NAME_WORDS words that the format changes ("we watched snake eyes" is typed as said)."""
        words = raw.split()
        cores = [core(w) for w in words]
        for i in range(1, len(words)):
            n, fmt = formatter_at(self.spec, cores, i)
            rest = len(words) - i - n
            if not n or fmt in _PROSE_FORMATS or cores[i - 1] in _DETERMINERS or not 0 < rest <= MAX_NAME_WORDS:
                continue
            head, name = render(" ".join(words[:i]), self.spec), render(" ".join(words[i + n:]), self.spec, fmt)
            if name == render(" ".join(words[i + n:]), self.spec):
                continue  # it formats nothing: a word of the sentence ("we watched snake eyes")
            if head and name and head[-1][0] == "text" and name[0][0] == "text":
                return [*head[:-1], ("text", f"{head[-1][1]} {name[0][1]}", 1), *name[1:]]
            return None
        return None

    @staticmethod
    def _before(run: ChainParser, k0: int, p: int) -> Reading | None:
        """The commands in tokens[k0:p], before dictation at p. A weak connective just before the trigger
        may join them to it, as it joins two commands (chain.py), at the same cost: "open the terminal end
        type make test" is "open the terminal and type ...", while "press end type x" keeps the End key
        (nothing before "end" is a command) and so does "... terminal. end type x" (a pause is a split)."""
        best = run.best_from(k0, p)
        for q in range(k0 + 1, p):
            if run.weak[q] == p - q:
                joined = run.best_from(k0, q)
                if joined is not None and joined[2]:
                    (fz, unmarked, merged, weak, commands), calls, covered = joined
                    cost = (fz, unmarked, merged, weak + 1, commands)
                    if best is None or cost < best[0]:
                        best = (cost, calls, covered)
        return best

    def _split(self, run: ChainParser, s: int) -> tuple[int, list[Any]]:
        """Where the dictation starting at token s ends, and the commands after it ([] : at the end)."""
        memo = self._memo if self._memo[0] is run else (run, {})
        self._memo = memo
        if s not in memo[1]:
            memo[1][s] = self._split_at(run, s)
        return memo[1][s]

    def _split_at(self, run: ChainParser, s: int) -> tuple[int, list[Any]]:
        n, toks = len(run.tokens), run.tokens
        for k in range(s + 1, n):
            c, paused = run.conn[k], toks[k - 1].pause
            if not c and not paused:
                continue
            rest = k + c
            first = next((t for t, g in zip(toks[rest:], run.glued[rest:], strict=True) if not g), None)
            if first is None:
                continue
            strong = c > 0 and tuple(t.word for t in toks[k:k + c]) != ("and",)
            if paused and not c and (form := self._form_key(run, rest)) is not None:
                return k, form  # "type gst payable, tab, two thousand, enter": a key between pauses, then more text
            if (c or paused) and tuple(t.word for t in toks[rest:]) in self.grammar.keys_after_text:
                after = self._tail(run, rest)  # "type exit, enter": the last word a key, after a pause
                if after is not None:
                    return k, after
                continue  # no key after all: read no further here (the tail below is the same)
            if not strong and not (c and paused) and first.word not in self.verbs:
                continue  # "type copy and paste": a bare shortcut after "and" is more likely words
            after = self._tail(run, rest)
            if after is None or (not strong and not (c and paused) and self._guessy(run, rest, after)):
                continue
            return k, after
        return n, []

    def _form_key(self, run: ChainParser, k: int) -> list[Any] | None:
        """A key of `keys_after_text` set off by pauses at token k, with more to type after it, as a person fills in a
        form or a sheet's row ("type march, tab, salary, tab, eighty five thousand", blind probe set 20): the key,
        then the rest typed as dictation (and its own keys); else None."""
        toks, n = run.tokens, len(run.tokens)
        for m in (1, 2):
            if k + m >= n or not toks[k + m - 1].pause or tuple(t.word for t in toks[k:k + m]) not in self.grammar.keys_after_text:
                continue
            key = run.best_from(k, k + m)
            if key is None or not self._exact(run, key, k) or len(key[1]) != 1:
                return None
            end, after = self._split(run, k + m)
            stop = toks[end].start if end < n else len(run.text)
            pieces = render(self._cleaned(run.text[toks[k + m - 1].end:stop].rstrip(_TRAIL)), self.spec, None)
            calls = self._calls(pieces) if pieces else None
            if not calls or isinstance(calls, str):
                return None
            return [*key[1], *calls, *after]
        return None

    @staticmethod
    def _guessy(run: ChainParser, rest: int, calls: list[Any]) -> bool:
        """A command after a plain "and" that could as well be words: one word alone ("type point and click"),
        or free words read as a click target, an app or a window nobody named ("type wait and open sesame")."""
        if sum(not g for g in run.glued[rest:]) < 2:
            return True
        apps = run.g.vocab.apps
        for c in calls:
            a = c.args
            if (c.tool == "click" and getattr(a, "target", None)) or (
                    c.tool in ("open_app", "focus_window")
                    and str(getattr(a, "name", None) or getattr(a, "title", "")).lower() not in apps):
                return True
        return False

    def _tail(self, run: ChainParser, k: int) -> list[Any] | None:
        """tokens[k:] as an exact command chain, maybe ending in another dictation; else None."""
        n = len(run.tokens)
        best = run.best_from(k, n)
        if self._exact(run, best, k):
            return best[1]  # type: ignore[index]
        for q in range(k, n):
            got = self._from_trigger(run, q, top=False, k0=k)
            if got is not None:
                return got if not isinstance(got, str) else None
        return None

    @staticmethod
    def _exact(run: ChainParser, reading: Reading | None, k: int) -> bool:
        """Every word heard exactly, and no destructive near-miss from token k on left unexplained."""
        if reading is None or reading[0][0] != 0:
            return False
        covered = reading[2]
        return not any(i >= k and not any(s <= i and b <= e and fz == 0 for s, e, fz in covered)
                       for i, b in run.refusals)

    # --- the actions ---------------------------------------------------------------------------------
    @staticmethod
    def _calls(pieces: list[Piece]) -> list[Any] | str:
        calls = []
        for kind, value, times in pieces:
            if kind == "text":
                action = {"tool": "type_text", "args": {"text": value}}
            else:
                action = {"tool": "press_keys", "args": {"keys": list(value), **({"repeat": times} if times > 1 else {})}}
            call, problems = validate_action(action)
            if call is None:
                return "; ".join(problems)
            calls.append(call)
        return calls
