"""`voxctl listen`: the main loop. Hold the talk chord, speak, let go; see what was heard and what will
run; confirm when it matters; watch it happen. Until Ctrl+C.

Per utterance: the recorder (always open, with pre-roll) is started and stopped by the talk chord →
the silence gate (VAD) drops presses with no speech → the agent graph (interpret → validate → policy →
confirm → execute → report). While a plan executes, the talk chord is muted (voxctl's own keystrokes
reach the key listener too); the stop chord never is: it sets the emergency stop, which ends a running
plan between two primitives. A confirmation can be answered by voice (hold the chord, say yes or no),
by Enter/Escape, or at the console; the first answer wins and silence until the timeout is a no.
An error in one utterance is reported in plain words and the loop goes on.

The start-up banner is agent/loop_banner.py; the loop's side of a confirmation, agent/loop_answers.py.
"""

from __future__ import annotations

import contextlib
import queue
import signal
import threading
import time
from typing import Any

import numpy as np

from voxctl.agent.config import Config
from voxctl.agent.feedback import Feedback
from voxctl.agent.loop_answers import LoopAnswers
from voxctl.agent.loop_banner import LoopBanner


def transcribes(config: Config) -> bool:
    """Whether the configured backend reads a Whisper transcript (one that hears audio does not)."""
    from voxctl.agent.interpret.backends import hears_audio

    return not hears_audio(config.interpreter.backend, config.interpreter)


class ListenLoop(LoopBanner, LoopAnswers):
    def __init__(self, config: Config, *, dry_run: bool = False, feedback: Feedback | None = None) -> None:
        self.config = config
        self.dry_run = dry_run
        self.feedback = feedback or Feedback(config.feedback)
        self.stop = threading.Event()
        # Recordings, routed by what they are for: a new command, or the answer to a pending question.
        self.commands: queue.Queue[np.ndarray | Exception] = queue.Queue()
        self.answers: queue.Queue[np.ndarray | Exception] = queue.Queue()
        self.answering = False
        self.asked_at = 0.0  # time.monotonic() when the open question was put: an answer is said after it
        self.stopped_at = 0.0  # time.monotonic() of the last emergency stop (chord or voice)
        self.busy = False  # a command is being handled (interpreted, judged, asked about, run)
        self.quitting = False  # Ctrl+C was pressed (run: kept even where its KeyboardInterrupt is swallowed)
        self.agent: Any = None
        self.recorder: Any = None
        self.hotkeys: Any = None
        self.lock: Any = None  # one listener per user and display (agent/listen/instance.py)
        self.transcriber: Any = None
        self.early: Any = None  # EarlyRecognizer: decodes while the chord is held (asr.decode_while_held)
        self.timings: dict[str, float] = {}  # ms per stage of the last utterance handled
        self.voice: Any = None  # VoiceControl: always mode, sleep/wake, earcons (agent/voice_control.py)
        self.vocabulary: dict[str, list[str]] = {}  # the session's apps and macros for the hint (hint_names)

    # --- start-up --------------------------------------------------------------------------------------
    def start(self) -> None:
        """Load everything and say what is in use. Raises with a one-line message when a part cannot start."""
        from voxctl.agent.graph import Agent
        from voxctl.agent.interpret.factory import make_interpreter
        from voxctl.agent.listen.asr import Transcriber
        from voxctl.agent.listen.hotkey import HotkeyListener, uses_x11
        from voxctl.agent.listen.instance import ListenLock
        from voxctl.agent.listen.recorder import Recorder
        from voxctl.agent.session import Session

        cfg = self.config
        self.lock = ListenLock().acquire()  # first: a second listener says so before loading anything
        uses_x11()  # no display: one line (HotkeyError), before loading anything either
        notes: list[str] = []
        session = Session.build(cfg)  # the macros, read once for as long as this loop listens (MacroError)
        self.transcriber = Transcriber(cfg.asr)
        interpreter = make_interpreter(session, transcriber=self.transcriber, notify=notes.append)
        from voxctl.agent.warmup import WarmUp

        if not self.feedback.quiet:
            self.feedback.console.print("[dim]loading the models (speech, understanding) ahead of the first command…[/]")
        warming = WarmUp(interpreter).start()  # on a thread, beside the recorder, the hotkeys and the graph
        from voxctl.agent.voice_control import VoiceControl

        self.voice = VoiceControl(self, session, interpreter)
        always = self.voice.always
        if cfg.asr.decode_while_held and transcribes(cfg) and not always:
            from voxctl.agent.listen.streaming import EarlyRecognizer

            self.early = EarlyRecognizer(self.transcriber, cfg.audio, cfg.asr.endpoint_ms)
        self.recorder = Recorder(cfg.audio, on_chunk=self.early.feed if self.early else None,
                                 on_max=lambda: self.feedback.note(
            f"longest utterance reached ({cfg.audio.max_seconds:g} s); {self._how_to_finish()}"),
                                 on_block=self.voice.feed).open()
        self.hotkeys = HotkeyListener(cfg.hotkey.talk, "toggle" if always else cfg.hotkey.mode,
                                      on_start=self.voice.talk_key if always else self._talk_start,
                                      on_stop=self.voice.talk_key if always else self._talk_stop,
                                      stop_chord=cfg.hotkey.stop, on_stop_chord=self._emergency_stop)
        self.agent = Agent(session, interpreter=interpreter, dry_run=self.dry_run, stop=self.stop,
                           while_executing=self.voice.while_executing(self.hotkeys.suppressed))
        self.vocabulary = session.vocabulary()
        self.hint_names()
        notes.append(f"start-up: {warming.wait()}")  # before the first key press or open-mic decoding
        self.hotkeys.start()
        self.voice.start()
        self._banner(notes)

    # --- hotkey callbacks (on the hotkey listener's dispatcher thread: they must never raise) -----------
    def _talk_start(self) -> None:
        try:
            if self.early is not None and not self.answering:
                self.early.begin()  # before the recorder, which hands over its pre-roll with its next block
            self.recorder.begin(at=self.hotkeys.started_at or None)  # the pre-roll counts back from the chord
        except Exception as e:  # the microphone went away: say so in the loop, keep listening for keys
            self._route(e)
            return
        if self.voice is not None:
            self.voice.cue("recording")
        self._status(f"recording{' your answer' if self.answering else ''}… ({self._how_to_finish()})")

    def _talk_stop(self) -> None:
        try:
            audio = self.recorder.end()
        except Exception as e:
            audio = e
        if self.voice is not None:
            self.voice.cue("recorded")
        if not isinstance(audio, Exception):
            from voxctl.agent.utterance import SAMPLE_RATE

            self._status(f"heard {len(audio) / SAMPLE_RATE:.1f} s, thinking…")
        self._route(audio)

    def _how_to_finish(self) -> str:
        """What ends a recording in this hotkey mode (nothing is held in toggle mode)."""
        talk = self.config.hotkey.talk
        return f"let go of {talk} to finish" if self.config.hotkey.mode == "hold" else f"press {talk} again to finish"

    def _status(self, text: str) -> None:
        """A line that says the microphone is recording, or has stopped (issue 15.7: there was no sign)."""
        if not self.feedback.quiet:
            self.feedback.console.print(f"[bold magenta]●[/] {text}" if text.startswith("recording") else
                                        f"[dim]{text}[/]")

    def _route(self, item: np.ndarray | Exception) -> None:
        (self.answers if self.answering else self.commands).put(item)

    def _emergency_stop(self) -> None:
        self.stopped_at = time.monotonic()  # commands heard before it are not run either (handle)
        self.stop.set()
        self.feedback.console.print("[bold red]emergency stop[/]")

    # --- the loop --------------------------------------------------------------------------------------
    def run(self) -> int:
        """Handle utterances until Ctrl+C (exit code 0).

        Ctrl+C raises KeyboardInterrupt wherever the main thread is, which ends a plan under way at once;
        but library code on that thread that catches BaseException (langgraph has such handlers around its
        tasks) can swallow it, and then the loop went on listening: `voxctl listen` in always mode did not
        exit within 15 s of a Ctrl+C sent while its graph finished a run (2 of 5 session tests at load ~18;
        the stack 15 s later: back in `commands.get`). So the signal is also kept as a flag, read between
        utterances."""
        previous = self._catch_ctrl_c()
        try:
            with contextlib.suppress(KeyboardInterrupt):
                while not self.quitting:
                    try:
                        item = self.commands.get(timeout=0.2)
                    except queue.Empty:
                        continue
                    try:
                        self.handle(item)
                    except Exception as e:  # one utterance's failure never ends the loop
                        self.feedback.error(f"{type(e).__name__}: {e}" if not str(e) else str(e))
            self.feedback.note("stopped listening")
            return 0
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
            self.close()

    def _catch_ctrl_c(self) -> Any:
        """Installs the Ctrl+C handler (in the main thread only: the benchmarks run the loop on another);
        returns the handler it replaced, or None."""
        if threading.current_thread() is not threading.main_thread():
            return None

        def ctrl_c(signum: int, frame: Any) -> None:
            self.quitting = True  # no lock taken here: the main thread may hold any of them
            raise KeyboardInterrupt

        return signal.signal(signal.SIGINT, ctrl_c)

    def handle(self, item: np.ndarray | Exception) -> str | None:
        """One recording through the gate and the graph; returns the run's final status (None: nothing heard)."""
        from voxctl.agent.listen.mic_hooks import Spoken
        from voxctl.agent.listen.vad import HEARD_NOTHING, gate
        from voxctl.agent.runner import answer_pending, interactive_asker
        from voxctl.agent.utterance import Utterance

        if isinstance(item, Exception):
            raise item
        transcript = None
        if isinstance(item, Spoken):  # always mode: cut, heard and accepted already (agent/voice_control.py)
            speech, transcript = item.audio, item.text
        elif self.early is not None:
            done = self.early.finish(item)
            speech, self.timings = done.speech, dict(done.timings)
            if done.transcript is not None:
                transcript = done.transcript.text
        else:
            speech = gate(item, self.config.audio)
        if speech is None:
            self.feedback.note(HEARD_NOTHING)
            return None
        if self.voice is not None and not isinstance(item, Spoken):
            if transcript is None and transcribes(self.config):  # the interpreter reuses it
                transcript = self.transcriber.transcribe(speech).text
            took = self.voice.keyed(transcript)
            if took.kind != "command":
                return took.kind  # sleep, wake, or dropped (asleep, "ignore …", "… cancel cancel")
            transcript = took.text or transcript  # without the command prefix
        self.busy = True  # from here a voice "stop" acts (voice_control.py), as the stop chord does
        try:
            self.stop.clear()  # a stop pressed before this utterance belongs to the previous plan...
            if isinstance(item, Spoken) and self.voice is not None and self.voice.stale(item):
                return "drop"  # ...and so does a command heard before it, or before "go to sleep"
            utterance = Utterance(audio=speech, screen=self.agent.screen_state(), transcript=transcript,
                                  grammar_only=isinstance(item, Spoken))
            asker = interactive_asker(self.config, self.feedback, self._sources())
            on_update = self.voice.on_update if self.voice is not None else self.feedback.on_update
            tid = self.agent.start(utterance=utterance, on_update=on_update)
            return answer_pending(self.agent, tid, self._answering(asker), self.feedback, on_update).get("status")
        finally:
            self.busy = False
            self.hint_names()  # the plan may have opened or closed windows

    def hint_names(self) -> None:
        """The recogniser's hint with the names a person may say next: the configured and installed apps, the
        macros (Session.vocabulary) and, with `asr.hint_window_titles`, the titles of the windows open now (their
        name words only: vocabulary.py), and how the focused app's own actions are said ("reply all" in Thunderbird:
        app_actions.said_forms; the focus as it is after the last plan); in dictation mode, its ways out in place of the command sentences. At start
        and after each plan (not while one is read in hold mode: its second look reads with the hint it was read
        with). A desktop that cannot list its windows gives the rest."""
        if self.transcriber is None or self.agent is None:
            return
        from voxctl.agent.handsfree import grammar_of

        grammar = grammar_of(self.agent.interpreter)
        examples = grammar.hint_sentences() if hasattr(grammar, "hint_sentences") else None
        if examples is not None:  # dictation mode: no name is said there but after an escape ("press ...")
            self.transcriber.set_vocabulary(examples=examples)
            return
        from voxctl.agent.interpret.app_actions import said_forms, window_names

        screen = self.agent.screen_state()
        titles = screen.window_titles if self.config.asr.hint_window_titles else ()
        self.transcriber.set_vocabulary(window_titles=titles, app_actions=said_forms(window_names(screen)),
                                        **self.vocabulary)

    def close(self) -> None:
        for part in (self.hotkeys, self.recorder, self.voice, self.early, self.lock):
            if part is not None:
                try:
                    part.close()
                except Exception:  # closing at exit: nothing useful to say
                    pass
        if self.agent is not None:
            self.agent.close()
