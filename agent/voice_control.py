"""Hands-free control for the listen loop: the voice phrases, the open microphone, the earcons.

The listen loop (agent/loop.py) owns the recorder, the hotkeys and the graph; this owns what issue 11
adds on top, so the loop only calls in at a few points:

- `hotkey.mode: always`: the recorder's blocks go to an `OpenMic` (agent/listen/open_mic.py); accepted
  commands reach the loop's command queue as `Spoken`, answers its answer queue, a voice "stop" its stop
  event, and every dropped utterance is written to the history (status `dropped`, the reason as summary).
  The talk key turns the open microphone off and on.
- every mode: sleep/wake by voice (`keyed()` judges a recording made with the talk key), earcons for
  recording, understood, done, failed and questions, and the auto-sleep.
- voxctl never hears itself: while its spoken feedback sounds, the open microphone is deaf.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from voxctl.agent.earcons import Earcons
from voxctl.agent.handsfree import HandsFree, Heard, Verdict, grammar_doubt, grammar_of
from voxctl.agent.interpret.unhinted import echoed
from voxctl.agent.listen.asr_model import bound_native_memory
from voxctl.agent.listen.mic_hooks import Hooks, Spoken
from voxctl.agent.listen.open_mic import OpenMic
from voxctl.agent.utterance import SAMPLE_RATE

FAILED = ("failed", "stopped", "uncertain", "invalid", "error", "denied")


def exact_grammar(session: Any, transcriber: Any) -> Any:
    """The session's grammar with near-miss words turned off (fuzzy_threshold 1): what always mode acts on."""
    from voxctl.agent.interpret.grammar import GrammarInterpreter

    cfg = session.config
    exact = cfg.model_copy(update={"interpreter": cfg.interpreter.model_copy(update={"fuzzy_threshold": 1.0})})
    return GrammarInterpreter(exact, session.macros, transcriber, spec=session.grammar)


def heard_by_sound(grammar: Any, audio: Any, text: str) -> tuple[str | None, str]:
    """The open microphone's look by sound (open_mic `Hooks.by_sound`): the phrase to accept, and why."""
    from voxctl.agent.interpret.sound_look import by_sound

    got, reading, _ = by_sound(grammar, audio, text)
    return (got.chosen_text if got is not None else None), (reading.verdict if reading is not None else "")


SECOND_LOOK_MAX_S = 4.0  # hands-free's second look reads utterances this short (commands are; talk is longer)


def second_read(grammar: Any, audio: Any, text: str) -> tuple[str | None, str]:
    """The open microphone's second look (`handsfree.second_look`, open_mic `Hooks.by_sound`) at a short utterance
    whose reading `text` was no command: the exact grammar reads the audio as hold mode does (GrammarInterpreter.read:
    the N best scored by the grammar, the acoustic rescoring, the command hint checked, the look by sound); the
    phrase it chose, and why. A longer utterance gets the look by sound only; none with `interpreter.by_sound` off."""
    sound = getattr(grammar, "by_sound", False)  # interpreter.by_sound: the look by sound at all
    if len(audio) / SAMPLE_RATE > SECOND_LOOK_MAX_S:
        return heard_by_sound(grammar, audio, text) if sound else (None, "")
    parse = grammar.read(audio, None, text)
    chosen = parse.chosen_text or ""
    if parse.refused or not parse.plan.actions or not chosen.strip():
        # The read stops at a reading it refuses before its own look by sound; the open microphone's look by sound
        # is asked as without the second look ("open file", "bold": lost on the short-talk bench otherwise).
        phrase, why = heard_by_sound(grammar, audio, text) if sound else (None, "")
        weighed = "; ".join(f"{h.text!r}: {h.verdict}" for h in parse.hypotheses[1:3])
        said = f"second look: {parse.plan.reason or 'no command'}" + (f" ({weighed})" if weighed else "")
        return phrase, f"{why}; {said}" if why else said
    verdict = next((h.verdict for h in parse.hypotheses if h.text == chosen), "chosen")
    return chosen, f"second look: {chosen!r} {verdict}"


def switched_mode(summary: str) -> bool:
    """A plan without actions that switched dictation mode on or off: done, not failed (its earcon)."""
    from voxctl.agent.interpret.dictation_mode import ANNOUNCED

    return summary in ANNOUNCED.values()


class VoiceControl:
    def __init__(self, loop: Any, session: Any, interpreter: Any) -> None:
        bound_native_memory()  # before anything is decoded (the Transcriber may exist already)
        cfg = loop.config
        self.loop = loop
        self.always = cfg.hotkey.mode == "always"
        self.earcons = Earcons.from_config(cfg.handsfree)
        self.handsfree = HandsFree(cfg.handsfree, on_change=self._changed)
        self.executing = False
        self.slept_at = 0.0  # time.monotonic() when it last fell asleep
        self.mic: OpenMic | None = None
        self.indicator: Any = None
        if self.always:
            if grammar_of(interpreter) is None:
                raise RuntimeError("hotkey.mode always needs interpreter.backend grammar or hybrid")
            grammar = exact_grammar(session, loop.transcriber)
            main = grammar_of(interpreter)
            self.mic = OpenMic(loop.transcriber, self.handsfree, Hooks(
                accept=lambda text: grammar_doubt(grammar, text, apps=session.app_aliases, mode=self._mode(main)),
                on_command=loop.commands.put, on_answer=loop.answers.put, on_stop=self._voice_stop,
                on_drop=self._dropped, executing=lambda: self.executing or loop.busy, answering=lambda: loop.answering,
                muted=self.muted, on_verdict=self._verdict, asked_at=lambda: loop.asked_at,
                by_sound=self._second_look(cfg, grammar),
                echo=lambda audio, text, hint: echoed(grammar, audio, text, hint),
            ), vad_threshold=cfg.audio.vad_threshold, min_speech_ms=cfg.handsfree.min_speech_ms)

    @staticmethod
    def _second_look(cfg: Any, grammar: Any) -> Callable[[Any, str], tuple[str | None, str]] | None:
        """The look at an utterance whose reading was no command: the second look, else by sound, else none."""
        if cfg.handsfree.second_look:
            return lambda audio, text: second_read(grammar, audio, text)
        if cfg.interpreter.by_sound:
            return lambda audio, text: heard_by_sound(grammar, audio, text)
        return None

    # -- wiring --------------------------------------------------------------------------------------
    @property
    def feed(self) -> Callable[[Any], None] | None:
        """The recorder's `on_block` (None outside always mode)."""
        return self.mic.feed if self.mic is not None else None

    def start(self) -> None:
        if self.mic is not None:
            self.mic.start()
        self.earcons.play("asleep" if self.handsfree.asleep else "listening_on")
        if self.loop.config.handsfree.indicator:
            from voxctl.agent.indicator import Indicator, loop_state

            self.indicator = Indicator(lambda: loop_state(self)).start()
            if self.indicator.error:
                self.loop.feedback.note(f"no status indicator: {self.indicator.error}")

    def close(self) -> None:
        if self.indicator is not None:
            self.indicator.close()
        if self.mic is not None:
            self.mic.close()
        self.earcons.close()

    def describe(self) -> str:
        """One banner line: the phrases, the prefix, the earcons."""
        cfg = self.handsfree.config
        parts = [f"{'asleep' if self.handsfree.asleep else 'awake'}; {cfg.sleep_phrases[0]!r} / "
                 f"{cfg.wake_phrases[0]!r}"]
        if self.handsfree.prefix:
            parts.append(f"prefix {self.handsfree.prefix!r}")
        if cfg.auto_sleep_minutes:
            parts.append(f"sleeps after {cfg.auto_sleep_minutes:g} min idle")
        parts.append("earcons on" if self.earcons.enabled else "earcons off")
        return "; ".join(parts)

    def _mode(self, main: Any) -> Any:
        """The dictation mode the utterance being judged will be interpreted in: the main interpreter's, or
        None while commands accepted before it wait or run (then the acceptance's own: the mode after the
        last of them, "start dictation" said just before a sentence)."""
        return None if self.loop.busy or not self.loop.commands.empty() else main.dictation_mode

    def muted(self) -> bool:
        # Only voxctl's voice: an earcon is a short pure tone that silero does not take for speech, and
        # muting for it clipped the first words said right after a "done".
        return self.loop.feedback.speaking

    def while_executing(self, inner: Callable[[], Any]) -> Callable[[], Any]:
        """Wraps the loop's hotkey suppression: a voice "stop" acts only while a plan runs."""

        @contextlib.contextmanager
        def wrapped() -> Iterator[None]:
            self.executing = True
            if self.mic is not None:
                self.mic.quick_end(True)
            try:
                with inner():
                    yield
            finally:
                self.executing = False
                if self.mic is not None:
                    self.mic.quick_end(False)

        return wrapped

    def talk_key(self) -> None:
        """In always mode the talk key turns the open microphone off and on."""
        if self.mic is None:
            return
        self.mic.listening = not self.mic.listening
        self.earcons.play("listening_on" if self.mic.listening else "listening_off")
        self.loop.feedback.note("listening" if self.mic.listening else "not listening (press the talk key again)")

    def cue(self, name: str) -> None:
        self.earcons.play(name)

    # -- what was heard --------------------------------------------------------------------------------
    def keyed(self, text: str | None) -> Verdict:
        """A recording made with the talk key (hold/toggle): a "command" verdict (its text: what to run)
        or the verdict that took it (sleep, wake, asleep, ignore, cancel cancel)."""
        if text is None:  # a backend that hears audio: no transcript to judge
            return Verdict("drop", "", "asleep") if self.handsfree.asleep else Verdict("command", "")
        v = self.handsfree.judge(Heard(text), executing=False, answering=False)
        if v.kind == "command" or (v.kind == "drop" and v.reason.startswith("does not begin with")):
            self.handsfree.active()
            return Verdict("command", v.text if v.kind == "command" else text)  # the key needs no prefix
        self._verdict(v)
        if v.kind == "drop" or v.reason:
            self._dropped(v.text, v.reason, 0.0)
        return v

    def stale(self, spoken: Spoken) -> str:
        """Why an accepted command, queued while the loop was busy, no longer runs ("" when it does): it was
        heard before the last emergency stop, or voxctl has gone to sleep since (the drop is in the history)."""
        why = ("asleep" if self.handsfree.asleep else
               "heard before voxctl went to sleep" if spoken.heard_at <= self.slept_at else
               "heard before the emergency stop" if spoken.heard_at <= self.loop.stopped_at else "")
        if why:
            self._verdict(Verdict("drop", spoken.text, why))
            self._dropped(spoken.text, why, len(spoken.audio) / SAMPLE_RATE)
        return why

    def _verdict(self, v: Verdict) -> None:
        fb = self.loop.feedback
        if v.kind == "stop":
            return
        if v.kind in ("sleep", "wake") and not v.reason:
            return  # _changed says it
        if v.kind == "command" and v.reason and not fb.quiet:  # taken by its sound ("undo" read "and you.")
            fb.console.print(f"[dim]{v.reason}[/]")
        if v.kind == "drop" and not fb.quiet:
            fb.console.print(f"[dim]dropped {v.text!r}: {v.reason}[/]" if v.text else f"[dim]dropped: {v.reason}[/]")

    def _changed(self, state: str) -> None:
        if state == "asleep":
            self.slept_at = time.monotonic()
        self.earcons.play(state)
        self.loop.feedback.note("asleep: say " + repr(self.handsfree.config.wake_phrases[0]) + " to wake me"
                                if state == "asleep" else "awake")

    def _voice_stop(self) -> None:
        self.loop._emergency_stop()  # the flag first: printing takes the GIL and, on a busy box, tens of ms
        self.loop.feedback.note("stop (voice)")

    def _dropped(self, text: str, reason: str, seconds: float) -> None:
        agent = self.loop.agent
        if agent is None:
            return
        from voxctl.agent.graph import new_thread_id

        agent.audit.record(new_thread_id(), input="voice", transcript=text, audio_seconds=round(seconds, 3),
                           status="dropped", summary=reason)

    # -- the graph's progress, heard -------------------------------------------------------------------
    def on_update(self, node: str, update: Any) -> None:
        self.loop.feedback.on_update(node, update)
        if not isinstance(update, Mapping):
            return
        if node == "policy" and "decision" in update:
            verdict = update["decision"].get("verdict")
            if verdict in ("confirm", "run"):
                self.earcons.play("confirm" if verdict == "confirm" else "understood")
        elif node == "report":
            status = update.get("status", "")
            if status == "done" or (status == "nothing" and switched_mode(update.get("summary", ""))):
                self.earcons.play("done")
            elif status in FAILED or status == "nothing":
                self.earcons.play("failed")


__all__ = ["Spoken", "VoiceControl", "exact_grammar"]
