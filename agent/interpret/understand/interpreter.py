"""The `understand` backend: a sentence -> intent probabilities -> the intent's template filled from the
sentence -> a validated plan, or no plan and a reason.

It answers "not a command" as readily as anything else, and it never acts beyond its confidence: the
probability of a plan (summed over the intents that give that same plan: "press enter" and "new line"
are one plan) must reach the threshold calibrated when it was trained, or nothing runs and the reason
says what it guessed ("did you mean: next tab (ctrl+tab)? say it again"). A sentence it cannot read as
one command is tried as two, split at "and" / "then" ("highlight all the text and copy it"), each
part held to the same threshold. Plans carry `source: understand`; policy and confirmation are the
graph's, as for every plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from voxctl.agent.interpret.normalize import Token, tokenize
from voxctl.agent.interpret.rules import GrammarSpec, load_grammar
from voxctl.agent.interpret.understand import fill
from voxctl.agent.interpret.understand.data_fill import plan_of
from voxctl.agent.interpret.understand.encoder import NAME as ENCODER_NAME
from voxctl.agent.interpret.understand.encoder import Encoder, shared_encoder
from voxctl.agent.interpret.understand.intents import (
    NONE,
    ON_ACTIVE_WINDOW,
    Intent,
    builtin_intents,
    user_intent,
)
from voxctl.agent.interpret.understand.model import HEARD, Head, features
from voxctl.agent.interpret.understand.siblings import words
from voxctl.agent.interpret.understand.spoken import combine, speech_min
from voxctl.agent.utterance import Utterance
from voxctl.tools.macros import find_macro
from voxctl.tools.registry import ActionPlan, validate_action

SOURCE = "understand"
TOP_K = 6
_SPLITS = (("and", "then"), ("and",), ("then",), ("and", "after", "that"), ("after", "that"))


def shipped_model() -> Path:
    """The model trained in this repository and shipped with voxctl."""
    return Path(str(resources.files("voxctl.agent.interpret.understand").joinpath("model")))


@dataclass(frozen=True)
class Reading:
    """What the model made of a sentence."""

    actions: list[Any]  # validated tool calls; empty when nothing should run
    confidence: float
    intent: str  # the best guess ("edit:next_tab", "not_a_command", "a+b" for a split)
    guess: str  # the guess in words, for "did you mean"
    ms: float = 0.0


class Understander:
    """The loaded model: `read(text) -> Reading`."""

    def __init__(self, folder: str | Path | None = None, spec: GrammarSpec | None = None,
                 macros: dict[str, Any] | None = None, encoder: Encoder | None = None, platform: str | None = None):
        self.folder = Path(folder) if folder else shipped_model()
        self.head = Head.load(self.folder)
        self.spec = spec if spec is not None else load_grammar(platform=platform)
        self._encoder = encoder
        self.macros = dict(macros or {})
        self.intents: dict[str, Intent] = builtin_intents(platform or self.spec.platform)
        for name, actions in self.head.meta.get("user_intents", {}).items():
            self.intents[name] = user_intent(name, actions)
        self.frames = fill.Frames.from_json(self.head.meta["frames"])
        self.threshold = self.head.threshold
        # calibrated on held-out negatives as the recogniser heard them (train.evaluate); None: older models
        self.speech_threshold: float | None = self.head.meta.get("speech_threshold")
        self.index = np.array([lab in self.intents for lab in self.head.labels])
        # the head trained on the recogniser's readings too (train.py), for what was heard; None: typed only
        heard = self.folder / HEARD
        self.heard = Head.load(heard) if (heard / "meta.json").is_file() else None
        if self.heard is not None and self.heard.labels != self.head.labels:
            raise ValueError(f"{heard}: its intents are not the model's; run `voxctl train`")

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder, loaded on first use (~1.5 s and ~100 MB): a session whose commands the
        grammar reads alone never loads it."""
        if self._encoder is None:
            self._encoder = shared_encoder()
        return self._encoder

    def tokens(self, text: str) -> list[Token]:
        return tokenize(text, self.spec.rewrites)

    def probs(self, texts: list[str], heads: tuple[Head, ...] | None = None) -> list[np.ndarray]:
        """Each head's intent probabilities (default: the typed head's alone), from one encoding."""
        words = [[t.word for t in self.tokens(s)] for s in texts]
        x = features(self.encoder.embed([" ".join(w) for w in words]), words)
        return [np.where(self.index[None], h.probs(x), 0.0) for h in heads or (self.head,)]

    def _values(self, intent: Intent, tokens: list[Token], text: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        nums = fill.numbers(tokens)
        if len(nums) == 3 and nums[1] == nums[2]:  # the recogniser's loop: "Move the mouse to 500 400 400"
            nums = nums[:2]
        for slot in intent.slots:
            if slot == "repeat":
                values["repeat"] = fill.repeat(tokens)
            elif slot == "keys":
                values["keys"] = fill.keys(tokens, self.spec)
            elif slot in ("text", "name"):
                values[slot] = fill.span(tokens, text, intent.name, self.frames)
                if intent.name == "open_app":
                    values[slot] = fill.app_name(values[slot], self.spec.apps)
            elif slot == "macro":
                values["macro"] = self._macro(fill.span(tokens, text, intent.name, self.frames), text)
            elif slot in ("n", "seconds"):
                values[slot] = int(nums[0]) if nums and float(nums[0]).is_integer() and slot == "n" else (
                    nums[0] if nums else None)
            elif slot in ("x", "y") and len(nums) == 2:  # a third number: which two are the point is a guess
                values["x"], values["y"] = int(nums[0]), int(nums[1])
        return values

    def _macro(self, said: str | None, text: str) -> str | None:
        """The macro named by the span, or whose `say` phrase is the whole sentence ("start my day")."""
        if said and (name := find_macro(said, self.macros)):
            return name
        whole = " ".join(t.word for t in self.tokens(text))
        for name, m in self.macros.items():
            if any(" ".join(t.word for t in self.tokens(p)) == whole for p in getattr(m, "phrases", ())):
                return name
        if name := find_macro(whole, self.macros):
            return name
        padded = f" {whole} "
        named = [n for n in self.macros if f" {' '.join(n.lower().replace('_', ' ').replace('-', ' ').split())} " in padded]
        return named[0] if len(named) == 1 else None  # the one macro whose name was said

    def _plans(self, text: str, p: np.ndarray) -> tuple[list[dict[str, Any]], float, str]:
        """The most probable plan of one command: (actions as JSON, its probability, the top intent)."""
        tokens = self.tokens(text)
        grouped: dict[str, tuple[float, list[dict[str, Any]], str]] = {}
        said = [t.word for t in tokens]
        for i in np.argsort(-p)[:TOP_K]:
            label = self.head.labels[i]
            name = words().decide(label, said)  # the words said decide "in" from "out" (siblings.py)
            if name is None:
                continue
            name = name if name in self.intents else label
            intent = self.intents[name]
            acts = [] if name == NONE else plan_of(intent, self._values(intent, tokens, text))
            if acts is None:
                continue
            if name in ON_ACTIVE_WINDOW and (title := fill.window_named(tokens, text, name, self.frames)):
                focus = plan_of(self.intents["focus"], {"name": title})
                if focus is None:
                    continue  # never the action alone: it would land on whatever window is active
                acts = [*focus, *acts]
            key = repr(acts)
            prob, _, first = grouped.get(key, (0.0, acts, name))
            grouped[key] = (prob + float(p[i]), acts, first)
        if not grouped:
            top = self.head.labels[int(np.argmax(p))]
            return [], 0.0, top
        prob, acts, name = max(grouped.values(), key=lambda g: g[0])
        return acts, prob, name

    def _describe(self, name: str, acts: list[dict[str, Any]]) -> str:
        if name == NONE:
            return "not a command"
        parts = []
        for a in acts:
            args = a["args"]
            if a["tool"] == "press_keys":
                parts.append("+".join(args["keys"]) + (f" x{args['repeat']}" if args.get("repeat", 1) > 1 else ""))
            else:
                shown = ", ".join(f"{k}={v!r}" for k, v in args.items() if v not in (None, 1, "left") or k == "x")
                parts.append(f"{a['tool']}({shown})")
        return f"{self.intents[name].say.split(' (')[0] if name in self.intents else name} ({'; '.join(parts)})"

    def _covers_more(self, split: Reading, whole: Reading) -> bool:
        """A confident split whose parts include the whole reading's plan: the whole heard only one of
        two commands ("select everything and cut it" read whole as "cut")."""
        if "+" not in split.intent or "+" in whole.intent or split.confidence < self.threshold:
            return False
        return bool(whole.actions) and all(a in split.actions for a in whole.actions)

    def read(self, text: str, heard: bool = False) -> Reading:
        return self.read_many([text], heard)[0]

    def read_many(self, texts: list[str], heard: bool = False) -> list[Reading]:
        """Readings of many sentences, encoded in one batch (each Reading's `ms` is the batch's average).
        `heard`: the recogniser's readings of speech, read by both heads (spoken.py)."""
        t0 = time.perf_counter()
        per_text = [_candidates(t) for t in texts]
        both = heard and self.heard is not None
        probs = self.probs([s for cands in per_text for parts in cands for s in parts],
                           (self.head, self.heard) if both else None)  # type: ignore[arg-type]
        out = self._readings(per_text, probs[0])
        if both:
            sure = speech_min(self.speech_threshold)
            out = [combine(t, h, sure) for t, h in zip(out, self._readings(per_text, probs[1]), strict=True)]
        ms = (time.perf_counter() - t0) * 1000 / max(1, len(texts))
        return [replace(r, ms=ms) for r in out]

    def _readings(self, per_text: list[list[list[str]]], probs: np.ndarray) -> list[Reading]:
        out, k = [], 0
        for cands in per_text:
            best: Reading | None = None
            for parts in cands:
                acts: list[dict[str, Any]] = []
                conf, names, guesses = 1.0, [], []
                for part in parts:
                    a, c, name = self._plans(part, probs[k])
                    k += 1
                    if len(parts) > 1 and (name == NONE or not a):
                        conf = 0.0
                    if a != acts:  # the same command in other words: "hide all the windows and show the desktop"
                        acts += a  # is one win+d (two toggle the desktop back)
                    conf = min(conf, c)
                    names.append(name)
                    guesses.append(self._describe(name, a))
                if len(parts) > 1:
                    conf *= 0.98  # one command read whole is preferred over the same confidence split
                reading = Reading(acts, conf, "+".join(names), " then ".join(guesses))
                if best is None or reading.confidence > best.confidence or self._covers_more(reading, best):
                    best = reading
            assert best is not None
            calls = [c for c in (validate_action(a)[0] for a in best.actions) if c is not None]
            out.append(Reading(calls, best.confidence, best.intent, best.guess))
        return out


def _candidates(text: str) -> list[list[str]]:
    """The sentence whole, and split in two at each "and" / "then"."""
    out = [[text]]
    words = text.split()
    for sep in _SPLITS:
        for i in range(1, len(words) - len(sep)):
            if tuple(w.lower().strip(",.") for w in words[i:i + len(sep)]) == sep:
                out.append([" ".join(words[:i]), " ".join(words[i + len(sep):])])
    return out


class UnderstandInterpreter:
    """The Interpreter interface over an Understander (text or a transcript; audio via the transcriber)."""

    def __init__(self, understander: Understander, transcriber: Any = None):
        self.model = understander
        self._transcriber = transcriber

    def interpret(self, utterance: Utterance) -> ActionPlan:
        text = utterance.text if utterance.text is not None else utterance.transcript
        if text is None and utterance.audio is not None and self._transcriber is not None:
            text = self._transcriber.transcribe(utterance.audio).text
        if not text or not text.strip():
            return ActionPlan(source=SOURCE, transcript=text or "", reason="nothing to interpret")
        who = f"{SOURCE} model ({ENCODER_NAME} + intent head)"
        from voxctl.agent.answers import only_a_reply

        if only_a_reply(text):  # a reply to "did you mean ...?" is no command ("yes please do that" read as redo)
            return ActionPlan(source=SOURCE, transcript=text, reason=f"{who}: a reply (yes or no), not a command: "
                                                                     "say the command itself")
        from voxctl.agent.interpret.understand.no_instruction import several

        if why := several(text):
            return ActionPlan(source=SOURCE, transcript=text, reason=f"{who}: {why}")
        r = self.model.read(text)
        if r.intent == NONE:
            what = "not a command" if r.confidence >= self.model.threshold else "not understood; say it again"
            return ActionPlan(source=SOURCE, transcript=text, reason=f"{who}: {what} ({r.confidence:.0%} sure)")
        if not r.actions or r.confidence < self.model.threshold:
            return ActionPlan(source=SOURCE, transcript=text,
                              reason=f"{who}: did you mean: {r.guess}? ({r.confidence:.0%} sure, below "
                                     f"{self.model.threshold:.0%}); say it again")
        return ActionPlan(source=SOURCE, transcript=text, actions=r.actions)

    def read_chain(self, text: str, spoken: bool, grammar: Any, connectives: Any, fillers: Any = ()) -> list[Any] | None:
        """A chain the grammar could not read whole, read part by part (chain_parts.py): each part the grammar's
        plan (`grammar(part)`: its actions) or this model's when it is sure of it; None when a part is neither,
        when no part needed the model, or when the whole is no command (no_instruction.not_a_command)."""
        from voxctl.agent.interpret.chain_parts import read_parts
        from voxctl.agent.interpret.understand.fallback import needed
        from voxctl.agent.interpret.understand.no_instruction import not_a_command

        if not_a_command(text):
            return None

        def sure(part: str) -> list[Any] | None:
            if not_a_command(part) or all(t.num is not None for t in self.model.tokens(part)):
                return None  # numbers alone are a number said in parts ("click at 540, 3 20"), not a command
            r = self.model.read(part, heard=spoken)
            if r.intent == NONE or "+" in r.intent or not r.actions or r.confidence < needed(self, r, spoken):
                return None
            return r.actions

        return read_parts(text, connectives, grammar, sure, fillers)

    def warm(self) -> None:
        """Load the sentence encoder now (~1.5 s, ~100 MB), not on the first sentence the grammar cannot read."""
        self.model.read("open the next tab")

    def after_grammar(self, utterance: Utterance, parse: Any) -> ActionPlan:
        """As the hybrid backend's fallback: the grammar's parse reviewed, or what it could not read
        read by the model, from every reading of the audio (fallback.py)."""
        from voxctl.agent.interpret.understand.fallback import after_grammar

        return after_grammar(self, utterance, parse)


def load(backend: Any, session: Any, transcriber: Any, notify: Any) -> UnderstandInterpreter:
    """The backends.py loader: the configured (or shipped) model, with the session's grammar and macros."""
    from voxctl.agent.interpret.factory import InterpreterUnavailable
    from voxctl.agent.interpret.understand.encoder import EncoderMissing, model_zip

    folder = session.config.interpreter.understand_model
    try:
        model_zip()  # the encoder's package is there (its weights load on the first sentence)
        model = Understander(Path(folder).expanduser() if folder else None, spec=session.grammar,
                             macros=dict(session.macros.items()))
    except EncoderMissing as e:
        raise InterpreterUnavailable(str(e)) from None
    except (OSError, ValueError, KeyError) as e:
        raise InterpreterUnavailable(f"cannot load the understanding model {folder or shipped_model()}: {e}") from None
    return UnderstandInterpreter(model, transcriber)
