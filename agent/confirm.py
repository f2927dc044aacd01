"""Asking the person before a plan runs: the prompt, the answer sources, and the race between them.

Sources (each optional, chosen by `confirm.by_voice` / `confirm.by_keys` and by what the command has):
- voice: hold the talk chord and say "yes"/"confirm" or "no"/"cancel" (recorded, transcribed, matched);
  in hotkey.mode always no key: the next utterance after the question is the answer;
- keys: Enter means yes, Escape means no, from a real keyboard (grabbed on X11 while the question is open);
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
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from voxctl.agent.feedback import describe_action
from voxctl.tools.words import words_in


def _answer_words() -> dict[str, Any]:
    """prompts/answers.yaml: the words and phrases that answer yes or no."""
    import yaml

    return yaml.safe_load(resources.files("voxctl.prompts").joinpath("answers.yaml").read_text(encoding="utf-8"))


_WORDS = _answer_words()
YES_WORDS = frozenset(_WORDS["yes_words"])
NO_WORDS = frozenset(_WORDS["no_words"])
YES_PHRASES = tuple(_WORDS["yes_phrases"])
NO_PHRASES = tuple(_WORDS["no_phrases"])
# What else a yes may hold: a yes is the whole utterance, never a word inside a sentence (answers.yaml).
YES_ALONE = YES_WORDS | frozenset(_WORDS["fillers"])
NEGATED_YES = re.compile(r"\b(?:" + "|".join(map(re.escape, _WORDS["negations"])) + ") (?:"
                         + "|".join(map(re.escape, YES_PHRASES)) + r")\b")
# A reply to "did you mean ...?": yes/no words, fillers and pointing words (answers.yaml `reply_words`).
REPLY_WORDS = YES_ALONE | NO_WORDS | frozenset(_WORDS["reply_words"])
# Whisper's prompt for a spoken answer (see answers.yaml).
ANSWER_HOTWORDS = str(_WORDS["hint"])

@dataclass(frozen=True)
class Answer:
    approved: bool
    via: str  # voice | keys | console | stop | timeout | --yes | dry-run
    heard: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"approved": self.approved, "via": self.via, "heard": self.heard}


def match_answer(text: str) -> bool | None:
    """True for a clear yes, False for a clear no, None when it is neither or both ("yes, cancel"), or a
    yes inside a sentence that is not an answer ("yes, we should go to the park": overheard)."""
    words_text = " ".join(words_in(text, digits=False))  # an answer's words: letters and apostrophes
    no = bool(set(words_text.split()) & NO_WORDS) or any(p in words_text for p in NO_PHRASES)
    words_text = NEGATED_YES.sub(" ", words_text)  # "don't do it" is a no, not also a yes
    yes = bool(set(words_text.split()) & YES_WORDS) or any(p in words_text for p in YES_PHRASES)
    if yes == no:
        return None
    if yes:  # only yes words, yes phrases and fillers: hands-free, any sentence heard next is "the answer"
        rest = words_text
        for p in YES_PHRASES:
            rest = re.sub(r"\b" + re.escape(p) + r"\b", " ", rest)
        if not set(rest.split()) <= YES_ALONE:
            return None
    return yes


def only_a_reply(text: str) -> bool:
    """Whether `text` is a yes or a no and nothing of a command (the interpreters run no plan for it)."""
    said = set(words_in(text, digits=False))
    return bool(said & (YES_WORDS | NO_WORDS)) and said <= REPLY_WORDS


def _templates() -> tuple[string.Template, string.Template]:
    """prompts/confirm.md: the question, and (after a `---` line) the line naming several destructive actions."""
    text = resources.files("voxctl.prompts").joinpath("confirm.md").read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.DOTALL)
    question, _, several = text.partition("\n---\n")
    return string.Template(question.strip()), string.Template(several.strip())


def _counted(descriptions: list[str]) -> str:
    """"press ctrl+w (2 times); close the active window": each distinct action once, with its count."""
    counts = dict.fromkeys(descriptions, 0)
    for d in descriptions:
        counts[d] += 1
    return "; ".join(d + (f" ({n} times)" if n > 1 else "") for d, n in counts.items())


def render_prompt(payload: Mapping[str, Any], how: str, timeout: float) -> str:
    """The confirmation text for a paused graph's interrupt payload: exactly what will run (macros
    expanded, each step with the macro it came from), why it asks, and how many actions are destructive
    when there are several (two "close tab"s must not read like one)."""
    from voxctl.agent.feedback import from_macros, origin_of

    actions = payload["plan"]["actions"]
    origins = payload.get("origins")
    risks = {a["index"]: a["risk"] for a in payload["decision"]["actions"]}
    said = [describe_action(a) for a in actions]
    lines = [f"  {i + 1}. {said[i]}{from_macros(origin_of(origins, i))}  [{risks.get(i, '?')}]"
             for i in range(len(actions))]
    high = [said[i] for i in range(len(actions)) if risks.get(i) == "high"]
    question, several = _templates()
    destructive = several.substitute(n=len(high), list=_counted(high)) if len(high) > 1 else ""
    reasons = "; ".join(payload["decision"]["reasons"]) or "the configuration asks for it"
    window = payload.get("window", "")
    text = question.substitute(count=len(actions), actions="\n".join(lines), reasons=reasons, how=how,
                               timeout=f"{timeout:g}", window=repr(window) if window else "the active window",
                               destructive=destructive)
    return re.sub(r"\n{2,}", "\n", text)


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


# How long the question waits for a source to arm (a key grab on a busy X server) before it shows anyway.
ARM_WAIT_S = 5.0
# The longest the waiting thread sleeps at a time: how late a Ctrl+C taken by another thread is acted on.
WAKE_S = 0.2


def ask(sources: list[Source], timeout: float, on_error: Callable[[str], None] | None = None,
        show: Callable[[], None] | None = None) -> Answer:
    """Wait for the first answer from any source; no answer within `timeout` seconds is a no. `show` puts the
    question in front of the person: it runs once every arming source is ready (Enter/Escape grabbed), so
    an Enter pressed the moment the question appears answers it and never reaches the focused app."""
    answers: queue.Queue[Answer] = queue.Queue()
    done = threading.Event()
    arming = [threading.Event() for s in sources if getattr(s, "arms", False)]
    pending = iter(arming)

    def run(source: Source, armed: threading.Event | None) -> None:
        try:
            if armed is None:
                source.listen(answers.put, done)
            else:
                source.listen(answers.put, done, armed.set)  # type: ignore[call-arg]
        except Exception as e:  # one broken source (no display, no microphone) must not block the others
            if on_error is not None:
                on_error(f"{source.name} answers are unavailable: {e}")
        finally:
            if armed is not None:
                armed.set()

    for s in sources:
        armed = next(pending) if getattr(s, "arms", False) else None
        threading.Thread(target=run, args=(s, armed), name=f"confirm-{s.name}", daemon=True).start()
    deadline = time.monotonic() + ARM_WAIT_S
    for armed in arming:
        armed.wait(max(0.0, deadline - time.monotonic()))
    try:
        if show is not None:
            show()  # a Ctrl+C while it prints still ends every source (the finally below)
        return _first(answers, timeout)
    finally:
        done.set()


def _first(answers: queue.Queue[Answer], timeout: float) -> Answer:
    """The first answer, or a timeout's no; wakes every WAKE_S.

    Python runs a signal's handler only on the main thread, at its next bytecode; the kernel may hand a
    process's SIGINT to any of its threads, and a main thread asleep in one long wait is not woken by a
    signal another thread took: `voxctl exec` sat out the whole 60 s question after a Ctrl+C sent to one
    of its other threads (tests/test_resume.py; the one CI failure there waited out a 60 s timeout too)."""
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        try:
            return answers.get(timeout=max(0.0, min(WAKE_S, left)))
        except queue.Empty:
            if left <= WAKE_S:
                return Answer(False, "timeout")
