"""Macros recorded by voice: "start recording <name>", ordinary commands (they run as usual), "stop recording".

The recording is a row in the history file (`voxctl_recording`), so it spans `voxctl do` calls as well as
the utterances of one `listen`. "stop recording" takes the steps of every plan that ran to the end since
the start (as validated: macros and "again" already expanded), saves them as the macro `name` in the
macros file, checked as the file is checked at start (agent/macros.py), the previous file kept beside it
as `<file>.bak`. "delete macro <name>" is a high-risk tool (tools/meta.py): it asks first, then removes
the macro the same way (`MacrosFile.delete`). The running Session keeps the macros it was built with
(agent/session.py): a new or deleted macro counts from the next `voxctl do`, or after restarting `listen`.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import yaml

from voxctl.agent.history_table import HistoryTable
from voxctl.agent.macros import MacroError, default_macros_path, parse_macros
from voxctl.tools.desktop import DesktopError
from voxctl.tools.macros import find_macro

SCHEMA = """
CREATE TABLE IF NOT EXISTS voxctl_recording (
    name TEXT NOT NULL, started REAL NOT NULL, thread_id TEXT NOT NULL);
"""
_META = frozenset({"start_recording", "stop_recording", "list_commands", "delete_macro"})


class MacrosFile:
    """The user's macros file: read as YAML, changed, checked whole and written with a backup.
    Also the tools' view of it (tools/meta.py `delete_macro`)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path).expanduser() if path else default_macros_path()

    def _data(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise MacroError(f"{self.path}: expected a mapping of macro name -> actions")
        return data

    def _write(self, data: dict[str, Any]) -> str:
        parse_macros(data, self.path)  # the whole file as it will be: MacroError, nothing written
        self.path.parent.mkdir(parents=True, exist_ok=True)
        kept = ""
        if self.path.exists():
            backup = self.path.with_name(self.path.name + ".bak")
            shutil.copy2(self.path, backup)
            kept = f"; the previous file is kept as {backup}"
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        os.replace(tmp, self.path)  # never half a file
        return kept

    def save(self, name: str, actions: list[dict[str, Any]]) -> str:
        data = self._data()
        old = find_macro(name, [k for k in data if isinstance(k, str)])
        if old is not None:
            del data[old]
        data[name] = {"actions": actions}
        kept = self._write(data)
        verb = "replaced" if old is not None else "saved"
        return f"{verb} macro {name!r} ({len(actions)} step{'s' if len(actions) != 1 else ''}) in {self.path}{kept}"

    def delete(self, name: str) -> str:
        """Remove macro `name`; returns what was done. Raises DesktopError (a value for the tool)."""
        try:
            data = self._data()
            key = find_macro(name, [k for k in data if isinstance(k, str)])
            if key is None:
                raise DesktopError(f"no macro called {name!r} in {self.path}")
            del data[key]
            kept = self._write(data)
        except (MacroError, OSError, yaml.YAMLError) as e:
            raise DesktopError(f"macro {name!r} was not deleted: {e}") from None
        return f"deleted macro {key!r} from {self.path}{kept}"


class Recorder(HistoryTable):
    """The one recording in progress, kept in the history file."""

    schema = SCHEMA

    def active(self) -> tuple[str, float, str] | None:
        rows = self._exec("SELECT name, started, thread_id FROM voxctl_recording LIMIT 1")
        return rows[0] if rows else None

    def start(self, name: str, thread_id: str) -> str:
        now = self.active()
        if now is not None:
            return f"already recording macro {now[0]!r}; say \"stop recording\" first"
        self._exec("INSERT INTO voxctl_recording (name, started, thread_id) VALUES (?, ?, ?)",
                   (name, time.time(), thread_id))
        return f"recording macro {name!r}: say the commands (they run as usual), then \"stop recording\""

    def stop(self, macros: MacrosFile) -> tuple[bool, str]:
        """(saved, what happened): the steps since the start saved as the macro; the recording ends."""
        now = self.active()
        if now is None:
            return False, "nothing is being recorded; say \"start recording\" and a name first"
        name, started, tid = now
        self._exec("DELETE FROM voxctl_recording")
        rows = self._exec("SELECT plan FROM voxctl_runs WHERE status = 'done' AND started >= ? AND thread_id != ? "
                          "AND plan IS NOT NULL ORDER BY started, rowid", (started, tid))
        actions = [a for (raw,) in rows for a in (json.loads(raw) or {}).get("actions") or []
                   if a.get("tool") not in _META]
        if not actions:
            return False, f"nothing ran while recording, so macro {name!r} was not saved"
        try:
            return True, macros.save(name, actions)
        except (MacroError, OSError, yaml.YAMLError) as e:
            return False, f"macro {name!r} was not saved: {e}"
