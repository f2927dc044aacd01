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
import time
from pathlib import Path

import pytest
import yaml

from tests.apps.harness import *  # noqa: F403 - the desktop and programs fixtures
from tests.fixtures.xdisplay import activate, wait_for
from tests.safety import report

pytestmark = pytest.mark.display
ROOT = Path(__file__).resolve().parents[2]
# The question's timeout: short, so the run soon ends with no (~2 s to send the Enters on an idle 2-core
# box). When a busy box sent them too late for it, once more with room for twice that time.
FIRST_TIMEOUT_S = 8


def voxctl(cfg: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "voxctl.agent", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "VOXCTL_CONFIG": str(cfg), "XDG_RUNTIME_DIR": str(cfg.parent)})


def returns(win) -> list[dict]:
    return [e for e in win.events("key") if e["keysym"] == "Return"]


def ask_and_send(folder: Path, win, timeout_s: float) -> tuple[subprocess.Popen, str, str, int, float]:
    """A `voxctl exec` of close_window asks; a second `voxctl do "press enter"`, xdotool and pyautogui send
    Enter. Returns the asking process (ended), its output, the second voxctl's output, the Enters that
    reached the window, and the seconds from the question to the last Enter let through (inf: not open)."""
    import pyautogui

    folder.mkdir()
    activate("answer-victim")
    cfg = folder / "config.yaml"
    cfg.write_text(yaml.safe_dump({"history": {"path": str(folder / "h.sqlite")},
                                   "interpreter": {"backend": "grammar", "macros_file": None},
                                   "confirm": {"timeout_s": timeout_s, "by_keys": True}}))
    plan = folder / "plan.json"
    plan.write_text('{"actions": [{"tool": "close_window"}]}')
    before = len(returns(win))
    asking = voxctl(cfg, "exec", str(plan))
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(asking.stdout), daemon=True).start()
    try:
        assert wait_for(lambda: "Press Enter for yes" in "".join(lines) or asking.poll() is not None, 60), lines
        asked_at = time.monotonic()  # the question opened before its prompt was read here
        assert asking.poll() is None, "".join(lines)
        other = voxctl(cfg, "do", "press enter")
        other_out = other.communicate(timeout=90)[0]
        subprocess.run(["xdotool", "key", "Return"], check=True)
        pyautogui.press("enter")
        wait_for(lambda: len(returns(win)) >= before + 3, 3)
        # Let through by the open question's key grab (agent/answer_sources.py KeySource) by now, or never.
        sent_s = time.monotonic() - asked_at if asking.poll() is None else float("inf")
        assert wait_for(lambda: asking.poll() is not None, timeout_s + 30), "".join(lines)
    finally:
        if asking.poll() is None:
            asking.kill()
    return asking, "".join(lines), other_out, len(returns(win)) - before, sent_s


def test_enter_sent_by_programs_never_answers_a_question(tmp_path, programs, window_manager):
    win = programs.logger("answer-victim")
    timeout_s = FIRST_TIMEOUT_S
    for n in range(2):
        asking, out, other_out, reached, sent_s = ask_and_send(tmp_path / f"try{n}", win, timeout_s)
        in_time = sent_s < timeout_s - 2  # the question surely still open (it opens after its prompt)
        print(f"\n  try {n + 1}: {timeout_s:.0f} s to answer, the Enters sent after {sent_s:.1f} s")
        if in_time or win.proc.poll() is not None or "answer: yes" in out:
            break
        timeout_s = min(120.0, max(20.0, 2 * sent_s + 4)) if sent_s < float("inf") else 60.0
    answered = out.count("answer: yes")
    report("17.6 synthetic keys answer nothing",
           f"3 Enters sent by programs (voxctl do, xdotool, pyautogui) during a pending question: {answered} "
           f"answered, {reached} reached the focused window; window still open: {win.proc.poll() is None}")
    assert answered == 0 and "via keys" not in out, out
    assert asking.returncode == 1 and "answer: yes" not in out, out
    assert win.proc.poll() is None, "the window was closed"
    assert reached == 3, (reached, other_out)
    assert in_time, f"the Enters were not all sent within {timeout_s - 2} s of the question, even with the long timeout"
