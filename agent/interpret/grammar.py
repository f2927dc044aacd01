"""The `grammar` backend: a transcript into an ActionPlan by the command grammar (grammar.yaml), in ms.

How a transcript is read:
1. `normalize.tokenize`: words, the recogniser's spellings ("Ctrl-S", "3 times"), numbers as values.
2. Text after a type trigger ("type", "dictate") runs to the end and is typed as spoken.
3. The rest is split into commands, best split first: at "and"/"then" always; at the recogniser's
   punctuation when both sides are commands; at a weak connective ("in", heard for "and") or between
   two words only when nothing better parses. Each command must match a rule; all or nothing.
4. A rule's `do:` becomes validated tool calls. A destructive result (high risk) from a match that
   used any near-miss word is refused: it must be heard exactly.
The plan's `source` is "grammar", for audio and typed text alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from agent.interpret.fuzzy import is_near
from agent.interpret.normalize import Token, tokenize
from agent.interpret.patterns import match, words_of
from agent.interpret.rules import GrammarSpec, Rule, load_grammar
from agent.interpret.slots import SlotMatcher, Vocabulary
from agent.utterance import Context, Utterance
from tools.base import Risk
from tools.keys import KEY_NAMES
from tools.registry import ActionPlan, risk_of, validate_action

SOURCE = "grammar"
_MISSING = object()
Cost = tuple[int, int, int, int, int]  # near-misses, unmarked splits, merged pauses, weak splits, commands
_ZERO: Cost = (0, 0, 0, 0, 0)


@dataclass(frozen=True)
class Parse:
    """The plan and how it came about."""

    plan: ActionPlan
    refused: bool = False  # a destructive action heard only approximately was refused
    ms: float = 0.0


def _add(*costs: Cost) -> Cost:
    return tuple(map(sum, zip(*costs, strict=True)))  # type: ignore[return-value]


def clean_typed(raw: str) -> str:
    """Text after "type": as spoken, minus the separator after the trigger and a recogniser's final period."""
    text = raw.strip().lstrip(":,;-–— ").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


class GrammarInterpreter:
    """`interpret(utterance)` and `parse(text)`; audio is transcribed with the bundled Whisper."""

    def __init__(self, config: Any = None, macros: dict[str, Any] | None = None, transcriber: Any = None,
                 grammar_path: str | None = None):
        from agent.config import Config, InterpreterConfig

        full = config if isinstance(config, Config) else None
        icfg = full.interpreter if full else (config if isinstance(config, InterpreterConfig) else
                                              InterpreterConfig())
        self.asr_config = full.asr if full else None
        self.threshold = icfg.fuzzy_threshold
        self.macros = dict(macros or {})
        self.macro_table = {name: list(m.actions) for name, m in self.macros.items()}
        self.risk_overrides = dict(full.policy.tool_risk) if full else {}
        self.spec: GrammarSpec = load_grammar(grammar_path)
        apps = list(full.desktop.app_aliases) if full else []
        self.vocab = Vocabulary(self.spec, self.threshold, self.macros, apps)
        self._transcriber = transcriber
        self._by_first: dict[str, list[Rule]] = {}
        self._any_start: list[Rule] = []
        for rule in self.spec.rules:
            if rule.first is None:
                self._any_start.append(rule)
            for w in rule.first or ():
                self._by_first.setdefault(w, []).append(rule)
        self._near_first: dict[str, list[Rule]] = {}
        self._glue = {w for p in (*self.spec.fillers_start, *self.spec.fillers_end, *self.spec.connectives)
                      for w in p}

    # --- the Interpreter interface ------------------------------------------------------------
    def interpret(self, utterance: Utterance) -> ActionPlan:
        text = utterance.text if utterance.text is not None else utterance.transcript
        if text is None and utterance.audio is not None:
            text = self.transcribe(utterance.audio)
        if text is None:
            return ActionPlan(source=SOURCE, reason="nothing to interpret: no audio and no text")
        return self.parse(text, utterance.context)

    @property
    def transcriber(self) -> Any:
        if self._transcriber is None:  # loaded on first audio, so text commands never load Whisper
            from agent.listen.asr import Transcriber

            self._transcriber = Transcriber(self.asr_config)
        return self._transcriber

    def transcribe(self, audio: Any) -> str:
        return self.transcriber.transcribe(audio).text

    def parse(self, text: str, context: Context | None = None) -> ActionPlan:
        return self.analyse(text, context).plan

    def command_vocabulary(self) -> list[str]:
        """Phrases the grammar listens for, most useful as a recogniser hint first: the user's macros
        and apps, command words, editing commands, then key names."""
        return _vocabulary(self.spec, [*self.vocab.macro_phrases, *self.vocab.apps])

    # --- parsing ------------------------------------------------------------------------------
    def analyse(self, text: str, context: Context | None = None) -> Parse:
        t0 = time.perf_counter()
        tokens = tokenize(text, self.spec.rewrites, self.spec.misheard)
        run = _Run(self, text, tokens)
        if not tokens:
            plan = ActionPlan(transcript=text, source=SOURCE, reason="heard nothing")
        else:
            plan = self._with_typing(run) or run.plan(len(tokens))
        return Parse(plan, bool(run.refusals) and not plan.actions, (time.perf_counter() - t0) * 1000)

    def _with_typing(self, run: _Run) -> ActionPlan | None:
        """Commands, then text after the first type trigger whose preceding commands all parse."""
        for p, tok in enumerate(run.tokens):
            if tok.word not in self.spec.type_triggers or tok.fuzzy:
                continue
            typed = clean_typed(run.text[tok.end:])
            if not typed:
                continue
            before: list[Any] = []
            if any(t.word not in self._glue for t in run.tokens[:p]):
                best = run.best_from(0, p)
                if best is None or run.refusals:
                    continue
                before = best[1]
            call, problems = validate_action({"tool": "type_text", "args": {"text": typed}})
            if call is None:
                return ActionPlan(transcript=run.text, source=SOURCE, reason="; ".join(problems))
            return ActionPlan(transcript=run.text, source=SOURCE, actions=[*before, call])
        return None

    def rules_for(self, first: Token) -> list[Rule]:
        """Rules that can start with this word (exactly or as a near-miss), in grammar order."""
        w = first.word
        if w not in self._near_first:
            near = [r for v, rules in self._by_first.items() if is_near(v, w, self.threshold) for r in rules]
            self._near_first[w] = near
        found = {r.index: r for r in (*self._by_first.get(w, ()), *self._near_first[w], *self._any_start)}
        return [found[k] for k in sorted(found)]

    def risk(self, call: Any) -> Risk:
        risk = risk_of(call, self.macro_table)
        if (override := self.risk_overrides.get(call.tool)) is not None:
            risk = max(risk, Risk.parse(override))
        return risk


# Words too common to help a recogniser; they stay in the grammar, not in the hint.
_STOP = frozenset("a an the to at on by for my me it that this of up down left right here".split())


def _vocabulary(spec: GrammarSpec, first: list[str]) -> list[str]:
    words: list[str] = [*first, *sorted(spec.type_triggers)]
    for rule in spec.rules:
        for seq in rule.patterns:
            words += sorted(words_of(seq) - _STOP)
    for slot in spec.slots.values():
        words += [" ".join(p) for p in slot.choices if " ".join(p) not in _STOP]
    named = {k for k in KEY_NAMES if len(k) > 1} | {"control", "page up", "page down", "back space"}
    words += sorted(named)
    return [w for w in dict.fromkeys(words) if w]


def command_vocabulary() -> list[str]:
    """The bundled grammar's phrases (no macros), for the recogniser's vocabulary hint."""
    spec = load_grammar()
    return _vocabulary(spec, []) + [a for a in spec.apps]


class _Run:
    """One transcript being parsed: memoised segment parses and the best split into commands."""

    def __init__(self, g: GrammarInterpreter, text: str, tokens: list[Token]):
        self.g, self.text, self.tokens = g, text, tokens
        self.env = SlotMatcher(g.vocab, text)
        self.conn = [self._phrase_len(k, g.spec.connectives) for k in range(len(tokens))]
        self.weak = [self._phrase_len(k, g.spec.weak_connectives) for k in range(len(tokens))]
        self.seg_memo: dict[tuple[int, int], tuple[list[Any], int] | None] = {}
        self.best_memo: dict[tuple[int, int], tuple[Cost, list[Any]] | None] = {}
        self.errors: dict[tuple[int, int], str] = {}
        self.refusals: dict[tuple[int, int], str] = {}

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
                if b - len(p) >= i and tuple(t.word for t in self.tokens[b - len(p):b]) == p:
                    b, changed = b - len(p), True
                    break
        return i, b

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
        toks = self.tokens[i:b]
        said = self.text[toks[0].start:toks[-1].end]
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
        return best[2], best[0]

    def _build(self, rule: Rule, values: dict[str, Any], fz: int, said: str,
               where: tuple[int, int]) -> list[Any] | str | None:
        if rule.error is not None:
            known = ", ".join(sorted(self.g.macros)) or "none defined"
            msg = rule.error.replace("$macros", f"known: {known}")
            for name, v in values.items():
                msg = msg.replace(f"${name}", str(v))
            return msg
        calls = []
        for act in rule.do:
            args = {}
            for k, v in (act.get("args") or {}).items():
                if isinstance(v, str) and v.startswith("$"):
                    v = values.get(v[1:], _MISSING)
                if v is not _MISSING:
                    args[k] = v
            call, problems = validate_action({"tool": act["tool"], "args": args})
            if call is None:
                detail = "; ".join(p.split(".args.", 1)[-1] if ".args." in p else p.split(": ", 1)[-1]
                                   for p in problems)
                self.errors.setdefault(where, f'"{said}": {act["tool"]} {detail}')
                return None
            if fz and self.g.risk(call) >= Risk.HIGH:
                self.refusals[where] = (f'"{said}" sounds like {act["tool"]}'
                                        f'{" " + "+".join(args["keys"]) if "keys" in args else ""}, which is '
                                        "destructive: voxctl only does that when it hears the words exactly")
                return None
            calls.append(call)
        return calls

    def best_from(self, i: int, n: int) -> tuple[Cost, list[Any]] | None:
        """The cheapest reading of tokens[i:n] as a chain of commands."""
        key = (i, n)
        if key not in self.best_memo:
            self.best_memo[key] = self._best_from(i, n)
        return self.best_memo[key]

    def _best_from(self, i: int, n: int) -> tuple[Cost, list[Any]] | None:
        if i >= n:
            return _ZERO, []
        if self.conn[i]:
            return self.best_from(i + self.conn[i], n)
        best: tuple[Cost, list[Any]] | None = None
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
                nexts.append((b, (0, 0 if self.tokens[b - 1].pause else 1, 0, 0, 0)))
            for nxt, sep in nexts:
                rest = self.best_from(nxt, n)
                if rest is not None:
                    cost = _add(here, sep, rest[0])
                    if best is None or cost < best[0]:
                        best = (cost, [*calls, *rest[1]])
        return best

    def plan(self, n: int) -> ActionPlan:
        best = self.best_from(0, n)
        if self.refusals:
            # Part of this sounded like a destructive command heard inexactly: doing some other reading
            # of it ("control shift deleted" as ctrl+shift, then delete) would be guessing. Do nothing.
            return ActionPlan(transcript=self.text, source=SOURCE, reason=self._reason(n, refusal=True))
        if best is not None:
            return ActionPlan(transcript=self.text, source=SOURCE, actions=best[1])
        return ActionPlan(transcript=self.text, source=SOURCE, reason=self._reason(n))

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
            return max((b - i, msg) for (i, b), msg in self.refusals.items())[1]
        # A refusal or a specific error on a command that starts where reading could start explains
        # more than "not understood" (the longest such command wins: it is what was meant).
        for table in (self.refusals, self.errors):
            at = [(b, -i, msg) for (i, b), msg in table.items() if i in reach and b > r]
            if at:
                return max(at)[2]
        rest = self.text[self.tokens[r].start:].strip()
        if all(t.word in self.g._glue for t in self.tokens[:r]):
            return f'not a command I know: "{self.text.strip()}"'
        done = self.text[:self.tokens[r].start].strip().rstrip(",.;:-–— ")
        return f'understood "{done}" but not "{rest}"'
