"""`voxctl tools` and `voxctl exec` as a user runs them: a subprocess, on the real test display for exec."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import window_titled
from tests.fixtures.xdisplay import wait_for
from voxctl.tools.registry import TOOLS, plan_schema

ROOT = Path(__file__).resolve().parents[1]
# The contract of docs/ACTIONS.md: these names are fixed; tools may be added, never renamed.
TOOLS_MD = ("click", "move_mouse", "nudge_mouse", "drag", "scroll", "type_text", "press_keys", "open_app",
            "focus_window", "close_window", "wait", "screenshot", "run_macro")


def voxctl(*args: str, env: dict[str, str] | None = None, tmp: Path | None = None,
           stdin: str | None = None) -> subprocess.CompletedProcess:
    full = dict(os.environ, COLUMNS="200")
    if tmp is not None:  # a clean home: no user config, macros or history leak in or out
        cfg = tmp / "config.yaml"
        if not cfg.exists():
            cfg.write_text(f"history: {{path: '{tmp / 'history.sqlite'}'}}\n", encoding="utf-8")
        full.update(HOME=str(tmp), VOXCTL_CONFIG=str(cfg), XDG_CONFIG_HOME=str(tmp / "config"),
                    XDG_DATA_HOME=str(tmp / "data"))
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "voxctl.agent", *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=90, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)


def test_tools_lists_every_tool_with_readable_arguments():
    p = voxctl("tools")
    assert p.returncode == 0, p.stderr
    assert set(TOOLS_MD) <= set(TOOLS)
    for name in TOOLS:
        assert name in p.stdout
    for shown in ("button: left|right|middle = left", "count: int 1..3 = 1", "direction: up|down|left|right",
                  "amount: int 1..50 = 3", "seconds: float 0.1..30", "keys: list[key] (1-4)",
                  "target: str | None = None", "high for destructive chords", "as its riskiest step"):
        assert shown in p.stdout, shown
    assert "Literal" not in p.stdout and "button:  =" not in p.stdout
    assert "ctrl alt shift win enter" in p.stdout  # the key names press_keys takes
    # The dictation words, from agent/interpret/dictation.yaml: formatters (with what they make), then the
    # punctuation, layout and spelling words.
    words = p.stdout[p.stdout.index("dictation words"):]
    for shown in ("snake hello world → hello_world", "pascal / hammer hello world → HelloWorld", "comma → ,",
                  "new paragraph → enter enter", "foxtrot", "zulu → z", "dictation mode"):
        assert shown in words, shown


def test_tools_lists_the_dictation_words_of_the_data_and_the_users_file(tmp_path):
    """Rows made from the spec, not a copy: a word the user's dictation_file adds is listed too."""
    from voxctl.agent.commands.tools import dictation_rows
    from voxctl.agent.interpret.dictation import load_dictation

    extra = tmp_path / "dictation.yaml"
    extra.write_text("formatters: {shouty: upper}\npunctuation: {bang: ['!', left]}\nalphabet: {zed: z}\n",
                     encoding="utf-8")
    rows = dict(dictation_rows(load_dictation(str(extra))))
    assert "all caps / shouty hello world → HELLO WORLD" in rows["formatters"].splitlines()
    assert "bang → !" in rows["punctuation"] and "comma → ," in rows["punctuation"]
    assert "zed → z" in rows["spelling"] and "alpha → a" in rows["spelling"]
    assert "space → ' '" in rows["spelling"]  # a blank is shown, not left invisible
    assert "shouty" not in " ".join(dict(dictation_rows(load_dictation())).values())


def test_tools_json_is_the_plan_schema():
    p = voxctl("tools", "--json")
    assert p.returncode == 0
    schema = json.loads(p.stdout)
    assert schema == plan_schema()
    assert schema["properties"]["actions"]["items"]["discriminator"]["propertyName"] == "tool"


def _plan(tmp: Path, actions: list[dict], **head) -> Path:
    path = tmp / "plan.json"
    path.write_text(json.dumps({"transcript": "test plan", **head, "actions": actions}), encoding="utf-8")
    return path


@pytest.mark.display
def test_exec_runs_a_plan_on_the_real_display(desktop, programs, tmp_path, xdisplay):
    out = tmp_path / "typed.txt"
    term = programs.xterm_cat("voxctl-exec", out)
    win = programs.logger("Exec Target", geometry="300x200+100+400")
    assert window_titled(desktop, "voxctl-exec")
    x, y = win.point()
    plan = _plan(tmp_path, [
        {"tool": "focus_window", "args": {"title": "voxctl-exec"}},
        {"tool": "type_text", "args": {"text": "typed by exec"}},
        {"tool": "press_keys", "args": {"keys": ["enter"]}},
        {"tool": "press_keys", "args": {"keys": ["ctrl", "d"]}},
        {"tool": "focus_window", "args": {"title": "exec target"}},
        {"tool": "click", "args": {"x": x, "y": y}},
        {"tool": "close_window"},  # high risk: approved by --yes
    ])
    p = voxctl("exec", str(plan), "--yes", env={"DISPLAY": xdisplay}, tmp=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert wait_for(lambda: term.poll() is not None, 5)
    assert out.read_text(encoding="utf-8") == "typed by exec\n"
    assert [(e["x"], e["y"]) for e in win.wait("press")] == [(x, y)]
    assert win.wait("delete_window") and win.proc.wait(timeout=5) == 0


@pytest.mark.display
def test_exec_dry_run_prints_what_would_run_and_touches_nothing(desktop, programs, tmp_path, xdisplay):
    out = tmp_path / "typed.txt"
    term = programs.xterm_cat("voxctl-dry", out)
    assert window_titled(desktop, "voxctl-dry")
    desktop.activate(window_titled(desktop, "voxctl-dry"))
    plan = _plan(tmp_path, [
        {"tool": "type_text", "args": {"text": "must not appear"}},
        {"tool": "press_keys", "args": {"keys": ["control", "d"]}},
        {"tool": "click", "args": {"x": 20, "y": 30, "button": "right"}},
        {"tool": "close_window"},
    ])
    p = voxctl("exec", str(plan), "--dry-run", env={"DISPLAY": xdisplay}, tmp=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    text = p.stdout + p.stderr
    for would in ("type_text(text='must not appear')", "press(keys=['ctrl', 'd'])",
                  "click(x=20, y=30, button='right', count=1)", "close("):
        assert would in text, would
    assert term.poll() is None and out.read_text(encoding="utf-8") == ""
    assert window_titled(desktop, "voxctl-dry", timeout=0.5)


@pytest.mark.display
def test_exec_invalid_plan_lists_every_problem_exits_2_and_runs_nothing(desktop, programs, tmp_path, xdisplay):
    out = tmp_path / "typed.txt"
    term = programs.xterm_cat("voxctl-invalid", out)
    desktop.activate(window_titled(desktop, "voxctl-invalid"))
    plan = _plan(tmp_path, [
        {"tool": "type_text", "args": {"text": "valid, but the plan is not"}},
        {"tool": "fly", "args": {}},
        {"tool": "click", "args": {"x": 5}},
        {"tool": "scroll", "args": {"direction": "sideways", "amount": 99}},
        {"tool": "press_keys", "args": {"keys": ["ctrl", "s"], "force": True}},
        {"tool": "wait", "args": {"seconds": "soon"}},
    ], source="telepathy")
    p = voxctl("exec", str(plan), "--yes", env={"DISPLAY": xdisplay}, tmp=tmp_path)
    assert p.returncode == 2
    problems = [line.strip()[2:] for line in p.stderr.splitlines() if line.strip().startswith("- ")]
    assert len(problems) == 7, p.stderr
    for part in ("actions[1]: unknown tool 'fly'", "actions[2] (click).args: give both x and y",
                 "actions[3] (scroll).args.direction: 'sideways' is not allowed",
                 "actions[3] (scroll).args.amount", "actions[4] (press_keys).args.force",
                 "actions[5] (wait).args.seconds", "plan.source: 'telepathy' is not allowed"):
        assert any(part in prob for prob in problems), part
    assert "nothing was run" in p.stderr
    assert term.poll() is None and out.read_text(encoding="utf-8") == ""


def test_exec_reads_a_plan_from_stdin_and_rejects_bad_json(tmp_path):
    p = voxctl("exec", "-", "--dry-run", tmp=tmp_path,
               stdin='[{"tool": "press_keys", "args": {"keys": ["ctrl", "s"]}}]')
    assert p.returncode == 0, p.stderr
    assert "press(keys=['ctrl', 's'])" in p.stdout + p.stderr
    p = voxctl("exec", "-", tmp=tmp_path, stdin='{"actions": [')
    assert p.returncode == 2 and "not valid JSON" in p.stderr
    p = voxctl("exec", str(tmp_path / "missing.json"), tmp=tmp_path)
    assert p.returncode == 2 and "cannot read plan" in p.stderr
