"""Daily-use faults of the real desktop (issue 15): an app opened by voice must not linger as a zombie
once it exits, and "scroll down" must scroll the focused window, not the one under the pointer."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import run, window_titled
from tests.fixtures.xdisplay import wait_for

pytestmark = pytest.mark.display


def state(pid: int) -> str | None:
    """The process's state letter from /proc (Z: a zombie), or None when it is gone for good."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone: the file vanished before the open (ENOENT) or between the open and the read (ESRCH)
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def zombie_children() -> list[int]:
    """This process's children that are zombies (exited, never reaped)."""
    me, out = os.getpid(), []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me and fields[0] == "Z":
                out.append(int(d.name))
    return out


def test_an_app_opened_by_voice_leaves_no_zombie_when_it_exits(ctx, programs):
    before = set(zombie_children())  # another test's child, exited a moment ago, is not this one's to judge
    r = run(ctx, "open_app", name="terminal")  # the alias: xterm -T voxctl-terminal
    assert r.ok, r
    pid = r.data["pid"]
    programs.adopt(pid)
    assert window_titled(ctx.desktop, "voxctl-terminal"), "the xterm did not appear"
    os.kill(pid, 9)  # the app ends (as if its window were closed)
    # voxctl keeps running (as `voxctl listen` does) and starts nothing else meanwhile.
    gone = wait_for(lambda: state(pid) is None, 10)
    assert gone, f"pid {pid} is still there in state {state(pid)!r} (a zombie: nobody reaped it)"
    # nothing it started lingers either (a child reaped by its waiter a moment later is no zombie: on a busy
    # box CI saw one in the instant between its exit and its wait)
    assert wait_for(lambda: not set(zombie_children()) - before, 10), set(zombie_children()) - before


def test_scroll_reaches_the_focused_window_not_the_one_under_the_pointer(ctx, programs):
    talked_to = programs.logger("voxctl focused", geometry="360x260+60+120")
    other = programs.logger("voxctl under pointer", geometry="360x260+700+120")
    win = window_titled(ctx.desktop, "voxctl focused")
    assert win is not None
    assert run(ctx, "focus_window", title="voxctl focused").ok
    # The pointer rests on the other window, as it does when the user looked elsewhere last.
    assert run(ctx, "move_mouse", x=other.point()[0], y=other.point()[1]).ok
    r = run(ctx, "scroll", direction="down", amount=4)
    assert r.ok, r
    got = [e["direction"] for e in talked_to.wait("scroll", 4)]
    time.sleep(0.3)  # any stray wheel event for the other window arrives meanwhile
    assert got == ["down"] * 4, f"the focused window got {got}"
    assert other.events("scroll") == [], "the window under the pointer was scrolled"
    # The pointer now rests in the focused window; scrolling again does not move it.
    at = ctx.desktop.pointer()
    assert run(ctx, "scroll", direction="up", amount=2).ok
    assert [e["direction"] for e in talked_to.wait("scroll", 6)][4:] == ["up", "up"]
    assert ctx.desktop.pointer() == at
    # With the pointer already inside the focused window, it is not moved to the centre.
    inside = talked_to.point(0.2, 0.8)
    assert run(ctx, "move_mouse", x=inside[0], y=inside[1]).ok
    assert run(ctx, "scroll", direction="down", amount=1).ok
    assert len(talked_to.wait("scroll", 7)) == 7
    assert ctx.desktop.pointer() == inside


def test_an_app_named_by_its_kind_opens_the_users_default_of_that_kind(ctx, programs, tmp_path, monkeypatch):
    """"open the internet", "open my email" (blind probe set 53): the default app of that kind that mimeapps.list
    names, else the first desktop entry of its category (tools/app_kinds.yaml); a kind with no app is no app."""
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.tools.apps import resolve_app

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "none"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "none"))
    entries = tmp_path / "share" / "applications"
    entries.mkdir(parents=True)
    grammar = GrammarInterpreter(None)
    assert not grammar.parse("open the internet").actions  # no browser installed: no app of that kind
    assert resolve_app("email", {}) is None
    for stem, title in (("aardweb", "voxctl first browser"), ("zorbweb", "voxctl default browser")):
        (entries / f"{stem}.desktop").write_text(
            f"[Desktop Entry]\nName={stem.title()}\nExec=xterm -T '{title}' %u\nCategories=Network;WebBrowser;\n",
            encoding="utf-8")
    assert resolve_app("the browser", {}) == ["xterm", "-T", "voxctl first browser"]  # no default: its category's first
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "mimeapps.list").write_text(
        "[Default Applications]\nx-scheme-handler/https=zorbweb.desktop\n", encoding="utf-8")
    for said in ("open the internet", "would you please open the browser", "open the web browser"):
        acts = grammar.parse(said).actions
        assert [a.tool for a in acts] == ["open_app"], said
        assert resolve_app(acts[0].args.name, {}) == ["xterm", "-T", "voxctl default browser"], said
    assert resolve_app("my email", {}) is None and not grammar.parse("open my email").actions  # no mail app either
    r = run(ctx, "open_app", name="internet")
    assert r.ok, r
    programs.adopt(r.data["pid"])
    assert window_titled(ctx.desktop, "voxctl default browser"), "the default browser's window did not appear"
