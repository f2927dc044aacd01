"""`voxctl listen` leaves with os._exit (agent/listen/leaving.py); what exit handlers keep must not be lost."""

from __future__ import annotations

import subprocess
import sys


def test_leave_runs_exit_handlers_and_keeps_the_exit_code(tmp_path):
    mark = tmp_path / "handed-over"
    script = (
        "import atexit, pathlib\n"
        "from voxctl.agent.listen.leaving import leave\n"
        f"atexit.register(lambda: pathlib.Path({str(mark)!r}).write_text('kept'))\n"
        "print('said before leaving', end='')\n"
        "leave(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert done.stdout == "said before leaving"  # unflushed output is not lost
    assert mark.read_text() == "kept"  # e.g. the clipboard's hand-over (tools/clipboard.hand_over)
