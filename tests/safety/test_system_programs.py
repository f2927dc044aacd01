"""Red team: "start reboot" was open_app "reboot", which resolved to /usr/sbin/reboot on PATH and ran at once
(open_app is medium risk: no question). "open yes" started /usr/bin/yes (a core spinning until killed), "open
size" /usr/bin/size. An app is what the platform lists as one; a system program is never started; a program
only PATH knows asks first.

Real parts: programs of those names put first on PATH (each leaves a mark if it is ever run), the grammar, the
policy's risk and the tool on the real desktop (Xvfb)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import run
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.tools.base import Risk
from voxctl.tools.registry import call, risk_of


@pytest.fixture
def planted(tmp_path, monkeypatch):
    """A `reboot` in an sbin folder and a `quuxtool` in a bin folder, first on PATH; each writes a mark when run."""
    marks = tmp_path / "marks"
    marks.mkdir()
    for folder, name in (("sbin", "reboot"), ("bin", "quuxtool")):
        d = tmp_path / folder
        d.mkdir()
        program = d / name
        program.write_text(f"#!/bin/sh\ntouch {marks / name}\n", encoding="utf-8")
        program.chmod(0o755)
    monkeypatch.setenv("PATH", os.pathsep.join([str(tmp_path / "sbin"), str(tmp_path / "bin"), os.environ["PATH"]]))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))  # no desktop entry of the user's names them
    return marks


def test_a_system_program_is_no_app_by_voice_or_by_hand(planted, ctx):
    g = GrammarInterpreter()
    for said in ("start reboot", "open reboot", "launch the reboot app"):
        plan = g.parse(said)
        assert not plan.actions, (said, plan.actions)
    r = run(ctx, "open_app", name="reboot")  # as `voxctl exec` would: the tool refuses it too
    assert not r.ok and "system programs are not started" in r.message
    time.sleep(0.3)
    assert not (planted / "reboot").exists()


def test_a_program_only_path_knows_is_no_app_by_voice_and_asks_by_hand(planted, ctx):
    assert not GrammarInterpreter().parse("open quuxtool").actions
    assert risk_of(call("open_app", name="quuxtool")) == Risk.HIGH  # the policy asks before it runs
    assert not (planted / "quuxtool").exists()


def test_a_listed_app_opens_by_voice_at_its_own_risk(planted, tmp_path):
    entries = tmp_path / "share" / "applications"
    entries.mkdir(parents=True)
    (entries / "org.example.Quux.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Quux Pad\nExec=quuxtool %U\n", encoding="utf-8")
    g = GrammarInterpreter()
    # by its name, and by its program (gedit's entry is org.gnome.gedit.desktop, "Text Editor")
    assert [(c.tool, c.args.name) for c in g.parse("open quux pad").actions] == [("open_app", "quux pad")]
    assert [(c.tool, c.args.name) for c in g.parse("open quuxtool").actions] == [("open_app", "quuxtool")]
    assert risk_of(call("open_app", name="quuxtool")) == Risk.MEDIUM
    assert Path(entries).is_dir()
