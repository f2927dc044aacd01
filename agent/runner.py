"""Driving one utterance, text command or ready plan through the agent graph, for every entry point.

`drive()` starts the graph, and whenever it pauses at `confirm` it asks (`Asker`) and resumes it with
the answer, printing each step as it happens. `voxctl listen`, `do`, `run` and `exec` all come through
here, so they share the policy, the confirmation, the audit log and the emergency stop.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from voxctl.agent.answer_sources import ConsoleSource, KeySource, Source, StopSource, how_to_answer
from voxctl.agent.answers import Answer
from voxctl.agent.config import Config
from voxctl.agent.confirm import ask, render_prompt
from voxctl.agent.feedback import Feedback

# Asker: the interrupt payload -> the answer.
Asker = Callable[[Mapping[str, Any]], Answer]

# answered: a question to voxctl itself ("what can I say", "start recording"), answered
EXIT_CODES = {"done": 0, "answered": 0, "invalid": 2, "denied": 3}


def exit_code(status: str) -> int:
    """0 when everything ran, 2 for a broken plan, 3 when the policy refused, 1 for anything else."""
    return EXIT_CODES.get(status, 1)


def fixed_asker(answer: Answer) -> Asker:
    """Answers every confirmation the same way (`--yes`, `--dry-run`, `resume --no`)."""
    return lambda payload: answer


def interactive_asker(config: Config, feedback: Feedback, sources: list[Source]) -> Asker:
    """Shows the prompt and waits for the first answer from `sources` (timeout: no)."""

    def asker(payload: Mapping[str, Any]) -> Answer:
        usable = [s for s in sources if s.hint]
        if not usable:
                return Answer(False, "none")
        text = render_prompt(payload, how_to_answer(sources), config.confirm.timeout_s)
        return ask(sources, config.confirm.timeout_s, on_error=feedback.note, show=lambda: feedback.prompt(text))

    return asker


def cli_sources(config: Config, agent: Any, feedback: Feedback) -> list[Source]:
    """What a one-shot command can answer with: the console when stdin is a terminal, Enter/Escape
    when there is a display, and the emergency stop."""
    sources: list[Source] = [StopSource(agent.stop)]
    if sys.stdin.isatty():
        sources.append(ConsoleSource(sys.stdin.fileno(),
                                     on_unclear=lambda t: feedback.note(f"{t!r} is not yes or no")))
    if config.confirm.by_keys and os.environ.get("DISPLAY") and not agent.dry_run:
        sources.append(KeySource())
    return sources


def stop_hotkey(config: Config, stop: Any, feedback: Feedback) -> Any:
    """The emergency stop chord for a one-shot command (None when there is no display to listen on)."""
    if not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        return None
    from voxctl.agent.listen.hotkey import HotkeyError, HotkeyListener

    try:
        return HotkeyListener(config.hotkey.talk, stop_chord=config.hotkey.stop, on_stop_chord=stop.set).start()
    except HotkeyError as e:
        feedback.note(f"the emergency stop chord is not available: {e}")
        return None


def pending(agent: Any, thread_id: str) -> Mapping[str, Any] | None:
    """The interrupt payload when the thread is paused at confirm, else None."""
    snap = agent.graph.get_state(agent.cfg(thread_id))
    if tuple(snap.next) != ("confirm",) or not snap.interrupts:
        return None
    return snap.interrupts[0].value


def answer_pending(agent: Any, thread_id: str, asker: Asker, feedback: Feedback,
                   on_update: Callable[[str, Any], None] | None = None) -> dict[str, Any]:
    """Ask and resume while the thread waits at confirm; returns the thread's final values.
    `on_update`: instead of `feedback.on_update` (the listen loop's also plays earcons)."""
    while (payload := pending(agent, thread_id)) is not None:
        answer = asker(payload)
        feedback.answer(answer.to_json())
        agent.resume(thread_id, answer.to_json(), on_update=on_update or feedback.on_update)
    return agent.values(thread_id)


def drive(agent: Any, feedback: Feedback, asker: Asker, *, utterance: Any = None, plan: Any = None,
          thread_id: str | None = None) -> dict[str, Any]:
    """Run one utterance or plan to its end, asking when the graph pauses; returns the final state."""
    tid = agent.start(utterance=utterance, plan=plan, thread_id=thread_id, on_update=feedback.on_update)
    return answer_pending(agent, tid, asker, feedback)


def one_shot(config: Config, *, dry_run: bool, yes: bool, utterance: Any = None, plan: Any = None,
             interpreter: Any = None, feedback: Feedback | None = None) -> int:
    """`voxctl do` / `run` / `exec`: one input through the graph; returns the exit code."""
    from voxctl.agent.graph import Agent
    from voxctl.agent.macros import MacroError
    from voxctl.agent.session import Session

    feedback = feedback or Feedback(config.feedback)
    try:
        session = Session.build(config)  # the macros file is read here, once
        agent = Agent(session, interpreter=interpreter, dry_run=dry_run)
    except MacroError as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    if utterance is not None and interpreter is None:
        from voxctl.agent.interpret.factory import InterpreterUnavailable, make_interpreter

        try:
            agent._interpreter = make_interpreter(session, notify=feedback.note)
        except InterpreterUnavailable as e:
            print(f"voxctl: {e}", file=sys.stderr)
            agent.close()
            return 2
    try:
        if utterance is not None and not utterance.screen.active_window:
            # What is on screen now, for the window rules (a command from a script has no recorder to ask).
            utterance = replace(utterance, screen=agent.screen_state())
        if dry_run:
            asker = fixed_asker(Answer(True, "dry-run"))
        elif yes:
            asker = fixed_asker(Answer(True, "--yes"))
        else:
            asker = interactive_asker(config, feedback, cli_sources(config, agent, feedback))
        hotkey = None if agent.dry_run else stop_hotkey(config, agent.stop, feedback)
        try:
            final = drive(agent, feedback, asker, utterance=utterance, plan=plan)
        finally:
            if hotkey is not None:
                hotkey.close()
        if agent.dry_run and hasattr(agent._desktop, "describe"):
            lines = agent._desktop.describe()
            feedback.note("dry run, nothing was touched; the desktop would have done:" if lines else
                          "dry run, nothing was touched")
            for line in lines:
                feedback.note(f"  {line}")
        return exit_code(final.get("status", ""))
    finally:
        agent.close()


def run_plan(plan: Any, config: Config, dry_run: bool = False, yes: bool = False) -> int:
    """`voxctl exec`: a ready plan enters the graph at validate."""
    return one_shot(config, dry_run=dry_run, yes=yes, plan=plan)
