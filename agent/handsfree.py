"""Hands-free: what one heard utterance means before it may reach the agent graph.

The state machine behind `hotkey.mode: always` (and the voice phrases of hold/toggle): awake or asleep,
a question open or not, a plan running or not. `HandsFree.judge(text, ...)` returns a `Verdict`:

- "wake" / "sleep": a wake or sleep phrase said alone (the whole utterance, anchored: "wake up" inside a
  sentence wakes nothing). Asleep, nothing but the wake phrase acts.
- "stop": a stop phrase said alone while a plan runs (the voice twin of the stop chord).
- "answer": the next utterance after a question is its answer (agent/answers.py matches yes/no).
- "command": everything else that survives "ignore ...", "... cancel cancel", the command prefix and the
  recogniser's own doubt (no-speech probability, mean token probability); the caller still requires an
  exact grammar parse before anything runs.
- "drop": with the reason, logged by the caller and otherwise quiet.

Pure data in, data out (no audio, no threads): the unit tests drive it with text and a fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from voxctl.agent.config import HandsfreeConfig
from voxctl.agent.interpret.dictation_mode import ANNOUNCED
from voxctl.tools.words import words_in

KINDS = ("command", "wake", "sleep", "stop", "answer", "drop")


@dataclass(frozen=True)
class Verdict:
    kind: str  # one of KINDS
    text: str = ""  # the command as it goes on (the prefix removed); the heard text otherwise
    reason: str = ""  # why it was dropped, for the history


@dataclass(frozen=True)
class Heard:
    """What the recogniser made of one utterance, with its own doubt."""

    text: str
    no_speech_prob: float = 0.0
    confidence: float = 1.0  # mean token probability exp(avg_logprob)


def words(text: str) -> str:
    """The words said as one phrase (tools/words.py; digits and apostrophes kept): "Wake up!" -> "wake up"."""
    return " ".join(words_in(text))


class HandsFree:
    """`judge()` per utterance; `tick()` now and then (auto-sleep); `asleep` says the state."""

    def __init__(self, config: HandsfreeConfig | None = None, clock: Callable[[], float] = time.monotonic,
                 on_change: Callable[[str], None] | None = None) -> None:
        self.config = config or HandsfreeConfig()
        self.clock = clock
        self.on_change = on_change  # "asleep" / "awake", for earcons and the indicator
        self.asleep = self.config.start_asleep
        self.last_active = clock()
        prefix = words(self.config.prefix or "")
        self.prefix = prefix or None

    # -- state ---------------------------------------------------------------------------------------
    def sleep(self) -> None:
        if not self.asleep:
            self.asleep = True
            if self.on_change:
                self.on_change("asleep")

    def wake(self) -> None:
        self.last_active = self.clock()
        if self.asleep:
            self.asleep = False
            if self.on_change:
                self.on_change("awake")

    def active(self) -> None:
        """A command acted: the idle time for auto-sleep starts again."""
        self.last_active = self.clock()

    def tick(self) -> bool:
        """Falls asleep after `auto_sleep_minutes` without a command; True when it just did."""
        minutes = self.config.auto_sleep_minutes
        if minutes and not self.asleep and self.clock() - self.last_active >= minutes * 60:
            self.sleep()
            return True
        return False

    # -- one utterance -------------------------------------------------------------------------------
    def judge(self, heard: Heard | str, *, executing: bool = False, answering: bool = False) -> Verdict:
        heard = Heard(heard) if isinstance(heard, str) else heard
        cfg = self.config
        said = words(heard.text)
        bare = self._unprefixed(said)  # "computer, wake up" is "wake up" too
        self.tick()
        if not said:
            return Verdict("drop", said, "heard nothing")
        doubt = self._doubt(heard)
        if bare in cfg.wake_phrases or said in cfg.wake_phrases:
            if doubt:
                return Verdict("drop", said, doubt)
            was = self.asleep
            self.wake()
            return Verdict("wake", said, "" if was else "already awake")
        if self.asleep:
            return Verdict("drop", said, "asleep")
        if executing and self._stop_phrase(said, bare):
            if heard.no_speech_prob > cfg.max_no_speech_prob:  # the stop hint reads an earcon as "Stop."
                return Verdict("drop", said, doubt)
            return Verdict("stop", said)  # no confidence check: a false stop only ends a plan early
        aside = self._set_aside(said, bare)
        if aside:
            return Verdict("drop", said, aside)
        if answering:
            return Verdict("answer", said)
        if bare in cfg.sleep_phrases or said in cfg.sleep_phrases:
            if doubt:
                return Verdict("drop", said, doubt)
            self.sleep()
            return Verdict("sleep", said)
        if said in cfg.stop_phrases:
            return Verdict("drop", said, "stop: nothing is running")
        if self.prefix is not None and bare is None:
            return Verdict("drop", said, f"does not begin with {self.prefix!r}")
        if doubt:
            return Verdict("drop", said, doubt)
        command = self._strip_prefix(heard.text) if self.prefix is not None else heard.text.strip()
        return Verdict("command", command)

    def plain(self, said: str) -> bool:
        """`said` (words) may be a command misheard (open_mic's look by sound): awake, no prefix to begin with,
        and none of the phrases voice control acts on or drops by (wake, sleep, stop, "ignore …", "… cancel")."""
        cfg = self.config
        if self.asleep or self.prefix is not None or not said or self._set_aside(said, said):
            return False
        return said not in (*cfg.wake_phrases, *cfg.sleep_phrases, *cfg.stop_phrases)

    def _set_aside(self, said: str, bare: str | None) -> str:
        """Why the person set `said` aside ("ignore …", "… cancel cancel"; `bare`: without the prefix), else ""."""
        cfg = self.config
        ignore = cfg.ignore_word.lower()
        if said == ignore or said.startswith(ignore + " ") or (bare or "").startswith(ignore + " "):
            return f"{ignore} …"
        cancel = words(cfg.cancel_phrase)
        if cancel and (said == cancel or said.endswith(" " + cancel)):
            return f"… {cancel}"
        return ""

    def stop_said(self, text: str) -> bool:
        """`text` is a stop phrase said alone, once or more ("Stop. Stop stop."; a short reading with the stop
        hint may loop on it: "Stop. Stop. Stop. Stop. Stop"), and voxctl is awake: what the open
        microphone's early look at a short utterance acts on while a plan runs."""
        said = words(text)
        return not self.asleep and bool(said) and self._stop_phrase(said, self._unprefixed(said))

    def _stop_phrase(self, said: str, bare: str | None) -> bool:
        for x in {said, bare or ""}:
            w = x.split()
            for phrase in self.config.stop_phrases:
                p = phrase.split()
                if w and len(w) % len(p) == 0 and w == p * (len(w) // len(p)):
                    return True
        return False

    def _doubt(self, heard: Heard) -> str:
        cfg = self.config
        if heard.no_speech_prob > cfg.max_no_speech_prob:
            return f"probably not speech (no-speech probability {heard.no_speech_prob:.2f})"
        if heard.confidence < cfg.min_confidence:
            return f"recognition unsure (confidence {heard.confidence:.2f})"
        return ""

    def _unprefixed(self, said: str) -> str | None:
        """`said` without the command prefix; None when a prefix is configured and missing."""
        if self.prefix is None:
            return said
        if said == self.prefix:
            return ""
        return said[len(self.prefix) + 1:] if said.startswith(self.prefix + " ") else None

    def _strip_prefix(self, text: str) -> str:
        """The original text (its spelling matters to the grammar) after the prefix's words."""
        n = len(self.prefix.split()) if self.prefix else 0
        parts = text.strip().split()
        return " ".join(parts[n:]).lstrip(",.;:!- ").strip()


def grammar_of(interpreter: object) -> object | None:
    """The grammar interpreter inside the configured one (grammar itself, or hybrid's first look)."""
    if hasattr(interpreter, "analyse"):
        return interpreter
    inner = getattr(interpreter, "grammar", None)
    return inner if hasattr(inner, "analyse") else None


def grammar_doubt(grammar: object, text: str, screen: object = None, apps: Mapping[str, str] | None = None,
                  mode: object = None) -> str:
    """"" when the grammar reads `text` as a command exactly; else why it does not (the drop reason).

    Strict on purpose: no actions, a plan that only waits (it changes nothing: "wait what" was heard "wait
    one."), a rejection (the recogniser's word that this is no command: `Parse.rejected`
    where the grammar has it), a destructive command heard only approximately, or "open <words>" where the
    words name no app (`apps`: the session's aliases; "open the door for the delivery man" was a false
    action in a stream of conversation) all drop the utterance.

    It reads in the dictation mode the utterance will be interpreted in (`mode`: the main interpreter's;
    None: the one `grammar` kept from the last utterance accepted): "start dictation" / "stop dictation" are
    accepted (a mode switch, a final plan without actions), and in dictation mode what is said is text to
    type. An accepted reading is committed to `grammar`, so its mode is the one the next utterance is read in
    while the ones accepted before it wait to run."""
    if mode is not None:
        grammar.dictation_mode = mode  # type: ignore[attr-defined]
    before = grammar.dictation_mode  # type: ignore[attr-defined]
    parse = grammar.analyse(text, screen)  # type: ignore[attr-defined]
    why = _doubt_of(parse, before, apps)
    if not why:
        grammar.commit(parse)  # type: ignore[attr-defined]
    return why


def _doubt_of(parse: Any, mode: Any, apps: Mapping[str, str] | None) -> str:
    rejected = getattr(parse, "rejected", "")
    if rejected:
        return f"not a command: {rejected}"
    if parse.refused:
        return "" if switches_mode(parse, mode) else "a destructive command heard only approximately"
    if not parse.plan.actions:
        return f"not a command: {parse.plan.reason or 'no grammar rule matches'}"
    if all(call.tool == "wait" for call in parse.plan.actions):  # "wait what" heard "wait one.": no effect to have
        return "not a command: it only waits"
    if apps is not None:
        from voxctl.tools.apps import resolve_app

        for call in parse.plan.actions:
            if call.tool == "open_app" and resolve_app(call.args.name, apps) is None:
                return f"not a command: no app called {call.args.name!r}"
    return ""


def switches_mode(parse: Any, mode: Any) -> bool:
    """`parse` is a dictation mode switch ("start dictation", "stop dictation"): dictating.py makes it a final
    plan without actions (`refused`, so that nothing guesses further) whose reason is the new mode's own
    announcement; a refused destructive command keeps the mode it was read in."""
    after = getattr(parse, "mode", None)
    return (parse.refused and not parse.plan.actions and after is not None and after is not mode
            and parse.plan.reason == ANNOUNCED[after.on])
