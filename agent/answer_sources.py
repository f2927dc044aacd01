"""The ways a person answers a confirmation: each a `Source` that delivers an `Answer` (agent/answers.py).

Sources (each optional, chosen by `confirm.by_voice` / `confirm.by_keys` and by what the command has):
- voice: hold the talk chord and say "yes"/"confirm" or "no"/"cancel" (recorded, transcribed, matched);
  in hotkey.mode always no key: the next utterance after the question is the answer;
- keys: Enter means yes, Escape means no, from a real keyboard (grabbed on X11 while the question is open);
- console: type y/yes or n/no and Enter in the terminal voxctl runs in;
- stop: the emergency stop hotkey during a confirmation means no.
An unclear answer ("maybe") is not an answer: the source keeps listening. `ask` (agent/confirm.py) runs
them side by side.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from voxctl.agent.answers import Answer, match_answer


class Source(Protocol):
    """A way to answer. One that must set something up first (a key grab) says `arms = True`: its `listen`
    then gets a third argument, `armed()`, to call once it can take an answer; `ask` shows the question
    only then."""

    name: str
    hint: str  # how to answer through it, for the prompt

    def listen(self, deliver: Callable[[Answer], None], done: threading.Event) -> None:
        """Block until an answer is delivered or `done` is set."""
        ...


class ConsoleSource:
    """y/n typed at the terminal. Reads the file descriptor directly (select + os.read), so it can give up
    the moment another source answers, without leaving a blocked read behind."""

    name = "console"
    hint = "type y or n and Enter"

    def __init__(self, fd: int = 0, on_unclear: Callable[[str], None] | None = None) -> None:
        self.fd = fd
        self.on_unclear = on_unclear

    def listen(self, deliver: Callable[[Answer], None], done: threading.Event) -> None:
        buf = b""
        while not done.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            chunk = os.read(self.fd, 1024)
            if not chunk:
                return  # end of input: the console cannot answer
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode("utf-8", "replace").strip()
                verdict = match_answer(text)
                if verdict is not None:
                    deliver(Answer(verdict, "console", text))
                    return
                if text and self.on_unclear:
                    self.on_unclear(text)


class KeySource:
    """Enter = yes, Escape = no, typed on a keyboard while the question is open.

    On X11 Enter and Escape are grabbed only while the question is open (agent/listen/xgrab.py), so the
    answer does not also reach the focused app (a shell would run its line). A key sent by a program
    through XTEST (xdotool, pyautogui, another voxctl) is no answer: it is let through to where it was
    going. An Enter that ends a line typed since the question appeared ("n" Enter at the console) belongs
    to that line and is let through too. Elsewhere a pynput listener watches (README: what remains)."""

    name = "keys"
    hint = "press Enter for yes or Escape for no"
    arms = True  # Enter/Escape are grabbed before the question shows: a quick Enter never reaches the app

    def listen(self, deliver: Callable[[Answer], None], done: threading.Event,
               armed: Callable[[], None] = lambda: None) -> None:
        from voxctl.agent.listen.hotkey import uses_x11

        if uses_x11():
            self._listen_x11(deliver, done, armed)
        else:
            self._listen_pynput(deliver, done, armed)

    def _listen_x11(self, deliver: Callable[[Answer], None], done: threading.Event,
                    armed: Callable[[], None]) -> None:
        from voxctl.agent.listen.xgrab import NoXInput, XGrabber

        typed = [False]  # a printable key was typed since the question (or the last Enter)

        def on_typed(synthetic: bool) -> None:
            typed[0] = True

        def on_key(event: Any) -> bool:
            if not event.pressed or event.repeat or event.key not in ("enter", "escape"):
                return True
            if event.synthetic:
                return False  # another program's key: through to its window, and no answer
            if event.key == "enter" and typed[0]:
                typed[0] = False
                return False  # the end of a typed line (the console's "n" Enter)
            deliver(Answer(event.key == "enter", "keys", "Enter" if event.key == "enter" else "Escape"))
            return True

        try:
            grabber = XGrabber(on_key, on_typed).start()
        except NoXInput:
            self._listen_pynput(deliver, done, armed)
            return
        try:
            grabber.grab(frozenset({"enter"}))
            grabber.grab(frozenset({"escape"}))
            armed()
            done.wait()
        finally:
            grabber.close()  # the grabs end with the question

    def _listen_pynput(self, deliver: Callable[[Answer], None], done: threading.Event,
                       armed: Callable[[], None]) -> None:
        import sys

        from pynput import keyboard  # lazy: needs a display

        typed, injected = [False], [False]
        hooks: dict[str, Any] = {}
        if sys.platform == "win32":  # LLKHF_INJECTED marks keys sent by a program (SendInput)
            def win32_filter(msg: int, data: Any) -> bool:
                injected[0] = bool(data.flags & 0x10)
                return True

            hooks["win32_event_filter"] = win32_filter

        def on_press(key: Any) -> bool | None:
            if injected[0]:
                return None
            if key == keyboard.Key.esc:
                deliver(Answer(False, "keys", "Escape"))
                return False
            if key == keyboard.Key.enter:
                if typed[0]:
                    typed[0] = False
                    return None
                deliver(Answer(True, "keys", "Enter"))
                return False
            if getattr(key, "char", None):
                typed[0] = True
            return None

        listener = keyboard.Listener(on_press=on_press, **hooks)
        listener.start()
        listener.wait()  # its hook is in place
        armed()
        try:
            while not done.wait(0.05) and listener.is_alive():
                pass
        finally:
            listener.stop()  # no join(): it can hang until the next key event (measured)


class VoiceSource:
    """Hold the talk chord and say yes or no. `capture(done)` returns one recorded utterance (or None when
    `done` was set first); `transcribe(audio)` turns it into text (with the answer hint, ANSWER_HOTWORDS).

    `unprimed(audio)`, when given, reads the same audio with no hint at all: a yes counts only when that
    reading is a yes too. The hint ("Yes. No. Confirm. Cancel.") makes tiny.en hear answers, and so it heard
    "um", "er" and "eh" as "Confirm.", "Yes.", "Yeah." (hesitations read as a yes: 5/50 dev, 2/50 held-out
    -> 3/50 and 0/50; yes answers kept 40/40 -> 39/40 and 38/40 -> 35/40, mostly "confirm"; see
    tests/safety/test_handsfree_answers.py). A no needs no second reading: a false no only asks again."""

    name = "voice"

    def __init__(self, capture: Callable[[threading.Event], Any], transcribe: Callable[[Any], str],
                 chord: str = "the talk chord", on_unclear: Callable[[str], None] | None = None,
                 hint: str | None = None, unprimed: Callable[[Any], str] | None = None) -> None:
        self.capture = capture
        self.transcribe = transcribe
        self.unprimed = unprimed
        # Hands-free (hotkey.mode always): the next utterance after the question is the answer, no key.
        self.hint = hint or f"hold {chord} and say yes or no"
        self.on_unclear = on_unclear

    def listen(self, deliver: Callable[[Answer], None], done: threading.Event) -> None:
        while not done.is_set():
            audio = self.capture(done)
            if audio is None or done.is_set():
                continue
            text = self.transcribe(audio)
            verdict = match_answer(text)
            if verdict and self.unprimed is not None and match_answer(plain := self.unprimed(audio)) is not True:
                verdict, text = None, f"{text} (unprimed: {plain})"  # the hint's yes, not the speaker's
            if verdict is not None:
                deliver(Answer(verdict, "voice", text))
                return
            if self.on_unclear:
                self.on_unclear(text)


class StopSource:
    """The emergency stop hotkey pressed during a confirmation answers no."""

    name = "stop"
    hint = ""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop

    def listen(self, deliver: Callable[[Answer], None], done: threading.Event) -> None:
        while not done.is_set():
            if self.stop.wait(0.05):
                deliver(Answer(False, "stop", "emergency stop"))
                return


def how_to_answer(sources: Iterable[Source]) -> str:
    hints = [s.hint for s in sources if s.hint]
    if not hints:
        return "No way to answer is available"
    text = ", ".join(hints[:-1]) + (f", or {hints[-1]}" if len(hints) > 1 else hints[-1])
    return text[0].upper() + text[1:]
