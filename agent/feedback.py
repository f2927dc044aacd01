"""What the person sees and hears: what was heard, what will run (and why it asks), what happened.

Printed with rich; with `feedback.speak` espeak-ng also says (in the background, so speaking never delays
an action) the question when a plan needs confirmation ("About to close the window. Yes or no?"), and
the outcome of every utterance: "done", or what went wrong. A plan that runs without asking is not read
out first: it is already running. Failures are said in plain words, never as tracebacks.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from rich.markup import escape as esc

from voxctl.agent.config import FeedbackConfig

STATUS_STYLE = {"done": "green", "nothing": "yellow", "cancelled": "yellow", "denied": "red", "failed": "red",
                "stopped": "red", "uncertain": "red", "invalid": "red", "error": "red"}
RISK_STYLE = {"low": "green", "medium": "yellow", "high": "bold red"}


def describe_action(action: Mapping[str, Any] | Any) -> str:
    """One action in plain words, exactly what will run; the tool's own `describe` says it."""
    from voxctl.tools.registry import TOOLS, validate_action

    call = action
    if isinstance(action, Mapping):
        call, _ = validate_action(action)
        if call is None:  # an old or broken record (history): show it as it is
            args = action.get("args") or {}
            shown = ", ".join(f"{k}={v!r}" for k, v in args.items()) if isinstance(args, Mapping) else repr(args)
            return f"{action.get('tool')}({shown})"
    return TOOLS[call.tool].describe_args(call.args)


def from_macros(origin: list[str] | tuple[str, ...] | None) -> str:
    """Where a step came from, for a person: " (macro 'tidy')", " (macro 'outer' > 'inner')", or ""."""
    if not origin:
        return ""
    if list(origin) == ["again"]:  # a step of the last plan, run again (agent/repeat.py)
        return " (again)"
    return " (macro " + " > ".join(repr(m) for m in origin) + ")"


def origin_of(origins: list[Any] | None, i: int) -> list[str]:
    return list(origins[i]) if origins and i < len(origins) and origins[i] else []


class Feedback:
    """Console (rich) and optional spoken feedback. `on_update` plugs straight into Agent.start/resume."""

    def __init__(self, config: FeedbackConfig | None = None, console: Any = None, quiet: bool = False) -> None:
        from rich.console import Console

        self.config = config or FeedbackConfig()
        self.console = console or Console(highlight=False, soft_wrap=True)  # no hard wraps in pipes and logs
        self.quiet = quiet
        self._speaker: subprocess.Popen | None = None
        self._warned = False
        self._plan: Mapping[str, Any] | None = None
        self._origins: list[Any] | None = None
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

    @property
    def speaking(self) -> bool:
        """Whether voxctl's own voice is sounding now (the open microphone must not hear it)."""
        return self._speaker is not None and self._speaker.poll() is None

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

    def plan(self, plan: Mapping[str, Any], decision: Mapping[str, Any] | None = None,
             origins: list[Any] | None = None) -> None:
        """The plan as it will run (macros expanded; each step says which macro it came from)."""
        if self.quiet:
            return
        risks = {a["index"]: a for a in (decision or {}).get("actions", [])}
        actions = plan.get("actions", [])
        for i, action in enumerate(actions):
            r = risks.get(i, {})
            risk = r.get("risk", "")
            tag = f"[{RISK_STYLE.get(risk, '')}]{risk:6}[/]" if risk else ""
            said = describe_action(action) + from_macros(origin_of(origins, i))
            self.console.print(f"  {i + 1:2}. {tag} {esc(said)}")
        if decision and decision.get("verdict") == "confirm":
            self.say("About to " + "; then ".join(describe_action(a) for a in actions) + ". Yes or no?")

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
        self.say("done" if status == "done" else summary)  # the outcome, always: the user may not be looking

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
            self._plan, self._origins = update["plan"], update.get("origins")
        elif node == "policy" and self._plan is not None:
            self.plan(self._plan, update["decision"], self._origins)
        elif node == "execute":
            self._outcomes = update.get("outcomes")
        elif node == "report":
            self.report(update["status"], update["summary"], self._outcomes)
            self._plan = self._outcomes = self._origins = None
