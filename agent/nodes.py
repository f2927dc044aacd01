"""The steps of a run, one per node of the agent's graph (agent/graph.py wires them and drives the runs):
interpret, validate, policy, confirm (only the interrupt), execute (durably: agent/durable.py), report.

The plan judged is the plan run: `validate` expands the session's macros into the plan (after measuring
its size against the policy's budget, so a fan-out is refused before it is built), and from there on the
state holds only primitive steps (`plan`, still a valid ActionPlan) with `origins` beside them: for each
step, the macros it came from, outermost first. Nothing re-reads the macros file (agent/session.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from voxctl.agent import approval, grounding
from voxctl.agent.durable import run_durably
from voxctl.agent.macros import MacroError
from voxctl.agent.meta import answer_itself
from voxctl.agent.policy import Decision, Screen
from voxctl.agent.utterance import ScreenState, Utterance
from voxctl.tools.registry import validate_plan

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from langgraph.checkpoint.sqlite import SqliteSaver

    from voxctl.agent.audit import AuditLog
    from voxctl.agent.config import Config
    from voxctl.agent.interpret.guessed import Guesses
    from voxctl.agent.journal import HistoryJournal
    from voxctl.agent.policy import Policy
    from voxctl.agent.recording import MacrosFile
    from voxctl.agent.session import Session


class AgentState(TypedDict, total=False):
    thread_id: str
    input: str  # voice | audio | text | plan
    text: str  # the typed command (`voxctl do`)
    transcript: str
    audio_seconds: float
    window: str  # active window title when the person spoke
    titles: list[str]  # the window titles the interpreter was shown (untrusted: see agent/grounding.py)
    model_transcript: bool  # the transcript was written by the model that planned (an audio LLM): see grounding
    dry_run: bool
    plan: dict[str, Any]  # ActionPlan JSON; from validate on, macros expanded into their steps
    origins: list[list[str]]  # per action of `plan`: the macros it came from, outermost first
    problems: list[str]
    decision: dict[str, Any]  # policy.Decision JSON
    answer: dict[str, Any]  # {"approved": bool, "via": str, "heard": str}
    outcomes: list[dict[str, Any]]  # one per action: index, tool, state, message
    status: str
    summary: str


@dataclass
class Turn:
    """Per-run data that must not be checkpointed (the audio)."""

    utterance: Utterance | None = None


def as_answer(value: Any) -> dict[str, Any]:
    """The resume value as an answer; anything that is not a clear yes is a no."""
    if isinstance(value, bool):
        return {"approved": value, "via": "api", "heard": ""}
    if isinstance(value, dict) and isinstance(value.get("approved"), bool):
        return {"approved": value["approved"], "via": str(value.get("via", "api")), "heard": str(value.get("heard", ""))}
    return {"approved": False, "via": "invalid", "heard": repr(value)[:80]}


class Nodes:
    """The node functions, as methods of the Agent (agent/graph.py), which holds what they use."""

    session: Session
    config: Config
    interpreter: Any
    desktop: Any
    audit: AuditLog
    policy: Policy
    journal: HistoryJournal
    macros_file: MacrosFile | None
    saver: SqliteSaver
    stop: threading.Event
    guesses: Guesses
    dry_run: bool
    while_executing: Callable[[], AbstractContextManager[Any]]

    def _interpret(self, state: AgentState, runtime: Runtime[Turn]) -> dict[str, Any]:
        utt = runtime.context.utterance if runtime.context else None
        if utt is None and state.get("text"):
            utt = Utterance.from_text(state["text"], ScreenState(active_window=state.get("window", "")))
        if utt is None:
            return {"status": "error", "problems": ["the audio of this utterance was not kept; say it again"]}
        try:
            plan = self.interpreter.interpret(utt)
        except Exception as e:  # a backend bug must end this utterance, not the agent
            return {"status": "error", "problems": [f"could not understand: {type(e).__name__}: {e}"]}
        plan = self.guesses.answer(plan)  # "yes" to the guess said back last: the guess is this utterance's plan
        transcript = plan.transcript or state.get("transcript", "")
        self.audit.record(state["thread_id"], transcript=transcript, plan=plan.to_json(), status="interpreted")
        return {"plan": plan.to_json(), "transcript": transcript, "audio_seconds": state.get("audio_seconds", 0.0),
                "titles": [utt.screen.active_window, *utt.screen.window_titles],
                "model_transcript": model_transcript(self.config, plan.source, utt)}

    def _validate(self, state: AgentState) -> dict[str, Any]:
        tid = state["thread_id"]
        plan, problems = validate_plan(state.get("plan") or {})
        if plan is None:
            return {"status": "invalid", "problems": problems}
        if not plan.actions:
            return {"status": "nothing", "summary": plan.reason or "nothing to do"}
        # "what can I say", "again", "start/stop recording" (agent/meta.py)
        answered = answer_itself(plan, self, tid)
        if isinstance(answered, dict):
            return answered
        plan, repeated = answered
        macros = self.session.macros
        try:
            size = macros.measure(plan.actions)  # counted, not built: a fan-out is refused before it exists
        except MacroError as e:
            return {"status": "invalid", "problems": [str(e)]}
        has_macros = any(c.tool == "run_macro" for c in plan.actions)  # type: ignore[attr-defined]
        too_big = self.policy.budget(size.actions, size.primitives, expanded=has_macros)
        if too_big:
            decision = Decision("deny", tuple(too_big)).to_json()
            self.audit.record(tid, plan=state["plan"], decision=decision, status="denied")
            return {"status": "denied", "decision": decision}
        expansion = macros.expand(plan.actions)
        if repeated:
            expansion.origins[:] = repeated
        expanded = plan.model_copy(update={"actions": expansion.actions}).to_json()
        self.audit.record(tid, plan={**expanded, "origins": expansion.origins} if has_macros else expanded)
        return {"status": "valid", "plan": expanded, "origins": expansion.origins}

    def _policy(self, state: AgentState) -> dict[str, Any]:
        plan, _ = validate_plan(state["plan"])
        recent = self.audit.executed_since(time.time() - 60)
        screen = Screen.of(self.desktop)
        decision = self.policy.decide(plan, state.get("window", ""), recent,  # type: ignore[arg-type]
                                      state.get("origins"), screen)
        # Actions the speech did not ask for (a window title steering the model) are asked about.
        titles = [*state.get("titles", ()), state.get("window", ""), *(w.title for w in (screen.windows if screen else ()))]
        decision = grounding.judge(decision, grounding.check(plan, titles, state.get("origins"),
                                                             bool(state.get("model_transcript"))))
        status = {"deny": "denied", "confirm": "awaiting", "run": "approved"}[decision.verdict]
        self.audit.record(state["thread_id"], decision=decision.to_json(), status=status)
        if decision.verdict != "deny":  # the approval, asked or not, holds for this desktop and window only
            approval.record(self.audit, state["thread_id"], approval.here(self.desktop, self.dry_run), "policy")
        return {"decision": decision.to_json(), "status": status}

    @staticmethod
    def _after_policy(state: AgentState) -> str:
        return {"deny": "report", "confirm": "confirm", "run": "execute"}[state["decision"]["verdict"]]

    @staticmethod
    def _confirm(state: AgentState) -> dict[str, Any]:
        # Nothing but the interrupt: resuming re-runs this node, so it must have no side effects.
        answer = interrupt({"thread_id": state["thread_id"], "plan": state["plan"], "decision": state["decision"],
                            "window": state.get("window", ""), "origins": state.get("origins") or []})
        return {"answer": as_answer(answer)}

    def _execute(self, state: AgentState) -> dict[str, Any]:
        tid = state["thread_id"]
        plan, _ = validate_plan(state["plan"])
        calls = list(plan.actions)  # type: ignore[union-attr]
        progress = self.audit.actions(tid)
        fields: dict[str, Any] = {"status": "executing"}
        if "answer" in state:
            fields["answer"] = state["answer"]
        if not progress and not self.dry_run:
            fields["executed"] = time.time()  # counted by the rate limit
        self.audit.record(tid, **fields)

        with self.while_executing():
            rows, problems = run_durably(tid, calls, progress, self.audit,
                                         lambda hook: self.session.tool_context(self.desktop, self.stop, hook,
                                                                                submit_confirmed(state),
                                                                                journal=self.journal,
                                                                                confirmed=approved(state),
                                                                                macros_file=self.macros_file),
                                         approval.Binding(self.audit, tid, self.desktop, self.dry_run))
        return {"outcomes": rows, "status": "executed", **({"problems": problems} if problems else {})}

    def _report(self, state: AgentState) -> dict[str, Any]:
        status, summary = summarize(state)
        self.audit.record(state["thread_id"], status=status, summary=summary, answer=state.get("answer"))
        for tid in self.audit.prune(self.config.history.keep_last):
            self.saver.delete_thread(tid)
        return {"status": status, "summary": summary}



def model_transcript(config: Any, source: str, utt: Utterance) -> bool:
    """Whether the plan's transcript is the planning model's own claim of what it heard (an audio LLM, in
    process or a server sent the audio), not the recogniser's or the typed words."""
    if source not in ("audio_llm", "remote") or utt.text is not None or utt.transcript is not None:
        return False
    from voxctl.agent.interpret.backends import hears_audio

    return utt.audio is not None and hears_audio(source, config.interpreter)


def approved(state: AgentState) -> bool:
    """Whether the person said yes to this plan (the guard then lets an app's irreversible keys through)."""
    return bool((state.get("answer") or {}).get("approved"))


def submit_confirmed(state: AgentState) -> bool:
    """Whether the person said yes to a decision that named a line submitted in a command window: only then
    does the guard let such a line through (tools/guard.py)."""
    answer = state.get("answer") or {}
    return bool(answer.get("approved")) and bool((state.get("decision") or {}).get("submits"))


def summarize(state: AgentState) -> tuple[str, str]:
    """The final status and one plain sentence for the person."""
    status = state.get("status", "")
    problems = state.get("problems") or []
    if status in ("error", "invalid"):
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        return status, "; ".join(problems[:3]) + more or status
    if status == "answered":  # "what can I say", "start recording": the answer is the summary
        return "answered", state.get("summary", "")
    if status == "nothing":
        return "nothing", state.get("summary") or "nothing to do"
    if status == "denied":
        return "denied", "not run: " + "; ".join(state["decision"]["reasons"])
    answer = state.get("answer")
    if answer is not None and not answer["approved"]:
        why = {"timeout": "no answer in time", "none": "there was no way to answer here (pass --yes)",
               "stop": "the emergency stop was pressed"}.get(answer["via"], f"answered no ({answer['via']})")
        return "cancelled", f"cancelled, {why}; nothing was run"
    rows = state.get("outcomes") or []
    ran = sum(r["state"] == "ok" for r in rows)
    total = len(rows)
    for kind, label in (("stopped", "stopped"), ("uncertain", "uncertain"), ("failed", "failed")):
        bad = next((r for r in rows if r["state"] == kind), None)
        if bad is not None:
            head = {"stopped": "emergency stop", "uncertain": "interrupted", "failed": "failed"}[kind]
            return label, (f"{head} at action {bad['index'] + 1} ({bad['tool']}): {bad['message']}; "
                           f"{ran} of {total} ran, the rest did not")
    if rows and any(r["state"] == "not_run" for r in rows):
        if problems:
            return "failed", "; ".join(problems)
        return "stopped", f"emergency stop: {ran} of {total} actions ran, nothing after the stop"
    return "done", f"done: {ran} action{'s' if ran != 1 else ''} ran"
