"""Asking the person before a plan runs: the prompt, and the race between the answer sources.

The sources (agent/answer_sources.py: voice, keys, console, stop) listen side by side; the first answer
(agent/answers.py) wins; no answer within `confirm.timeout_s` means no. An unclear answer ("maybe") is
not an answer: the source keeps listening until the timeout.
"""

from __future__ import annotations

import queue
import re
import string
import threading
import time
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

from voxctl.agent.answer_sources import Source
from voxctl.agent.answers import Answer
from voxctl.agent.feedback import describe_action


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
