"""Asking the person before a plan runs: the prompt, the answer sources, and the race between them.

Sources (each optional, chosen by `confirm.by_voice` / `confirm.by_keys` and by what the command has):
- voice: hold the talk chord and say "yes"/"confirm" or "no"/"cancel" (recorded, transcribed, matched);
- keys: Enter means yes, Escape means no (a global pynput listener);
- console: type y/yes or n/no and Enter in the terminal voxctl runs in;
- stop: the emergency stop hotkey during a confirmation means no.
The first answer wins; no answer within `confirm.timeout_s` means no. An unclear answer ("maybe")
is not an answer: the source keeps listening until the timeout.
"""

from __future__ import annotations

import os
import queue
import re
import select
import string
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from agent.feedback import describe_action

YES_WORDS = frozenset({"yes", "yeah", "yep", "yup", "ya", "confirm", "confirmed", "ok", "okay", "sure",
                       "affirmative", "proceed", "approve", "approved", "y"})
NO_WORDS = frozenset({"no", "nope", "nah", "cancel", "cancelled", "canceled", "stop", "abort", "negative",
                      "don't", "dont", "deny", "n"})
YES_PHRASES = ("do it", "go ahead", "run it")
NO_PHRASES = ("do not", "not now")
NEGATED_YES = re.compile(r"\b(?:don't|dont|do not) (?:do it|go ahead|run it)\b")
# Whisper's prompt for a spoken answer: tiny.en hears a lone "cancel" as "Can solve" or "Console"
# without it, and right with it (measured on flite and espeak voices).
ANSWER_HOTWORDS = "Yes. No. Confirm. Cancel."


@dataclass(frozen=True)
class Answer:
    approved: bool
    via: str  # voice | keys | console | stop | timeout | --yes | dry-run
    heard: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"approved": self.approved, "via": self.via, "heard": self.heard}


def match_answer(text: str) -> bool | None:
    """True for a clear yes, False for a clear no, None when it is neither or both ("yes, cancel")."""
    words_text = " ".join(re.sub(r"[^a-z' ]+", " ", text.lower().replace("’", "'")).split())
    no = bool(set(words_text.split()) & NO_WORDS) or any(p in words_text for p in NO_PHRASES)
    words_text = NEGATED_YES.sub(" ", words_text)  # "don't do it" is a no, not also a yes
    yes = bool(set(words_text.split()) & YES_WORDS) or any(p in words_text for p in YES_PHRASES)
    if yes == no:
        return None
    return yes


def _template() -> string.Template:
    text = resources.files("prompts").joinpath("confirm.md").read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.DOTALL)
    return string.Template(text.strip())


def render_prompt(payload: Mapping[str, Any], how: str, timeout: float,
                  macros: Mapping[str, list[Any]] | None = None) -> str:
    """The confirmation text for a paused graph's interrupt payload: exactly what will run, and why it asks."""
    actions = payload["plan"]["actions"]
    risks = {a["index"]: a["risk"] for a in payload["decision"]["actions"]}
    lines = [f"  {i + 1}. {describe_action(a, macros)}  [{risks.get(i, '?')}]" for i, a in enumerate(actions)]
    reasons = "; ".join(payload["decision"]["reasons"]) or "the configuration asks for it"
    window = payload.get("window", "")
    return _template().substitute(count=len(actions), actions="\n".join(lines), reasons=reasons, how=how,
                                  timeout=f"{timeout:g}", window=repr(window) if window else "the active window")


class Source(Protocol):
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
    """Enter = yes, Escape = no, pressed anywhere (pynput sees every key on the X display).

    An Enter that ends a typed line ("n" Enter at the console) belongs to the console source, so it is
    ignored here: only a bare Enter is a yes."""

    name = "keys"
    hint = "press Enter for yes or Escape for no"

    def listen(self, deliver: Callable[[Answer], None], done: threading.Event) -> None:
        from pynput import keyboard  # lazy: needs a display

        typed = [False]

        def on_press(key: Any) -> bool | None:
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

        listener = keyboard.Listener(on_press=on_press)
        listener.start()
        try:
            while not done.wait(0.05) and listener.is_alive():
                pass
        finally:
            listener.stop()  # no join(): it can hang until the next key event (measured)


class VoiceSource:
    """Hold the talk chord and say yes or no. `capture(done)` returns one recorded utterance (or None when
    `done` was set first); `transcribe(audio)` turns it into text."""

    name = "voice"

    def __init__(self, capture: Callable[[threading.Event], Any], transcribe: Callable[[Any], str],
                 chord: str = "the talk chord", on_unclear: Callable[[str], None] | None = None) -> None:
        self.capture = capture
        self.transcribe = transcribe
        self.hint = f"hold {chord} and say yes or no"
        self.on_unclear = on_unclear

    def listen(self, deliver: Callable[[Answer], None], done: threading.Event) -> None:
        while not done.is_set():
            audio = self.capture(done)
            if audio is None or done.is_set():
                continue
            text = self.transcribe(audio)
            verdict = match_answer(text)
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


def ask(sources: list[Source], timeout: float, on_error: Callable[[str], None] | None = None) -> Answer:
    """Wait for the first answer from any source; no answer within `timeout` seconds is a no."""
    answers: queue.Queue[Answer] = queue.Queue()
    done = threading.Event()

    def run(source: Source) -> None:
        try:
            source.listen(answers.put, done)
        except Exception as e:  # one broken source (no display, no microphone) must not block the others
            if on_error is not None:
                on_error(f"{source.name} answers are unavailable: {e}")

    for s in sources:
        threading.Thread(target=run, args=(s,), name=f"confirm-{s.name}", daemon=True).start()
    try:
        return answers.get(timeout=timeout)
    except queue.Empty:
        return Answer(False, "timeout")
    finally:
        done.set()
