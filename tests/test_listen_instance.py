"""One `voxctl listen` per user and display (issue 15.3: two listeners both acted, "type double" typed
`doubledouble`). Real processes: a listening `voxctl listen`, a second one that must refuse, and a
SIGKILLed holder whose lock must not outlive it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from tests.fixtures.xdisplay import wait_for
from voxctl.agent.listen.instance import EXIT_ALREADY_LISTENING, ListenLock, lock_path

ROOT = Path(__file__).resolve().parents[1]
HOLD = ("import sys, time; from agent.listen.instance import ListenLock; ListenLock().acquire(); "
        "print('held', flush=True); time.sleep(60)")
TRY = ("import sys; from agent.listen.instance import ListenLock, AlreadyListening\n"
       "try:\n    ListenLock().acquire()\nexcept AlreadyListening as e:\n    print(e); sys.exit(4)")


def env_for(tmp_path: Path, display: str) -> dict[str, str]:
    return {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path / "run"), "DISPLAY": display}


def test_the_lock_dies_with_its_holder_and_is_per_display(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD], env=env_for(tmp_path, ":41"), cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        second = subprocess.run([sys.executable, "-c", TRY], env=env_for(tmp_path, ":41"), cwd=ROOT,
                                capture_output=True, text=True, timeout=30)
        assert second.returncode == 4 and f"pid {holder.pid}" in second.stdout, second
        other = subprocess.run([sys.executable, "-c", TRY], env=env_for(tmp_path, ":42"), cwd=ROOT,
                               capture_output=True, text=True, timeout=30)
        assert other.returncode == 0, other  # another display is another session
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        after = subprocess.run([sys.executable, "-c", TRY], env=env_for(tmp_path, ":41"), cwd=ROOT,
                               capture_output=True, text=True, timeout=30)
        assert after.returncode == 0, after  # no stale lock after a SIGKILL
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.stdout.close()


@pytest.mark.display
@pytest.mark.audio
def test_a_second_listen_names_the_first_and_exits_non_zero(tmp_path, xdisplay, virtual_mic, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    cfg = tmp_path / "config.yaml"
    cfg.write_text(yaml.safe_dump({"history": {"path": str(tmp_path / "h.sqlite")},
                                   "interpreter": {"backend": "grammar", "macros_file": None},
                                   "confirm": {"by_keys": False}}))
    env = {**os.environ, "VOXCTL_CONFIG": str(cfg)}
    first = subprocess.Popen([sys.executable, "-m", "voxctl.agent", "listen", "--dry-run"], env=env, cwd=ROOT,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(first.stdout), daemon=True).start()
    try:
        assert wait_for(lambda: "Ready:" in "".join(lines) or first.poll() is not None, 90), "".join(lines)
        assert first.poll() is None, "".join(lines)
        second = subprocess.run([sys.executable, "-m", "voxctl.agent", "listen", "--dry-run"], env=env, cwd=ROOT,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        assert second.returncode == EXIT_ALREADY_LISTENING, second
        err = second.stderr.strip()
        assert "\n" not in err and "Traceback" not in err, err
        assert f"another voxctl listen (pid {first.pid}" in err and "already listening" in err, err
        assert "Ready:" not in second.stdout  # it stopped before loading anything
        first.send_signal(signal.SIGINT)
        assert first.wait(20) == 0, "".join(lines)
        ListenLock(lock_path()).acquire().close()  # released with the first listener
    finally:
        if first.poll() is None:
            first.kill()
