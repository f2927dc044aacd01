"""What the person sees and hears: what was heard, what will run (and why it asks), what happened.

Printed with rich; with `feedback.speak` the plan and the outcome are also read back by espeak-ng (in the
background, so speaking never delays an action). Failures are said in plain words, never as tracebacks.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from rich.markup import escape as esc

from agent.config import FeedbackConfig

STATUS_STYLE = {"done": "green", "nothing": "yellow", "cancelled": "yellow", "denied": "red", "failed": "red",
                "stopped": "red", "uncertain": "red", "invalid": "red", "error": "red"}
RISK_STYLE = {"low": "green", "medium": "yellow", "high": "bold red"}


def describe_action(action: Mapping[str, Any], macros: Mapping[str, list[Any]] | None = None) -> str:
    """One action in plain words: exactly what will run."""
    tool, a = action["tool"], action.get("args", {})
    if tool == "click":
        kind = {1: "click", 2: "double-click", 3: "triple-click"}[a.get("count", 1)]
        if a.get("button", "left") != "left":
            kind = f"{a['button']}-{kind}"
        if a.get("target"):
            return f"{kind} on the text {a['target']!r}"
        if a.get("x") is not None:
            return f"{kind} at {a['x']}, {a['y']}"
        return f"{kind} where the pointer is"
    if tool == "move_mouse":
        return f"move the mouse to {a['x']}, {a['y']}"
    if tool == "nudge_mouse":
        return f"move the mouse {a.get('pixels', 50)} px {a['direction']}"
    if tool == "drag":
        start = f"from {a['from_x']}, {a['from_y']} " if a.get("from_x") is not None else ""
        return f"drag {start}to {a['to_x']}, {a['to_y']}"
    if tool == "scroll":
        return f"scroll {a['direction']} {a.get('amount', 3)}"
    if tool == "type_text":
        return f"type {a['text']!r}"
    if tool == "press_keys":
        times = f" {a['repeat']} times" if a.get("repeat", 1) > 1 else ""
        return f"press {'+'.join(a['keys'])}{times}"
    if tool == "open_app":
        return f"open {a['name']!r}"
    if tool == "focus_window":
        return f"switch to the window titled {a['title']!r}"
    if tool == "close_window":
        return "close the active window"
    if tool == "wait":
        return f"wait {a['seconds']:g} s"
    if tool == "screenshot":
        return f"take a screenshot{' to ' + a['path'] if a.get('path') else ''}"
    if tool == "run_macro":
        steps = _macro_steps(a["name"], macros or {})
        return f"run macro {a['name']!r}" + (f" ({'; '.join(steps)})" if steps else "")
    return f"{tool}({', '.join(f'{k}={v!r}' for k, v in a.items())})"


def _macro_steps(name: str, macros: Mapping[str, list[Any]]) -> list[str]:
    from tools.macros import find_macro

    key = find_macro(name, dict(macros))
    if key is None:
        return []
    return [describe_action(s.model_dump(mode="json") if hasattr(s, "model_dump") else s) for s in macros[key]]


class Feedback:
    """Console (rich) and optional spoken feedback. `on_update` plugs straight into Agent.start/resume."""

    def __init__(self, config: FeedbackConfig | None = None, console: Any = None,
                 macros: Mapping[str, list[Any]] | None = None, quiet: bool = False) -> None:
        from rich.console import Console

        self.config = config or FeedbackConfig()
        self.console = console or Console(highlight=False, soft_wrap=True)  # no hard wraps in pipes and logs
        self.macros = macros or {}
        self.quiet = quiet
        self._speaker: subprocess.Popen | None = None
        self._warned = False
        self._plan: Mapping[str, Any] | None = None
        self._outcomes: list[Mapping[str, Any]] | None = None

    # --- speech ----------------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        """Read `text` aloud with espeak-ng when feedback.speak is on; a newer message cuts off an older one."""
        if not self.config.speak:
            return
        if shutil.which("espeak-ng") is None:
            if not self._warned:
                self.console.print("[yellow]feedback.speak is on but espeak-ng is not installed[/]")
                self._warned = True
            return
        if self._speaker is not None and self._speaker.poll() is None:
            self._speaker.terminate()
        self._speaker = subprocess.Popen(["espeak-ng", "-v", self.config.voice, text],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # --- pieces ----------------------------------------------------------------------------------------
    def banner(self, rows: list[tuple[str, str]]) -> None:
        width = max((len(k) for k, _ in rows), default=0)
        for k, v in rows:  # plain lines, not a table: a long path must not be cut off in a narrow terminal
            self.console.print(f"[bold]{k:{width}}[/]  {esc(v)}")

    def heard(self, transcript: str, seconds: float | None = None) -> None:
        if self.quiet:
            return
        dur = f" [dim]({seconds:.1f} s)[/]" if seconds else ""
        self.console.print(f"[bold cyan]heard[/] {esc(repr(transcript))}{dur}" if transcript
                           else f"[bold cyan]heard[/] nothing{dur}")

    def plan(self, plan: Mapping[str, Any], decision: Mapping[str, Any] | None = None) -> None:
        if self.quiet:
            return
        risks = {a["index"]: a for a in (decision or {}).get("actions", [])}
        for i, action in enumerate(plan.get("actions", [])):
            r = risks.get(i, {})
            risk = r.get("risk", "")
            tag = f"[{RISK_STYLE.get(risk, '')}]{risk:6}[/]" if risk else ""
            self.console.print(f"  {i + 1:2}. {tag} {esc(describe_action(action, self.macros))}")
        if decision and decision.get("verdict") == "confirm":
            self.say("About to " + "; then ".join(describe_action(a, self.macros) for a in plan.get("actions", [])))

    def prompt(self, text: str) -> None:
        self.console.print(f"[bold yellow]{esc(text)}[/]")

    def answer(self, answer: Mapping[str, Any]) -> None:
        if answer["via"] in ("none", "timeout"):
            return  # the summary says it
        if answer["via"] in ("--yes", "dry-run"):
            self.console.print(f"[dim]confirmation: approved by {answer['via']}[/]")
            return
        word = "yes" if answer["approved"] else "no"
        heard = f" (heard {answer['heard']!r})" if answer.get("heard") else ""
        self.console.print(f"[bold]answer:[/] {word} via {esc(answer['via'] + heard)}")

    def report(self, status: str, summary: str, outcomes: list[Mapping[str, Any]] | None = None) -> None:
        for row in outcomes or []:
            if row["state"] == "ok" or self.quiet:
                continue
            self.console.print(f"  [red]{row['state']:9}[/] {row['index'] + 1}. {row['tool']}"
                               + (f": {esc(row['message'])}" if row.get("message") else ""))
        self.console.print(f"[{STATUS_STYLE.get(status, 'bold')}]{esc(summary)}[/]")
        if status not in ("done",):
            self.say(summary)

    def note(self, text: str) -> None:
        self.console.print(f"[dim]{esc(text)}[/]")

    def error(self, text: str) -> None:
        self.console.print(f"[bold red]error:[/] {esc(text)}")
        self.say(text)

    # --- graph updates ---------------------------------------------------------------------------------
    def on_update(self, node: str, update: Any) -> None:
        """Show each node's result as it arrives, so the plan is on screen before anything runs."""
        if not isinstance(update, Mapping):
            return
        if node == "interpret" and "plan" in update:
            self.heard(update.get("transcript", ""), update.get("audio_seconds"))
        elif node == "validate" and update.get("plan"):
            self._plan = update["plan"]
        elif node == "policy" and self._plan is not None:
            self.plan(self._plan, update["decision"])
        elif node == "execute":
            self._outcomes = update.get("outcomes")
        elif node == "report":
            self.report(update["status"], update["summary"], self._outcomes)
            self._plan = self._outcomes = None
