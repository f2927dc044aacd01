"""`voxctl do "text"` end to end, as a user runs it: a subprocess, the real grammar, the real display.

Text enters the same graph as speech (interpret → validate → policy → confirm → execute → report);
what it did is checked in real programs (an xterm whose shell copies input to a file, the Tk event logger).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import window_titled
from tests.fixtures.xdisplay import wait_for

pytestmark = pytest.mark.display
ROOT = Path(__file__).resolve().parents[1]


def voxctl(tmp_path, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    cfg = tmp_path / "config.yaml"
    if not cfg.exists():
        cfg.write_text(yaml.safe_dump({"history": {"path": str(tmp_path / "history.sqlite")},
                                       "interpreter": {"backend": "grammar", "macros_file": None},
                                       "confirm": {"timeout_s": 2}}))
    env = {**os.environ, "VOXCTL_CONFIG": str(cfg), "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d"),
           "XDG_CONFIG_HOME": str(tmp_path / "c")}
    return subprocess.run([sys.executable, "-m", "voxctl.agent", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, input=stdin)


def test_do_types_into_a_real_xterm(tmp_path, programs, desktop):
    out = tmp_path / "typed.txt"
    programs.xterm_cat("do-target", out)
    assert window_titled(desktop, "do-target")
    said = []
    # Enter in a terminal submits a line: it is asked (issue 17.2), and --yes answers it.
    for command in ("switch to do-target", "type hello world", "--yes press enter"):
        p = voxctl(tmp_path, "do", *command.split(" ", 1) if command.startswith("--") else [command])
        assert p.returncode == 0, p.stdout + p.stderr
        said.append(p.stdout)
    assert wait_for(lambda: out.exists() and out.read_text() == "hello world\n", 5), out.read_text()
    assert "heard 'type hello world'" in said[1] and "1. medium type 'hello world'" in said[1]
    assert "done: 1 action ran" in said[2]


def test_close_needs_confirmation_no_answer_keeps_it_yes_closes(tmp_path, programs, desktop):
    win = programs.logger("do-close")
    assert voxctl(tmp_path, "do", "switch to do-close").returncode == 0
    # No terminal and Enter/Escape off: nobody can answer, so it is a no and nothing runs.
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({
        "history": {"path": str(tmp_path / "history.sqlite")}, "interpreter": {"backend": "grammar"},
        "confirm": {"timeout_s": 1, "by_keys": False}}))
    p = voxctl(tmp_path, "do", "close the window")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "1. high   close the active window" in p.stdout
    assert "cancelled" in p.stdout and "nothing was run" in p.stdout
    assert win.proc.poll() is None and not win.events("delete_window")
    p = voxctl(tmp_path, "do", "close the window", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert win.wait("delete_window", timeout=5)
    hist = voxctl(tmp_path, "history", "-n", "3", "--json")
    rows = [json.loads(line) for line in hist.stdout.splitlines()]
    assert [(r["status"], r["answer"]["via"]) for r in rows[1:]] == [("cancelled", "none"), ("done", "--yes")]


def test_do_dry_run_and_plain_word_errors(tmp_path):
    p = voxctl(tmp_path, "do", "press control s", "--dry-run")
    assert p.returncode == 0, p.stderr
    assert "press(keys=['ctrl', 's'])" in p.stdout and "dry run, nothing was touched" in p.stdout
    p = voxctl(tmp_path, "do", "what is the weather like")
    assert p.returncode == 1
    assert "Traceback" not in p.stdout + p.stderr
    p = voxctl(tmp_path, "do", "  ")
    assert p.returncode == 2 and "say what to do" in p.stderr


def test_exec_plan_that_breaks_policy_runs_nothing(tmp_path):
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({
        "history": {"path": str(tmp_path / "history.sqlite")}, "policy": {"max_actions": 2}}))
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps([{"tool": "scroll", "args": {"direction": "down"}}] * 3))
    p = voxctl(tmp_path, "exec", str(plan), "--yes", "--dry-run")
    assert p.returncode == 3, p.stdout + p.stderr
    assert "not run: the plan has 3 actions, more than policy.max_actions allows (2)" in p.stdout
    assert "scroll(" not in p.stdout.split("not run:")[1]  # the dry-run desktop did nothing
