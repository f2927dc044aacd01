"""Leaving the `voxctl listen` process once its parts are closed: at once, without Python's finalization.

The listener's threads are daemons that decode in native code: the open microphone's and the stop check's
Whisper (CTranslate2), a spoken answer's, silero's ONNX windows on the recorder's thread. Each part's
close() stops its threads but waits only a bounded time, and on a busy machine a decoding under way outlives
it. Python then finalizes the interpreter beneath it: a Whisper decoding left running on a daemon thread at
exit took the process down with "terminate called without an active exception" (SIGABRT) 6 times in 6, and
finalizing an idle listener (collecting the models' heaps, unloading the native libraries) took 3 s of its
3.5 s exit at load ~20. `voxctl listen` did not exit within 15 s of Ctrl+C in 2 of 5 hands-free session
tests at load ~18.

So once the loop has closed everything that keeps data (the history database, the recorder, the grabs),
`leave(code)` runs the exit handlers (the clipboard's hand-over to a detached owner, logging's flush: what
a person would lose), flushes the output and ends the process with `os._exit(code)`: no module teardown runs
beneath a decoding, and the exit costs no more on a busy machine than on an idle one.

Every other command leaves the same way on Ctrl+C (agent/cli.py), once its own cleanup has run: Python's
finalization took 8-16 s of `voxctl exec`'s exit at the confirmation at load ~20 (collecting ~140,000
objects), 0.8-1.3 s at load 7.5; leaving, 0.03-0.09 s.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
from typing import NoReturn


def leave(code: int) -> NoReturn:
    """Ends the process now with `code`, after the exit handlers and flushing stdout, stderr and logging.

    Call it last. The handlers registered with `atexit` still run (the clipboard a command set must outlive
    voxctl); only the interpreter's teardown is skipped.
    """
    with contextlib.suppress(Exception):
        atexit._run_exitfuncs()  # each handler's own error is printed by atexit and does not stop the rest
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken pipe: nothing more to say
            stream.flush()
    os._exit(code)
