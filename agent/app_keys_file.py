"""The user's own keys for apps' actions (`desktop.app_keys_file`): the bundled tools/app_keys.yaml with the user's
file merged over it (tools/app_keys.with_user), read when the configuration is checked and when the session is built
(agent/session.py installs it for every part: the grammar's keys, the policy's effects, the guard).

A person who rebound VS Code's go to line, or who reads mail in an app the table does not know, writes only what
differs:

    apps:
      vscode:
        keys: {go_to_line: [ctrl, l]}
      mutt:
        name: mutt
        window: ['\\bmutt\\b']
        keys: {reply: [r], send: [y]}
"""

from __future__ import annotations

from pathlib import Path

from voxctl.tools.app_keys import Table, bundled, with_user
from voxctl.tools.bindings import BindingError


def load_app_keys(path: str | None) -> Table:
    """The table for `path` (None: the bundled one). Raises BindingError, one line naming the file."""
    if not path:
        return bundled()
    from voxctl.agent.files import UserFileError, read_yaml

    p = Path(path).expanduser()
    try:
        data = read_yaml(p, "app keys file") or {}
    except UserFileError as e:
        raise BindingError(str(e)) from None
    return with_user(data, str(p))
