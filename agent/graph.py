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
The nodes themselves (what each step does, and the state they share) are in agent/nodes.py.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

from voxctl.agent.audit import AuditLog, connect, history_path
from voxctl.agent.config import Config
from voxctl.agent.interpret.guessed import Guesses
from voxctl.agent.journal import HistoryJournal
from voxctl.agent.lease import Leases
from voxctl.agent.nodes import AgentState, Nodes, Turn
from voxctl.agent.policy import Policy
from voxctl.agent.recording import MacrosFile, Recorder
from voxctl.agent.session import Session
from voxctl.agent.utterance import ScreenState, Utterance
from voxctl.tools.registry import ActionPlan


def new_thread_id() -> str:
    """Sortable and unique: the time of the utterance plus a random suffix."""
    return time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:8]


def storable(plan: dict[str, Any]) -> dict[str, Any]:
    """A ready plan as the checkpointer can store it: an integer beyond 64 bits (msgpack's limit) crashed
    the graph; as text, validation refuses it with a message instead."""
    return json.loads(json.dumps(plan, default=str),
                      parse_int=lambda t: int(t) if -(2**63) <= int(t) < 2**64 else t)


class Agent(Nodes):
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
        self.guesses = Guesses()  # the model's last guess said back: a "yes" said next runs it (interpret/guessed.py)
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
            pointing = getattr(self.desktop, "pointing", None)  # the grid's state, where the desktop keeps one
            return ScreenState(active_window=win.title if win else "", active_class=tuple(win.wm_class) if win else (),
                               screen_size=tuple(self.desktop.screen_size()),
                               window_titles=tuple(w.title for w in self.desktop.windows()),
                               grid_shown=None if pointing is None else pointing.shown_grid() is not None)
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
