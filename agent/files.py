"""Reading a text file the user named (configuration, macros, a plan) so that bad input is one clear line.

Only a regular file is read: a FIFO, a device or a socket would block the read forever (or never end),
so it is refused at once (a plan may come through a pipe on purpose: `voxctl exec <(make-plan)`, and
says so with `pipes=True`). The text must be UTF-8, and is bounded in size so a wrong path (a disk
image, a log) cannot fill the memory. Every failure is a `UserFileError` whose str() is one line naming
the file; callers wrap it in their own error type (ConfigError, MacroError, BindingError). `read_yaml` parses it too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

MAX_BYTES = 16 * 1024 * 1024


class UserFileError(Exception):
    """A named file that cannot be read as text; str() is the one-line message for the user."""


def read_text(path: str | Path, what: str, *, pipes: bool = False, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of `path` ("configuration file", "macros file", ... in messages)."""
    p = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO for reading must not wait for a writer before we can look at it.
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UserFileError(f"{p}: {what} not found") from None
    except IsADirectoryError:
        raise UserFileError(f"{p}: is a directory, not a {what}") from None
    except OSError as e:
        raise UserFileError(f"{p}: cannot read the {what}: {e.strerror or e}") from None
    st = os.fstat(fd)
    mode = st.st_mode
    if stat.S_ISCHR(mode) and os.path.exists(os.devnull) and os.path.samestat(st, os.stat(os.devnull)):
        os.close(fd)
        return ""  # `--config /dev/null`: deliberately nothing
    if not stat.S_ISREG(mode) and not (pipes and stat.S_ISFIFO(mode)):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise UserFileError(f"{p}: is a directory, not a {what}")
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise UserFileError(f"{p}: is {kind}, not a regular file; give the {what} as a file")
    with os.fdopen(fd, "rb") as f:
        try:
            if stat.S_ISFIFO(mode):  # a pipe asked for: open it again, waiting for its writer as any reader
                with p.open("rb") as pipe:
                    data = pipe.read(max_bytes + 1)
            else:
                data = f.read(max_bytes + 1)
        except OSError as e:
            raise UserFileError(f"{p}: cannot read the {what}: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise UserFileError(f"{p}: too large for a {what} (more than {max_bytes // 2**20} MB)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise UserFileError(f"{p}: the {what} is not UTF-8 text (byte 0x{data[e.start]:02x} on line {line}); "
                            "save it as UTF-8") from None


def read_yaml(path: str | Path, what: str) -> Any:
    """The YAML data of `path` (read_text's checks first; an empty file is None). A file that is not YAML is a
    UserFileError naming it and the line: "config.yaml: not valid YAML at line 3: ..."."""
    import yaml

    text = read_text(path, what)
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise UserFileError(f"{path}: not valid YAML: nested too deeply") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise UserFileError(f"{path}: not valid YAML{where}: {getattr(e, 'problem', e)}") from None
