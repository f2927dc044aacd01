"""Issue 17.6: an Enter sent by another program answered a pending question (a second
`voxctl do "press enter"` gave `answer: yes via keys` and the window closed).

Red team on real parts: a real `voxctl exec` of `close_window` (high risk: it asks) with the Tk event
logger focused on Xvfb + openbox, and nobody at the console. While it asks, three programs send Enter
through XTEST: a second real `voxctl do "press enter"`, xdotool, and pyautogui. None may answer: the
question runs out to no, the window stays open, and each Enter still reaches the window it was sent to.
(That a key typed on a keyboard device does answer is tested in tests/test_confirm.py, through Xephyr.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from tests.apps.harness import *  # noqa: F403 - the desktop and programs fixtures
from tests.fixtures.xdisplay import wait_for
from tests.safety import report

pytestmark = pytest.mark.display
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 20


def voxctl(cfg: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "voxctl.agent", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "VOXCTL_CONFIG": str(cfg), "XDG_RUNTIME_DIR": str(cfg.parent)})


def test_enter_sent_by_programs_never_answers_a_question(tmp_path, programs, window_manager):
    import pyautogui

    win = programs.logger("answer-victim")
    subprocess.run(["xdotool", "search", "--sync", "--name", "^answer-victim$", "windowactivate", "--sync"],
                   check=True, timeout=10)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(yaml.safe_dump({"history": {"path": str(tmp_path / "h.sqlite")},
                                   "interpreter": {"backend": "grammar", "macros_file": None},
                                   "confirm": {"timeout_s": TIMEOUT_S, "by_keys": True}}))
    plan = tmp_path / "plan.json"
    plan.write_text('{"actions": [{"tool": "close_window"}]}')
    asking = voxctl(cfg, "exec", str(plan))
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(asking.stdout), daemon=True).start()
    try:
        assert wait_for(lambda: "Press Enter for yes" in "".join(lines) or asking.poll() is not None, 60), lines
        assert asking.poll() is None, "".join(lines)
        other = voxctl(cfg, "do", "press enter")
        other_out = other.communicate(timeout=90)[0]
        subprocess.run(["xdotool", "key", "Return"], check=True)
        pyautogui.press("enter")
        assert wait_for(lambda: asking.poll() is not None, TIMEOUT_S + 30), "".join(lines)
    finally:
        if asking.poll() is None:
            asking.kill()
    out = "".join(lines)
    answered = out.count("answer: yes")
    returns = [e for e in win.wait("key", 3) if e["keysym"] == "Return"]
    report("17.6 synthetic keys answer nothing",
           f"3 Enters sent by programs (voxctl do, xdotool, pyautogui) during a pending question: {answered} "
           f"answered, {len(returns)} reached the focused window; window still open: {win.proc.poll() is None}")
    assert answered == 0 and "via keys" not in out, out
    assert asking.returncode == 1 and "answer: yes" not in out, out
    assert win.proc.poll() is None, "the window was closed"
    assert len(returns) == 3, (returns, other_out)
