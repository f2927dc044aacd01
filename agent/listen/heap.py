"""The C heap of a long listening session: glibc's arenas, its moving mmap threshold, and giving back.

In always mode three threads decode (the open microphone's, the stop check's, the listen loop's graph,
whose grammar decodes an accepted command's audio again: N best, forced scoring) and each allocates
transient buffers of a new size per utterance (mel windows, encoder outputs, numpy copies). glibc gives
each thread its own arena (up to 8 per core) and raises its mmap threshold every time a large block is
freed (up to 32 MB), after which such blocks come from an arena and stay there: RSS rose in steps
(+42 MB over a 9-minute real-time stream with rescoring; +40 MB over 100 graph reads beside an open
microphone, docs/BENCHMARKS.md) while Python's own allocations did not grow.

`bound_heap()` caps the arenas and pins the mmap threshold (large blocks are mapped and unmapped, never
kept); `give_back()` (malloc_trim) returns free pages after each utterance. A value set in the
environment (MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_) wins; outside glibc both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from typing import Any

M_MMAP_THRESHOLD = -3  # mallopt parameters (malloc.h)
M_ARENA_MAX = -8
ARENAS = 2
MMAP_THRESHOLD = 256 * 1024  # bytes: larger blocks are mmapped; fixed, so glibc never raises it


@functools.lru_cache(maxsize=1)
def _libc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        return libc
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        return None


def bound_heap() -> bool:
    """Caps glibc's arenas and fixes its mmap threshold for this process; False where there is no glibc."""
    libc = _libc()
    if libc is None:
        return False
    if "MALLOC_ARENA_MAX" not in os.environ:
        libc.mallopt(M_ARENA_MAX, ARENAS)
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    return True


def give_back() -> None:
    """Returns the heap's free pages to the system (every arena); a few ms."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def rss_mb() -> float:
    """This process's resident memory now, in MB (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
