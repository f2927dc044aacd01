"""Web addresses by voice ("go to wikipedia dot org"): open_url opens the page through the platform's opener,
never by keys typed into the focused window, and only http(s) addresses with a real host."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.apps.harness import run
from tests.fixtures.xdisplay import wait_for
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.utterance import Utterance
from voxctl.tools.registry import validate_action
from voxctl.tools.web import web_address


def _plan(g: GrammarInterpreter, said: str) -> list[tuple[str, dict]]:
    return [(a.tool, a.args.model_dump(exclude_none=True)) for a in g.interpret(Utterance.from_text(said)).actions]


@pytest.mark.parametrize("said, url", [
    ("go to wikipedia dot org", "https://wikipedia.org"),
    ("Go to google.com.", "https://google.com"),
    ("open github dot com slash anthropics", "https://github.com/anthropics"),
    ("navigate to the site news dot ycombinator dot com", "https://news.ycombinator.com"),
    ("open localhost colon 8000", "http://localhost:8000"),
    ("Open github. com.", "https://github.com"),  # the recogniser's "github dot com" (en-us+m1, en-us+f2)
    ("go to localhost colon eight thousand", "http://localhost:8000"),
])
def test_a_spoken_web_address_is_opened(said, url):
    assert _plan(GrammarInterpreter(), said) == [("open_url", {"url": url})]


def test_a_heard_full_stop_is_a_dot_only_before_a_top_level_domain():
    g = GrammarInterpreter()
    assert _plan(g, "open github. com slash voxctl") == [("open_url", {"url": "https://github.com/voxctl"})]
    assert _plan(g, "go to en. wikipedia. org") == [("open_url", {"url": "https://en.wikipedia.org"})]
    # Whisper's "open vs. code." (every dev voice said "open vs code"): the app, not https://vs.code.
    assert _plan(g, "open vs. code.") == [("open_app", {"name": "vs code"})]
    assert all(t != "open_url" for t, _ in _plan(g, "go to st. louis"))
    # "dot" said is a dot whatever follows it.
    assert _plan(g, "go to example dot code") == [("open_url", {"url": "https://example.code"})]


def test_an_address_in_talk_or_a_chain():
    g = GrammarInterpreter()
    # Words with no "dot" between them are talk, not an address ("amazon.comandorderit" is no host).
    assert all(t != "open_url" for t, _ in _plan(g, "go to amazon dot com and order it"))
    assert _plan(g, "go to google dot com and type cats") == [
        ("open_url", {"url": "https://google.com"}), ("type_text", {"text": "cats"})]
    # What names an app or a window stays one.
    assert _plan(g, "open firefox") == [("open_app", {"name": "firefox"})]
    assert _plan(g, "go to the terminal window") == [("focus_window", {"title": "terminal"})]


@pytest.mark.parametrize("bad", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com", "not a url",
                                 "google.", "example.c0m"])
def test_only_http_addresses_with_a_host_are_opened(bad):
    assert web_address(bad) is None
    call, problems = validate_action({"tool": "open_url", "args": {"url": bad}})
    assert call is None and problems


@pytest.mark.display
def test_open_url_starts_the_browser_opener_with_the_address(ctx, tmp_path, monkeypatch):
    """The real launch primitive starts the platform's opener as its own process. xdg-open itself is not
    installed here (no browser on the box): a program of that name first on PATH records what it was given."""
    got = tmp_path / "opened.txt"
    opener = tmp_path / "bin" / "xdg-open"
    opener.parent.mkdir()
    # written whole, then renamed: the file must not be seen before its words are in it (a busy box read it empty)
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {got}.part && mv {got}.part {got}\n')
    opener.chmod(opener.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{opener.parent}{os.pathsep}{os.environ['PATH']}")
    r = run(ctx, "open_url", url="wikipedia.org/wiki/Talon")
    assert r.ok, r
    assert wait_for(got.exists, 10), "the opener was not started"
    assert Path(got).read_text().split() == ["https://wikipedia.org/wiki/Talon"]


def test_a_web_address_said_aloud(speech, bundled_whisper):
    g = GrammarInterpreter(None, {}, transcriber=bundled_whisper)
    result = g.read(speech("go to wikipedia dot org", "slt"))
    assert [(a.tool, a.args.url) for a in result.plan.actions] == [("open_url", "https://wikipedia.org")], \
        result.plan.transcript
