"""The X11 clipboard through python-xlib (no xclip or xsel needed): read a selection, own one, hand it over.

Typing by pasting (tools/paste.py) puts text on the clipboard and then gives the clipboard its old
content back. X11 selections are owned by a live client, so the old content is served from this process
afterwards (`Owner`, a thread with its own connection); when the process ends while it still serves
something, a small detached process takes over (`hand_over`, as xclip does), so a `voxctl do` leaves the
clipboard as it found it too. Text targets and any other target of a plain size
are kept (an image copied in a browser too); targets sent in INCR chunks are not.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from voxctl.tools.desktop import DesktopError

# A selection's content: target name -> (type name, format 8/16/32, data).
Content = dict[str, tuple[str, int, Any]]

_SPECIAL = ("TARGETS", "MULTIPLE", "TIMESTAMP", "SAVE_TARGETS", "DELETE", "INSERT_SELECTION", "INSERT_PROPERTY")
MAX_TARGETS = 40


def text_content(text: str) -> Content:
    data = text.encode("utf-8")
    out: Content = {t: ("UTF8_STRING", 8, data) for t in ("UTF8_STRING", "text/plain;charset=utf-8")}
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:  # STRING is Latin-1 only; such text is offered as UTF-8 alone
        return out
    out.update({"STRING": ("STRING", 8, latin), "TEXT": ("STRING", 8, latin), "text/plain": ("STRING", 8, latin)})
    return out


def _display() -> Any:
    from voxctl.tools.x11 import open_display

    return open_display()


def read(selection: str = "CLIPBOARD", timeout: float = 1.0) -> Content | None:
    """What `selection` holds now, every target of it (None: nobody owns it)."""
    from Xlib import X

    d = _display()
    try:
        sel = d.intern_atom(selection)
        if d.get_selection_owner(sel) == X.NONE:
            return None
        win = d.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent, X.InputOnly)
        prop = d.intern_atom("VOXCTL_SELECTION")

        def fetch(target: str) -> tuple[str, int, Any] | None:
            win.convert_selection(sel, d.intern_atom(target), prop, X.CurrentTime)
            d.flush()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if not d.pending_events():
                    select.select([d.fileno()], [], [], 0.05)
                    continue
                ev = d.next_event()
                if ev.type == X.SelectionNotify and ev.requestor.id == win.id:
                    if ev.property == X.NONE:
                        return None
                    got = win.get_full_property(prop, X.AnyPropertyType)
                    win.delete_property(prop)
                    if got is None or d.get_atom_name(got.property_type) == "INCR":
                        return None  # sent in chunks (large): not kept
                    value = bytes(got.value) if got.format == 8 else list(got.value)
                    return d.get_atom_name(got.property_type), got.format, value
            return None

        targets = fetch("TARGETS")
        names = [d.get_atom_name(a) for a in targets[2]] if targets and targets[1] == 32 else []
        if not names:  # an old client without TARGETS: ask for text
            names = ["UTF8_STRING", "STRING"]
        out: Content = {}
        for name in [n for n in dict.fromkeys(names) if n not in _SPECIAL][:MAX_TARGETS]:
            got = fetch(name)
            if got is not None:
                out[name] = got
        return out
    finally:
        d.close()


class Owner:
    """Owns selections and serves their content from a thread with its own X connection. `own(selection,
    content)` takes one (None: gives it up); `fetched` is set whenever a client was given data."""

    def __init__(self) -> None:
        from Xlib import X

        self.X = X
        self.d = _display()
        self.win = self.d.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent, X.InputOnly,
                                                      event_mask=X.PropertyChangeMask)
        self.content: dict[int, Content] = {}
        self.fetched = threading.Event()
        self._calls: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._done = threading.Event()
        threading.Thread(target=self._serve, name="voxctl-clipboard", daemon=True).start()

    # -- called from any thread: the work runs on the serving thread, which alone uses the connection ----
    def _on_thread(self, fn: Callable[[], Any], timeout: float = 2.0) -> Any:
        box: dict[str, Any] = {}
        done = threading.Event()

        def job() -> None:
            try:
                box["value"] = fn()
            except Exception as e:  # handed back to the caller
                box["error"] = e
            done.set()

        with self._lock:
            self._calls.append(job)
        os.write(self._wake_w, b"x")
        if self._done.is_set() or not done.wait(timeout):
            raise DesktopError("the clipboard did not answer (is the X server still there?)")
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def own(self, selection: str, content: Content | None) -> None:
        def take() -> None:
            sel = self.d.intern_atom(selection)
            if content is None:
                if self.content.pop(sel, None) is not None:  # owned by no one, as it was before
                    self.d.create_resource_object("window", self.X.NONE).set_selection_owner(sel, self._now())
                    self.d.flush()
                return
            self.content[sel] = content
            self.win.set_selection_owner(sel, self._now())
            if getattr(self.d.get_selection_owner(sel), "id", None) != self.win.id:
                self.content.pop(sel, None)
                raise DesktopError(f"could not take the {selection} selection")

        self._on_thread(take)

    def serving(self) -> dict[str, Content]:
        if self._done.is_set():  # the X server went away
            return {}
        return self._on_thread(lambda: {self.d.get_atom_name(a): c for a, c in self.content.items()})

    def _now(self) -> int:
        """A real server timestamp (ICCCM: never own a selection at CurrentTime): from a property change."""
        X = self.X
        self.win.change_property(self.d.intern_atom("VOXCTL_TIME"), self.d.intern_atom("INTEGER"), 32, [0],
                                 X.PropModeAppend)
        self.d.flush()
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            ev = self.d.next_event() if self.d.pending_events() or select.select(
                [self.d.fileno()], [], [], 0.05)[0] else None
            if ev is None:
                continue
            if ev.type == X.PropertyNotify and ev.window.id == self.win.id:
                return ev.time
            self._handle(ev)
        return X.CurrentTime

    # -- the serving thread -------------------------------------------------------------------------------
    def _serve(self) -> None:
        try:
            self._loop()
        except Exception:  # the X server went away: nothing left to serve
            self._done.set()

    def _loop(self) -> None:
        while True:
            while self.d.pending_events():
                self._handle(self.d.next_event())
            ready, _, _ = select.select([self.d.fileno(), self._wake_r], [], [], 1.0)
            if self._wake_r in ready:
                os.read(self._wake_r, 64)
                with self._lock:
                    calls, self._calls = self._calls, []
                for job in calls:
                    job()
            if ready:
                self.d.pending_events()  # reads what arrived

    def _handle(self, ev: Any) -> None:
        X = self.X
        if ev.type == X.SelectionClear:
            self.content.pop(ev.atom, None)  # someone else copied: it is theirs now
        elif ev.type == X.SelectionRequest:
            self._answer(ev)

    def _answer(self, ev: Any) -> None:
        from Xlib import Xatom
        from Xlib.protocol import event

        X = self.X
        content = self.content.get(ev.selection)
        prop = ev.property if ev.property != X.NONE else ev.target  # obsolete clients give no property
        target = self.d.get_atom_name(ev.target)
        try:
            if content is None:
                prop = X.NONE
            elif target == "TARGETS":
                atoms = [self.d.intern_atom(t) for t in ("TARGETS", "TIMESTAMP", *content)]
                ev.requestor.change_property(prop, Xatom.ATOM, 32, atoms)
            elif target in content:
                kind, fmt, data = content[target]
                ev.requestor.change_property(prop, self.d.intern_atom(kind), fmt, data)
                self.fetched.set()
            else:
                prop = X.NONE
        except Exception:  # the requestor went away
            prop = X.NONE
        reply = event.SelectionNotify(time=ev.time, requestor=ev.requestor, selection=ev.selection,
                                      target=ev.target, property=prop)
        ev.requestor.send_event(reply, event_mask=0)
        self.d.flush()


_OWNER: Owner | None = None


def owner() -> Owner:
    """This process's one clipboard owner (started on first use; hands over at exit)."""
    global _OWNER
    if _OWNER is None:
        _OWNER = Owner()
        atexit.register(hand_over)
    return _OWNER


def hand_over() -> None:
    """At exit: a detached process keeps serving what this one still serves (the restored clipboard)."""
    if _OWNER is None:
        return
    try:
        serving = _OWNER.serving()
    except Exception:  # the display is gone: nothing to keep
        return
    if serving:
        spawn_owner(serving)


def _encode(contents: dict[str, Content]) -> str:
    return json.dumps({sel: {t: [k, f, base64.b64encode(bytes(v)).decode() if f == 8 else v]
                             for t, (k, f, v) in c.items()} for sel, c in contents.items()})


def _decode(raw: str) -> dict[str, Content]:
    return {sel: {t: (k, f, base64.b64decode(v) if f == 8 else v) for t, (k, f, v) in c.items()}
            for sel, c in json.loads(raw).items()}


def spawn_owner(contents: dict[str, Content], timeout: float = 5.0) -> subprocess.Popen:
    """A detached process that owns `contents` (selection -> content) until others take them all."""
    proc = subprocess.Popen([sys.executable, "-c", "from voxctl.tools.clipboard import _keep; _keep()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            start_new_session=True, text=True)
    proc.stdin.write(_encode(contents))  # type: ignore[union-attr]
    proc.stdin.close()  # type: ignore[union-attr]
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready or proc.stdout.readline().strip() != "ready":  # type: ignore[union-attr]
        proc.kill()
        raise DesktopError("could not hand the clipboard over to a background process")
    return proc


def _keep() -> None:
    contents = _decode(sys.stdin.read())
    own = Owner()
    for sel, content in contents.items():
        own.own(sel, content)
    print("ready", flush=True)
    sys.stdout.close()
    while own.serving():
        time.sleep(0.5)
