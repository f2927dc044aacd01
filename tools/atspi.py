"""Clickable elements of the active window from the accessibility tree (AT-SPI, Linux), for numbered labels:
names and roles as the app states them and exact boxes, where the screenshot (tools/elements.py) guesses.

AT-SPI is D-Bus. The accessibility bus's address comes from `AT_SPI_BUS_ADDRESS`, else from
`org.a11y.Bus.GetAddress` on the session bus (which starts at-spi-bus-launcher if need be), else from the
X root window's `AT_SPI_BUS` property (set by that launcher). libatspi reads X before the session bus;
here it is last because python-xlib takes ~0.2 s to load and the session bus answers in ~2 ms.

On that bus the registry lists the applications; the top-level (frame, dialog) that is ACTIVE and covers
most of the active window is walked breadth-first, one level's calls sent at once and their replies read
together (the 12-node test window: ~10 ms idle), keeping what is SHOWING, VISIBLE and ENABLED with a role
one acts on (`ROLES`), boxed by `Component.GetExtents` in screen pixels. The walk has a time budget
(labels are due within 300 ms) and a node cap; past either, or with no bus or no accessible window (Tk,
xterm), the answer is why, and the labels come from the screen instead.

Talks D-Bus with jeepney (pure Python), imported on first use.
"""

from __future__ import annotations

import os
import time
from typing import Any

from voxctl.tools.pointing import Element, Rect

BUDGET = 0.3  # seconds for the whole reading; past it the screen is read instead
MAX_NODES = 3000  # a document with more is read from the screen
MAX_ELEMENTS = 400
BATCH = 256  # calls in flight at once

ACC = "org.a11y.atspi.Accessible"
COMPONENT = "org.a11y.atspi.Component"
REGISTRY = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")
SCREEN_COORDS = 0  # ATSPI_COORD_TYPE_SCREEN

# AtspiRole numbers of what one clicks or types into (checked against Atspi.Role of at-spi2-core 2.46).
ROLES = {7: "check box", 8: "check menu item", 11: "combo box", 32: "list item", 33: "menu", 35: "menu item",
         37: "page tab", 40: "password text", 43: "push button", 44: "radio button", 45: "radio menu item",
         51: "slider", 52: "spin button", 56: "table cell", 61: "text", 62: "toggle button", 79: "entry",
         88: "link", 91: "tree item", 129: "push button menu"}
TEXT_ROLES = {61}  # a "text" is a target only when EDITABLE (otherwise it is a paragraph)
TOP_ROLES = {16: "dialog", 23: "frame", 69: "window"}
# AtspiStateType bits.
ACTIVE, EDITABLE, ENABLED, SENSITIVE, SHOWING, VISIBLE = 1, 7, 8, 24, 25, 30


def _has(states: list[int], bit: int) -> bool:
    return bit // 32 < len(states) and bool(states[bit // 32] >> (bit % 32) & 1)


def _address() -> str | None:
    """The accessibility bus, found the way libatspi finds it; None when there is none."""
    if os.environ.get("AT_SPI_BUS_ADDRESS"):
        return os.environ["AT_SPI_BUS_ADDRESS"]
    try:
        if found := _session_address():
            return found
    except Exception:  # noqa: BLE001 - a session bus that is gone or refuses: try the X property
        pass
    if os.environ.get("DISPLAY"):
        try:
            from Xlib import X, display

            d = display.Display()
            try:
                prop = d.screen().root.get_full_property(d.intern_atom("AT_SPI_BUS"), X.AnyPropertyType)
            finally:
                d.close()
            if prop is not None and prop.value:
                value = prop.value
                return value.decode() if isinstance(value, bytes) else str(value)
        except Exception:  # noqa: BLE001 - no X server or no python-xlib
            pass
    return None


def _session_address() -> str | None:
    from jeepney import DBusAddress, MessageType, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if not bus:
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
        if not (runtime and os.path.exists(os.path.join(runtime, "bus"))):
            return None
        bus = f"unix:path={os.path.join(runtime, 'bus')}"
    with open_dbus_connection(bus) as conn:
        reply = conn.send_and_get_reply(new_method_call(
            DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus"), "GetAddress"),
            timeout=BUDGET)
    if reply.header.message_type != MessageType.method_return:  # no at-spi2-core: org.a11y.Bus unknown
        return None
    return str(reply.body[0]) if reply.body and reply.body[0] else None


class _Late(Exception):
    """The walk ran past its time budget or node cap; the message says which."""


class AccessibilityTree:
    """One connection to the accessibility bus, opened on first use and kept (dropped on any error)."""

    def __init__(self, budget: float = BUDGET) -> None:
        self.budget = budget
        self._conn: Any = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def elements(self, where: Rect) -> list[Element] | str:
        """The clickable elements of the active window inside `where` (screen pixels), in reading order;
        or, when there are none, why (a phrase: "no accessibility bus", ...). Never raises."""
        for _ in range(2):  # a kept connection may have gone stale (the bus restarted): once more, anew
            reused = self._conn is not None
            try:
                found = self._read(where)
            except _Late as e:
                return str(e)
            except Exception as e:  # noqa: BLE001 - a bus gone, a dead app, a refused connection: the screen
                self.close()
                if reused:
                    continue
                return f"the accessibility bus did not answer ({type(e).__name__})"
            if isinstance(found, str):
                return found
            if not found:
                return "the active window's accessibility tree has nothing clickable"
            found.sort(key=lambda e: (e.rect.y + e.rect.h // 2) // 12 * 100000 + e.rect.x)
            return found[:MAX_ELEMENTS]
        return "the accessibility bus did not answer"

    def _read(self, where: Rect) -> list[Element] | str:
        if self._conn is None:  # once: not counted in the budget, like the screen path's imports
            address = _address()
            if address is None:
                return "no accessibility bus"
            from jeepney.io.blocking import open_dbus_connection

            self._conn = open_dbus_connection(address)
        deadline = time.monotonic() + self.budget
        top = self._active_top(where, deadline)
        if top is None:
            return "the active window exposes no accessibility tree"
        return self._walk(top, where, deadline)

    # -- D-Bus, pipelined -----------------------------------------------------------------------------
    def _calls(self, calls: list[tuple[str, str, str, str, str | None, tuple]], deadline: float) -> list[Any]:
        """The reply bodies of these method calls (None for an error reply), sent `BATCH` at a time."""
        from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call

        out: list[Any] = [None] * len(calls)
        for start in range(0, len(calls), BATCH):
            waiting: dict[int, int] = {}
            for i in range(start, min(start + BATCH, len(calls))):
                bus, path, iface, method, sig, body = calls[i]
                serial = next(self._conn.outgoing_serial)
                self._conn.send(new_method_call(DBusAddress(path, bus_name=bus, interface=iface), method, sig, body),
                                serial=serial)
                waiting[serial] = i
            while waiting:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _Late(f"the accessibility tree took over {self.budget * 1000:.0f} ms")
                try:
                    msg = self._conn.receive(timeout=left)
                except TimeoutError:
                    raise _Late(f"the accessibility tree took over {self.budget * 1000:.0f} ms") from None
                i = waiting.pop(msg.header.fields.get(HeaderFields.reply_serial, -1), -1)
                if i >= 0 and msg.header.message_type == MessageType.method_return:
                    out[i] = msg.body
        return out

    def _ask(self, nodes: list[tuple[str, str]], kinds: tuple[str, ...], deadline: float) -> list[dict[str, Any]]:
        """Facts about each node, all asked in one go: "role" (int, 0 unknown), "states" (list of int),
        "children" (list of nodes), "box" (Rect or None), "name" (str)."""
        calls = [(b, p, *QUESTIONS[k]) for b, p in nodes for k in kinds]
        replies = iter(self._calls(calls, deadline))
        return [{k: ANSWERS[k](r[0]) if (r := next(replies)) else EMPTY[k] for k in kinds} for _ in nodes]

    # -- the window and its tree ----------------------------------------------------------------------
    def _active_top(self, where: Rect, deadline: float) -> tuple[str, str] | None:
        """The ACTIVE top-level (frame, dialog) that covers most of `where`, of any application."""
        (root,) = self._ask([REGISTRY], ("children",), deadline)
        tops = [t for app in self._ask(root["children"], ("children",), deadline) for t in app["children"]]
        best, best_share = None, 0.5  # a stale ACTIVE window elsewhere on the screen is not this one
        for top, f in zip(tops, self._ask(tops, ("role", "states", "box"), deadline), strict=True):
            if f["role"] in TOP_ROLES and _has(f["states"], ACTIVE) and _has(f["states"], SHOWING) and f["box"]:
                if (share := _overlap(f["box"], where) / max(1, where.w * where.h)) > best_share:
                    best, best_share = top, share
        return best

    def _walk(self, top: tuple[str, str], where: Rect, deadline: float) -> list[Element]:
        level, seen, targets = [top], 0, []
        while level:
            seen += len(level)
            if seen > MAX_NODES:
                raise _Late(f"the accessibility tree has over {MAX_NODES} nodes")
            facts = self._ask(level, ("role", "states", "children"), deadline)
            targets += [n for n, f in zip(level, facts, strict=True) if _target(f["role"], f["states"])]
            # What is not showing hides its subtree too (a closed menu's items, a hidden tab's page).
            level = [c for f in facts if _has(f["states"], SHOWING) for c in f["children"]]
        found: dict[Rect, Element] = {}
        for f in self._ask(targets, ("box", "name"), deadline):
            box = f["box"]
            if box is None or box.w <= 1 or box.h <= 1 or not where.contains(*box.center):
                continue
            if box not in found or (f["name"] and not found[box].text):  # one label per box: the named one
                found[box] = Element(box, "accessible", f["name"])
        return list(found.values())


def _target(role: int, states: list[int]) -> bool:
    return (role in ROLES and _has(states, SHOWING) and _has(states, VISIBLE)
            and (_has(states, ENABLED) or _has(states, SENSITIVE))
            and (role not in TEXT_ROLES or _has(states, EDITABLE)))


QUESTIONS: dict[str, tuple[str, str, str | None, tuple]] = {
    "role": (ACC, "GetRole", None, ()),
    "states": (ACC, "GetState", None, ()),
    "children": (ACC, "GetChildren", None, ()),
    "box": (COMPONENT, "GetExtents", "u", (SCREEN_COORDS,)),
    "name": ("org.freedesktop.DBus.Properties", "Get", "ss", (ACC, "Name")),
}
ANSWERS: dict[str, Any] = {
    "role": int,
    "states": lambda v: [int(s) for s in v],
    "children": lambda v: [(str(b), str(p)) for b, p in v],
    "box": lambda v: Rect(*(int(n) for n in v)),
    "name": lambda v: str(v[1]) if v[0] == "s" else "",
}
EMPTY: dict[str, Any] = {"role": 0, "states": [], "children": [], "box": None, "name": ""}


def _overlap(a: Rect, b: Rect) -> int:
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return max(0, w) * max(0, h)
