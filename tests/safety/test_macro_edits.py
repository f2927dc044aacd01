"""Issue 17, items 3, 7 and 10: the plan judged is the plan run, macros included; its size is bounded.

Real parts: the RealDesktop on the shared Xvfb (openbox), the Tk event logger as the target (it logs
every key X delivers and the close request), real `voxctl` processes sharing one SQLite file.

- 17.3 a running Agent (as `voxctl listen` keeps one) whose macros file is rewritten after start
  ("tidy": type a letter -> close_window + alt+f4) must run what it judged, never the new steps;
- 17.3 a real `voxctl exec` killed mid-plan, the macros file edited, `voxctl resume ID --yes`: only the
  judged steps run;
- 17.7 a fan-out of macros (3 levels x 20 macros x a press repeated 50 times = 400,000 presses) and a
  macro within max_actions whose repeats exceed the primitive budget are refused quickly, in one line,
  with nothing executed;
- 17.10 two destructive actions ("close tab. close tab.") are named as two in the question.
"""

from __future__ import annotations

import time

import pytest
import yaml

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.fixtures.xdisplay import wait_for
from tests.safety import report
from tests.safety.conftest import safety_config
from tests.test_resume import finish, plan_file, run_state, typed, voxctl, write_config
from voxctl.agent.audit import AuditLog
from voxctl.agent.confirm import render_prompt
from voxctl.agent.graph import Agent
from voxctl.agent.interpret.factory import make_interpreter
from voxctl.agent.macros import MacroBook, load_macros
from voxctl.agent.session import Session
from voxctl.agent.utterance import Utterance
from voxctl.tools.registry import call

pytestmark = pytest.mark.display

HARMLESS = "tidy:\n  - {tool: focus_window, args: {title: TARGET}}\n  - {tool: type_text, args: {text: t}}\n"
DESTRUCTIVE = ("tidy:\n  - {tool: focus_window, args: {title: TARGET}}\n  - {tool: close_window}\n"
               "  - {tool: press_keys, args: {keys: [alt, f4]}}\n")


def destructive_effects(win) -> list[str]:
    """What the logger saw that only the rewritten macro does: a close request, an F4 key."""
    return ([e["event"] for e in win.events("delete_window")]
            + [e["keysym"] for e in win.events("key") if e["keysym"].startswith("F4")])


def test_running_agent_runs_the_macros_it_judged_not_the_rewritten_file(tmp_path, programs, desktop):
    win = programs.logger("tidy-live")
    macros = tmp_path / "macros.yaml"
    macros.write_text(HARMLESS.replace("TARGET", "tidy-live"))
    config = safety_config(tmp_path, interpreter={"macros_file": str(macros)})
    session = Session.build(config)  # what `voxctl listen` builds once at start
    agent = Agent(session, interpreter=make_interpreter(session), desktop=desktop)
    try:
        macros.write_text(DESTRUCTIVE.replace("TARGET", "tidy-live"))  # edited while listening
        tid = agent.start(Utterance.from_text("run tidy"))
        if agent.paused_at(tid) == ("confirm",):
            agent.resume(tid, {"approved": False, "via": "timeout"})  # nobody answers
        v = agent.values(tid)
        assert wait_for(lambda: typed(win) == "t", 5), (typed(win), v.get("summary"))
        time.sleep(0.3)  # a close request or key would have arrived by now
        bad = destructive_effects(win)
        prims = [name for _, name, _, _ in agent.audit.primitives(tid)]
        report("17.3a macros rewritten under a running agent",
               f"'run tidy' after tidy became close_window + alt+f4: verdict {v['decision']['verdict']}, "
               f"ran {[a['tool'] for a in v['plan']['actions']]} from {v['origins']}; destructive effects "
               f"{len(bad)}, close primitives {prims.count('close_active')}")
        assert v["status"] == "done" and v["decision"]["verdict"] == "run"
        assert [a["tool"] for a in v["plan"]["actions"]] == ["focus_window", "type_text"]
        assert v["origins"] == [["tidy"], ["tidy"]]
        assert bad == [] and "close_active" not in prims and win.proc.poll() is None
        # The new file counts from the next session on: judged, and asked about, before anything runs.
        fresh = Agent(Session.build(config), desktop=desktop, path=tmp_path / "fresh.sqlite")
        try:
            tid2 = fresh.start(plan={"actions": [{"tool": "run_macro", "args": {"name": "TIDY"}}]})
            assert fresh.paused_at(tid2) == ("confirm",)
            assert [a["risk"] for a in fresh.values(tid2)["decision"]["actions"]] == ["low", "high", "high"]
            fresh.resume(tid2, {"approved": False, "via": "timeout"})
        finally:
            fresh.close()
        assert destructive_effects(win) == []
    finally:
        agent.close()


def test_crash_edit_resume_runs_only_the_judged_steps(tmp_path, programs, desktop):
    win = programs.logger("tidy-crash")
    config = write_config(tmp_path)
    macros = tmp_path / "macros.yaml"
    macros.write_text(HARMLESS.replace("TARGET", "tidy-crash"))
    data = yaml.safe_load(config.read_text())
    data["interpreter"]["macros_file"] = str(macros)
    config.write_text(yaml.safe_dump(data))
    plan = plan_file(tmp_path, {"tool": "focus_window", "args": {"title": "tidy-crash"}},
                     {"tool": "type_text", "args": {"text": "a"}}, {"tool": "wait", "args": {"seconds": 3}},
                     {"tool": "run_macro", "args": {"name": "tidy"}})
    first = voxctl(config, "exec", str(plan))
    log = AuditLog(tmp_path / "history.sqlite")
    in_wait = lambda: (r := run_state(log)) is not None and len(r.actions) == 3  # noqa: E731
    assert wait_for(in_wait, 30), finish(first)[1]
    first.proc.kill()  # a crash in the middle of the plan
    first.finish()
    assert typed(win) == "a"
    macros.write_text(DESTRUCTIVE.replace("TARGET", "tidy-crash"))  # edited before the resume
    tid = run_state(log).thread_id
    code, out = finish(voxctl(config, "resume", tid, "--yes"))
    time.sleep(0.3)
    bad = destructive_effects(win)
    entry = run_state(log)
    report("17.3b crash, edit, resume --yes",
           f"resumed run {[a.tool for a in entry.actions]}: typed {typed(win)!r}, destructive effects {len(bad)}")
    assert code == 0, out
    assert typed(win) == "at"  # the judged tidy (type 't') ran once; "a" was not typed again
    assert bad == [] and win.proc.poll() is None
    assert [a.tool for a in entry.actions] == ["focus_window", "type_text", "wait", "focus_window", "type_text"]
    assert [a.state for a in entry.actions] == ["ok"] * 5


def fan_out(levels: int = 3, width: int = 20, repeat: int = 50) -> str:
    """fan0 runs fan1 twenty times, ..., the last level presses "a" (x repeat) twenty times."""
    lines = []
    for lvl in range(levels):
        lines.append(f"fan{lvl}:")
        step = (f"{{tool: run_macro, args: {{name: fan{lvl + 1}}}}}" if lvl + 1 < levels
                else f"{{tool: press_keys, args: {{keys: [a], repeat: {repeat}}}}}")
        lines += [f"  - {step}"] * width
    return "\n".join(lines) + "\n"


def test_macro_fan_out_is_refused_before_it_is_built(tmp_path, programs, desktop):
    win = programs.logger("fan-target")
    macros = tmp_path / "macros.yaml"
    macros.write_text(fan_out() + "hammer:\n" + "  - {tool: press_keys, args: {keys: [a], repeat: 50}}\n" * 15)
    book = MacroBook(load_macros(macros))
    t0 = time.perf_counter()
    size = book.measure([call("run_macro", name="fan0")])
    measure_ms = (time.perf_counter() - t0) * 1000
    assert (size.actions, size.primitives) == (8000, 400_000)
    deep = MacroBook(load_macros(_write(tmp_path / "deep.yaml", fan_out(levels=4, width=40))))
    t0 = time.perf_counter()
    assert deep.measure([call("run_macro", name="fan0")]).primitives == 40 ** 4 * 50  # 128,000,000: counted
    deep_ms = (time.perf_counter() - t0) * 1000

    config = safety_config(tmp_path, interpreter={"macros_file": str(macros)})
    agent = Agent(config, desktop=desktop)
    try:
        outcomes = {}
        for name in ("fan0", "hammer"):
            t0 = time.perf_counter()
            tid = agent.start(plan={"actions": [{"tool": "focus_window", "args": {"title": "fan-target"}},
                                                {"tool": "run_macro", "args": {"name": name}}]})
            secs = time.perf_counter() - t0
            v = agent.values(tid)
            outcomes[name] = (v["status"], v["summary"], secs, agent.audit.primitives(tid))
    finally:
        agent.close()
    # And from the command line: one line, the documented exit code for a refusal (3).
    cfg_file = tmp_path / "cli.yaml"
    cfg_file.write_text(yaml.safe_dump({"history": {"path": str(tmp_path / "cli.sqlite")},
                                        "interpreter": {"macros_file": str(macros)}}))
    code, out = finish(voxctl(cfg_file, "exec", "--yes",
                              str(plan_file(tmp_path, {"tool": "run_macro", "args": {"name": "fan0"}}))))
    time.sleep(0.3)
    keys = win.events("key")
    report("17.7 macro fan-out", f"fan0 = {size.primitives:,} presses in {size.actions:,} steps, measured in "
           f"{measure_ms:.1f} ms (4 levels x 40, {40 ** 4 * 50:,} presses: {deep_ms:.1f} ms); agent: "
           + "; ".join(f"{n} {s} in {t * 1000:.0f} ms, {len(p)} primitives" for n, (s, _, t, p) in outcomes.items())
           + f"; voxctl exec exit {code}; keys delivered {len(keys)}")
    for name, (status, summary, secs, prims) in outcomes.items():
        assert status == "denied" and prims == [], (name, summary)
        assert "\n" not in summary and secs < 10, (name, summary, secs)
    assert "8,001 actions once its macros are expanded" in outcomes["fan0"][1]  # and the focus_window
    assert "751 primitive actions" in outcomes["hammer"][1]
    assert code == 3 and "not run: the plan has 8,000 actions" in out, out
    assert len([line for line in out.splitlines() if "policy.max_actions" in line]) == 1, out
    assert keys == []
    assert measure_ms < 1000 and deep_ms < 1000


def _write(path, text):
    path.write_text(text)
    return path


def test_several_destructive_actions_are_counted_in_the_question(tmp_path):
    config = safety_config(tmp_path)
    session = Session.build(config)
    from voxctl.tools.dryrun import DryRunDesktop

    agent = Agent(session, interpreter=make_interpreter(session), desktop=DryRunDesktop())
    try:
        texts = {}
        for said in ("close tab. close tab.", "close the tab", "close the window and press alt f4"):
            tid = agent.start(Utterance.from_text(said))
            payload = agent.graph.get_state(agent.cfg(tid)).interrupts[0].value
            texts[said] = render_prompt(payload, "Type y or n and Enter", 10)
            agent.resume(tid, {"approved": False, "via": "timeout"})
        assert agent.desktop.log == []
    finally:
        agent.close()
    report("17.10 several destructive actions", " | ".join(
        f"{s!r}: {next((ln for ln in t.splitlines() if 'destructive' in ln), 'one destructive action, no count')}"
        for s, t in texts.items()))
    assert "2 destructive actions: press ctrl+w (2 times)." in texts["close tab. close tab."]
    assert "destructive actions" not in texts["close the tab"]
    assert "2 destructive actions: close the active window; press alt+f4." in texts[
        "close the window and press alt f4"]
