"""`desktop.typing: paste` (issue 13.6) on a German keyboard layout: text lands exactly in a Tk text widget and
in an xterm, the clipboard holds what it held before, and a line break in a terminal is still refused unasked."""

from __future__ import annotations

import subprocess

import pytest

from tests.apps import text_box
from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import window_titled
from tests.fixtures.xdisplay import wait_for
from voxctl.agent.config import COMMAND_WINDOWS
from voxctl.tools import clipboard
from voxctl.tools.desktop import DesktopError
from voxctl.tools.guard import GuardedDesktop
from voxctl.tools.realdesktop import RealDesktop

pytestmark = pytest.mark.display


@pytest.fixture
def german(xdisplay):
    """The test display with a German layout (@ is AltGr+Q, / is Shift+7, ä a key of its own), then US again."""
    subprocess.run(["setxkbmap", "-display", xdisplay, "de"], check=True, timeout=10)
    try:
        query = subprocess.run(["setxkbmap", "-display", xdisplay, "-query"], capture_output=True, text=True).stdout
        assert "de" in query.split("layout:")[1].split()[0], query  # keys mode types '"-§Ü*' for '@/#{}' here
        yield
    finally:
        subprocess.run(["setxkbmap", "-display", xdisplay, "us"], check=True, timeout=10)


def clip(selection: str = "CLIPBOARD") -> bytes | None:
    content = clipboard.read(selection)
    return content["UTF8_STRING"][2] if content and "UTF8_STRING" in content else None


def test_paste_types_exactly_on_a_german_layout_and_keeps_the_clipboard(programs, desktop, german, tmp_path):
    box = text_box.start(programs, "Paste Box")
    paster = RealDesktop(typing="paste", command_windows=COMMAND_WINDOWS)
    paster.activate(window_titled(paster, "Paste Box"))
    # Another program owns the clipboard, with text that is not ASCII.
    keeper = clipboard.spawn_owner({"CLIPBOARD": clipboard.text_content("vorher: Grüße ✓")})
    try:
        assert clip() == "vorher: Grüße ✓".encode()
        paster.type_text("@/#{}")
        paster.type_text(" ä → ß")
        assert wait_for(lambda: box.text() == "@/#{} ä → ß", 5), box.text()
        assert clip() == "vorher: Grüße ✓".encode()  # served again, now by this process
        assert keeper.wait(timeout=5) == 0  # the keeper lost it to the paste, and ended as it should

        # When this process ends, a detached one keeps serving what was restored.
        clipboard.hand_over()
        assert clip() == "vorher: Grüße ✓".encode()
    finally:
        if keeper.poll() is None:
            keeper.kill()

    # An xterm pastes with shift+insert from the selections; nothing was on PRIMARY, and nothing is after.
    out = tmp_path / "typed.txt"
    programs.xterm_cat("paste-xterm", out)
    paster.activate(window_titled(paster, "paste-xterm"))
    before_primary = clip("PRIMARY")
    paster.type_text("grüße @home {x}")
    paster.press(["enter"])
    assert wait_for(lambda: out.exists() and out.read_text(encoding="utf-8") == "grüße @home {x}\n", 5), \
        out.read_text(encoding="utf-8") if out.exists() else None
    assert clip("PRIMARY") == before_primary

    # Text with a line break pastes a command into the shell: the guard still refuses it unasked.
    guarded = GuardedDesktop(paster, command_windows=COMMAND_WINDOWS)
    with pytest.raises(DesktopError, match="line break"):
        guarded.type_text("ls\n")
    assert out.read_text(encoding="utf-8") == "grüße @home {x}\n"
