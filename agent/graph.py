"""The agent as a LangGraph StateGraph, one node per concern:

    START ─► interpret ─► validate ─► policy ─► confirm ─► execute ─► report ─► END
      └──(a ready plan: `voxctl exec`)──┘    └───(run)────────┘
    (any node that finds nothing to do, a broken plan, a refusal or a "no" goes straight to report)

`confirm` only calls `interrupt()`: the graph pauses there (`get_state(cfg).next == ("confirm",)`) and is
resumed with `Command(resume={"approved": bool, "via": ..., "heard": ...})`, possibly by another process,
since every step is checkpointed (SqliteSaver, `durability="sync"`) in the audit log's SQLite file.
One graph thread per utterance. Raw audio never enters the checkpoint (only its length); it reaches the
interpret node through the run's context.

Exactly once: `execute` keeps durable per-action progress; see agent/durable.py.

The plan judged is the plan run: `validate` expands the session's macros into the plan (after measuring
its size against the policy's budget, so a fan-out is refused before it is built), and from there on the
state holds only primitive steps (`plan`, still a valid ActionPlan) with `origins` beside them: for each
step, the macros it came from, outermost first. Nothing re-reads the macros file (agent/session.py).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from voxctl.agent import approval, grounding
from voxctl.agent.audit import AuditLog, connect, history_path
from voxctl.agent.config import Config
from voxctl.agent.durable import run_durably
from voxctl.agent.journal import HistoryJournal
from voxctl.agent.lease import Leases
from voxctl.agent.macros import MacroError
from voxctl.agent.meta import answer_itself
from voxctl.agent.policy import Decision, Policy, Screen
from voxctl.agent.recording import MacrosFile, Recorder
from voxctl.agent.session import Session
from voxctl.agent.utterance import ScreenState, Utterance
from voxctl.tools.registry import ActionPlan, validate_plan


class AgentState(TypedDict, total=False):
    thread_id: str
    input: str  # voice | audio | text | plan
    text: str  # the typed command (`voxctl do`)
    transcript: str
    audio_seconds: float
    window: str  # active window title when the person spoke
    titles: list[str]  # the window titles the interpreter was shown (untrusted: see agent/grounding.py)
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


def new_thread_id() -> str:
    """Sortable and unique: the time of the utterance plus a random suffix."""
    return time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:8]


def storable(plan: dict[str, Any]) -> dict[str, Any]:
    """A ready plan as the checkpointer can store it: an integer beyond 64 bits (msgpack's limit) crashed
    the graph; as text, validation refuses it with a message instead."""
    return json.loads(json.dumps(plan, default=str),
                      parse_int=lambda t: int(t) if -(2**63) <= int(t) < 2**64 else t)


def as_answer(value: Any) -> dict[str, Any]:
    """The resume value as an answer; anything that is not a clear yes is a no."""
    if isinstance(value, bool):
        return {"approved": value, "via": "api", "heard": ""}
    if isinstance(value, dict) and isinstance(value.get("approved"), bool):
        return {"approved": value["approved"], "via": str(value.get("via", "api")), "heard": str(value.get("heard", ""))}
    return {"approved": False, "via": "invalid", "heard": repr(value)[:80]}


class Agent:
    """Owns the compiled graph, its checkpointer, the audit log, the policy and the desktop.

    `session`: the process's Session (a bare Config builds one, reading the macros file: MacroError)."""

    def __init__(self, session: Session | Config, *, interpreter: Any = None, desktop: Any = None,
                 dry_run: bool = False, stop: threading.Event | None = None, path: Any = None,
                 while_executing: Callable[[], AbstractContextManager[Any]] | None = None) -> None:
        self.session = Session.of(session)
        self.config = config = self.session.config
        # Wraps the execution of a plan (the listen loop mutes its talk hotkey: our own keys reach it).
        self.while_executing = while_executing or nullcontext
        self.dry_run = dry_run or config.desktop.backend == "dry_run"
        self._interpreter = interpreter
        self._desktop = desktop
        self.stop = stop or threading.Event()
        self.path = path or history_path(config)
        self.audit = AuditLog(self.path)
        self.leases = Leases(self.audit)  # one live process per run (agent/lease.py)
        self.policy = Policy(config.policy, self.session.hotkeys, apps=self.session.app_aliases)
        # What voxctl typed, for "scratch that"; a dry run reads it but types nothing real, so writes nothing.
        self.journal = HistoryJournal(self.audit, writable=not self.dry_run)
        # Macros recorded by voice and deleted by voice (agent/recording.py); a dry run changes no file.
        self.recorder = Recorder(self.audit)
        self.macros_file = None if self.dry_run else MacrosFile(config.interpreter.macros_file)
        from langgraph.checkpoint.sqlite import SqliteSaver

        self.saver = SqliteSaver(connect(self.path))
        self.graph = self._build().compile(checkpointer=self.saver)

    # --- parts built on first use ----------------------------------------------------------------------
    @property
    def interpreter(self) -> Any:
        if self._interpreter is None:
            from voxctl.agent.interpret.factory import make_interpreter

            self._interpreter = make_interpreter(self.session)
        return self._interpreter

    @property
    def desktop(self) -> Any:
        if self._desktop is None:
            self._desktop = self.session.make_desktop(dry_run=self.dry_run)
        return self._desktop

    def screen_state(self) -> ScreenState:
        """What is on screen now (for the policy's window rules); empty when the desktop cannot say."""
        try:
            win = self.desktop.active_window()
            return ScreenState(active_window=win.title if win else "", screen_size=tuple(self.desktop.screen_size()),
                           window_titles=tuple(w.title for w in self.desktop.windows()))
        except Exception:  # no display, no window manager: the policy then sees no window title
            return ScreenState()

    # --- driving ---------------------------------------------------------------------------------------
    @staticmethod
    def cfg(thread_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id}}

    def start(self, utterance: Utterance | None = None, plan: ActionPlan | dict[str, Any] | list[Any] | None = None,
              thread_id: str | None = None, on_update: Callable[[str, Any], None] | None = None) -> str:
        """Run a new utterance (or a ready plan) until it ends or pauses at confirm; returns the thread id."""
        tid = thread_id or new_thread_id()
        state: AgentState = {"thread_id": tid, "dry_run": self.dry_run, "problems": [], "outcomes": []}
        if plan is not None:
            state["plan"] = storable(plan.to_json() if isinstance(plan, ActionPlan) else
                                     {"actions": plan} if isinstance(plan, list) else dict(plan))
            state["input"] = "plan"
            state["transcript"] = str(state["plan"].get("transcript", ""))
        if utterance is not None:
            state["input"] = "text" if utterance.audio is None else "voice"
            state["text"] = utterance.text or ""
            state["transcript"] = utterance.transcript or utterance.text or ""
            state["audio_seconds"] = round(utterance.seconds, 3)
            state["window"] = utterance.screen.active_window
        elif plan is not None:
            state["window"] = self.screen_state().active_window
        self.audit.record(tid, input=state.get("input", ""), transcript=state.get("transcript", ""),
                          audio_seconds=state.get("audio_seconds"), window=state.get("window", ""))
        self._run(state, tid, on_update, Turn(utterance))
        return tid

    def resume(self, thread_id: str, answer: Any, on_update: Callable[[str, Any], None] | None = None) -> None:
        """Answer the confirmation the thread is paused at."""
        self._run(Command(resume=answer), thread_id, on_update, Turn())

    def carry_on(self, thread_id: str, on_update: Callable[[str, Any], None] | None = None) -> None:
        """Continue a thread cut off by a crash, from its last checkpoint (execute never repeats an action)."""
        self._run(None, thread_id, on_update, Turn())

    def _run(self, value: Any, tid: str, on_update: Callable[[str, Any], None] | None, turn: Turn) -> None:
        self.leases.claim(tid)  # LeaseHeld: another live voxctl process is running or asking about this run
        for chunk in self.graph.stream(value, self.cfg(tid), context=turn, stream_mode="updates",
                                       durability="sync"):
            for node, update in chunk.items():
                if on_update is not None:
                    on_update(node, update)
        if not self.paused_at(tid):  # over; a run paused at its question stays ours until answered
            self.leases.release(tid)

    def paused_at(self, thread_id: str) -> tuple[str, ...]:
        return tuple(self.graph.get_state(self.cfg(thread_id)).next)

    def values(self, thread_id: str) -> dict[str, Any]:
        return dict(self.graph.get_state(self.cfg(thread_id)).values)

    def close(self) -> None:
        self.leases.close()
        self.audit.close()
        self.saver.conn.close()

    # --- the graph -------------------------------------------------------------------------------------
    def _build(self) -> StateGraph:
        g = StateGraph(AgentState, context_schema=Turn)
        g.add_node("interpret", self._interpret)
        g.add_node("validate", self._validate)
        g.add_node("policy", self._policy)
        g.add_node("confirm", self._confirm)
        g.add_node("execute", self._execute)
        g.add_node("report", self._report)
        g.add_conditional_edges(START, lambda s: "validate" if s.get("plan") is not None else "interpret",
                                ["interpret", "validate"])
        g.add_conditional_edges("interpret", lambda s: "report" if s.get("problems") else "validate",
                                ["validate", "report"])
        g.add_conditional_edges("validate", lambda s: "policy" if s.get("status") == "valid" else "report",
                                ["policy", "report"])
        g.add_conditional_edges("policy", self._after_policy, ["confirm", "execute", "report"])
        g.add_conditional_edges("confirm", lambda s: "execute" if s["answer"]["approved"] else "report",
                                ["execute", "report"])
        g.add_edge("execute", "report")
        g.add_edge("report", END)
        return g

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
        transcript = plan.transcript or state.get("transcript", "")
        self.audit.record(state["thread_id"], transcript=transcript, plan=plan.to_json(), status="interpreted")
        return {"plan": plan.to_json(), "transcript": transcript, "audio_seconds": state.get("audio_seconds", 0.0),
                "titles": [utt.screen.active_window, *utt.screen.window_titles]}

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
        decision = grounding.judge(decision, grounding.check(plan, titles, state.get("origins")))
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
                                                                                macros_file=self.macros_file),
                                         approval.Binding(self.audit, tid, self.desktop, self.dry_run))
        return {"outcomes": rows, "status": "executed", **({"problems": problems} if problems else {})}

    def _report(self, state: AgentState) -> dict[str, Any]:
        status, summary = summarize(state)
        self.audit.record(state["thread_id"], status=status, summary=summary, answer=state.get("answer"))
        for tid in self.audit.prune(self.config.history.keep_last):
            self.saver.delete_thread(tid)
        return {"status": status, "summary": summary}


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
