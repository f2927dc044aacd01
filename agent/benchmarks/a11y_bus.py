"""A private D-Bus session bus with the accessibility bus behind it, for benchmarks and tests of numbered
labels from AT-SPI (tools/atspi.py): GTK apps started with its environment expose their widgets, and
voxctl reads them, without touching the machine's own session.

at-spi2-core's bus launcher is started by D-Bus activation the first time anyone asks `org.a11y.Bus` for
the address; it puts the address on the X root window (`AT_SPI_BUS`) too. At the end the launcher is
stopped by its process id (it takes its bus and the registry along), then the session bus, and the X
property is removed so no later app on that display reaches for a bus that is gone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

SYSTEM_PYTHON = "/usr/bin/python3"  # GTK's Python bindings come from Debian (python3-gi), not the venv
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def missing() -> str | None:
    """Why GTK apps cannot be shown over AT-SPI here (a sentence), or None."""
    if not (shutil.which("dbus-daemon") and os.path.exists(LAUNCHER)):
        return "needs dbus-daemon and at-spi2-core (apt-get install dbus-daemon at-spi2-core)"
    if not os.path.exists(SYSTEM_PYTHON) or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('Gtk', '3.0')"], capture_output=True,
            timeout=30).returncode != 0:
        return "needs the system Python with GTK 3 (apt-get install python3-gi gir1.2-gtk-3.0)"
    return None


@contextmanager
def private_session_bus() -> Iterator[dict[str, str]]:
    """A session bus of its own for the block, with DBUS_SESSION_BUS_ADDRESS pointing at it (this process);
    yields the environment for the apps to start (GTK's accessibility bridge left on)."""
    with tempfile.TemporaryDirectory(prefix="voxctl-a11y-") as run:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_AT_BRIDGE", "GTK_A11Y", "AT_SPI_BUS_ADDRESS")}
        env["XDG_RUNTIME_DIR"] = run  # the launcher's socket goes here
        daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert daemon.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = address = daemon.stdout.readline().strip()
        saved = {k: os.environ.get(k) for k in ("DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS")}
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        os.environ.pop("AT_SPI_BUS_ADDRESS", None)
        try:
            yield env
        finally:
            _stop_launcher(address)
            daemon.terminate()
            daemon.wait(timeout=5)
            daemon.stdout.close()
            if os.environ.get("DISPLAY") and shutil.which("xprop"):
                subprocess.run(["xprop", "-root", "-remove", "AT_SPI_BUS"], check=False, timeout=10,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def _stop_launcher(address: str) -> None:
    """at-spi-bus-launcher, if it was activated on this bus, by its process id."""
    from jeepney import DBusAddress, MessageType, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    dbus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus")
    try:
        with open_dbus_connection(address) as conn:
            reply = conn.send_and_get_reply(new_method_call(dbus, "GetConnectionUnixProcessID", "s",
                                                            ("org.a11y.Bus",)), timeout=5)
        if reply.header.message_type != MessageType.method_return:
            return  # never activated
        os.kill(int(reply.body[0]), 15)
    except (OSError, TimeoutError, ValueError, TypeError, IndexError):
        pass
