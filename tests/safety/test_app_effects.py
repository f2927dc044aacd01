"""An app's own actions on real windows: "reply" presses the keys of the app that is focused, and keys that
cannot be taken back there (ctrl+enter sends the message in a mail app) always ask first, whoever says them.

Real parts: the Tk event logger (tests/apps/event_logger.py) titled as Thunderbird's and VS Code's windows
are, the RealDesktop on Xvfb + openbox, the LangGraph agent with the grammar interpreter, the guard. Judged by
effect: the keys the window received. Before tools/app_keys.yaml, "reply all" was the understanding model's
ctrl+a (select all) and "send it" / "go to line forty two" no command; a ctrl+enter said in a mail window ran
unasked. The same sends answered yes do reach the window (the checks can fail).
"""

from __future__ import annotations

import time

import pytest

from tests.apps.harness import *  # noqa: F403 - the desktop and programs fixtures
from tests.apps.harness import window_titled
from tests.fixtures.xdisplay import wait_for
from tests.safety.conftest import safety_config
from voxctl.agent.graph import Agent
from voxctl.agent.utterance import Utterance
from voxctl.tools.desktop import DesktopError
from voxctl.tools.guard import GuardedDesktop

pytestmark = pytest.mark.display

CTRL, SHIFT = 4, 1  # X modifier bits in the logger's `state`
MAIL = "Inbox - user@example.com - Mozilla Thunderbird"
CODE = "main.py - project - Visual Studio Code"


def pressed(logger) -> list[tuple[str, int]]:
    return [(e["keysym"].lower(), e["state"] & (CTRL | SHIFT)) for e in logger.events("key")
            if e["keysym"] not in ("Control_L", "Shift_L", "Control_R", "Shift_R")]


def seen(logger, n: int, timeout: float = 5.0) -> list[tuple[str, int]]:
    """The keys the window received, once `n` keys (modifiers apart) have arrived or `timeout` has passed: a chord's
    modifier is logged before its key, so a count of key events alone can stop between them."""
    wait_for(lambda: len(pressed(logger)) >= n, timeout)
    return pressed(logger)


def say(agent: Agent, text: str, approve: bool | None = None) -> dict:
    """One utterance as `voxctl do` runs it, the screen read from the real desktop; a question is answered
    `approve` (None: the test asserts none was asked)."""
    tid = agent.start(Utterance.from_text(text, agent.screen_state()))
    if agent.paused_at(tid) == ("confirm",):
        assert approve is not None, f"{text!r} asked: {agent.values(tid).get('decision')}"
        agent.resume(tid, {"approved": approve, "via": "test", "heard": "yes" if approve else "no"})
    else:
        assert approve is None, f"{text!r} did not ask"
    return agent.values(tid)


@pytest.fixture
def mail(desktop, programs):
    logger = programs.logger(MAIL, geometry="420x300+200+150")
    desktop.activate(window_titled(desktop, MAIL))
    time.sleep(0.2)
    return logger


def test_mail_actions_press_the_focused_apps_keys_and_send_asks(tmp_path, desktop, mail):
    agent = Agent(safety_config(tmp_path), desktop=desktop)
    try:
        assert say(agent, "reply all")["status"] == "done"
        assert seen(mail, 1)[-1:] == [("r", CTRL | SHIFT)]
        # Sending cannot be taken back: asked, answered no, nothing reaches the window.
        for words in ("send it", "press control enter"):
            before = len(pressed(mail))
            values = say(agent, words, approve=False)
            assert values["status"] == "cancelled" and "sends the message in Thunderbird" in str(values["decision"])
            time.sleep(0.5)
            assert pressed(mail)[before:] == [], words
        values = say(agent, "send the email", approve=True)
        assert values["status"] == "done"
        assert seen(mail, 2)[-1:] == [("return", CTRL)]
    finally:
        agent.close()


def test_the_same_words_elsewhere_press_nothing_of_the_mail_app(tmp_path, desktop, programs):
    code = programs.logger(CODE, geometry="420x300+200+150")
    desktop.activate(window_titled(desktop, CODE))
    time.sleep(0.2)
    agent = Agent(safety_config(tmp_path), desktop=desktop)
    try:
        values = say(agent, "send it")  # no mail app focused: no command, nothing pressed
        assert values["status"] == "nothing" and "send has keys in Thunderbird" in values["summary"]
        assert say(agent, "go to line forty two")["status"] == "done"
        want = [("g", CTRL), ("4", 0), ("2", 0), ("return", 0)]
        assert seen(code, 4) == want
    finally:
        agent.close()


def test_the_guard_refuses_a_send_unconfirmed_where_the_focus_went(desktop, mail):
    """The policy judged the plan in another window; the keys land in the mail window: only a yes lets them."""
    with pytest.raises(DesktopError, match="sends the message in Thunderbird"):
        GuardedDesktop(desktop).press(["ctrl", "enter"])
    time.sleep(0.5)
    assert pressed(mail) == []
    GuardedDesktop(desktop, confirmed=True).press(["ctrl", "enter"])
    assert seen(mail, 1) == [("return", CTRL)]


def test_a_send_after_a_focus_change_is_judged_where_it_lands(tmp_path, desktop, programs, mail):
    """Said in the editor, "switch to thunderbird and send it" is the mail app's ctrl+enter (the app it lands in, not
    the editor's), and it asks as a send there does: answered no, nothing reaches the mail window."""
    programs.logger(CODE, geometry="300x200+700+150")
    desktop.activate(window_titled(desktop, CODE))
    time.sleep(0.2)
    agent = Agent(safety_config(tmp_path), desktop=desktop)
    try:
        values = say(agent, "switch to thunderbird and send it", approve=False)
        assert values["status"] == "cancelled" and "sends the message in Thunderbird" in str(values["decision"])
        assert [a["tool"] for a in values["plan"]["actions"]] == ["focus_window", "press_keys"]
        time.sleep(0.5)
        assert pressed(mail) == []
    finally:
        agent.close()


def test_a_users_own_mail_app_and_keys_still_ask_before_sending(tmp_path, desktop, programs):
    """`desktop.app_keys_file` (agent/app_keys_file.py): a mail app the table does not know, with its own send key,
    and Thunderbird's send rebound. Sending cannot be taken back whatever keys it presses, so the effect stays with
    the action: written as a plain list of keys, a user's send would otherwise have run unasked."""
    keys = tmp_path / "app_keys.yaml"
    keys.write_text("apps:\n  mutt:\n    name: mutt\n    window: ['\\bmutt\\b']\n    keys: {reply: [r], send: [y]}\n",
                    encoding="utf-8")
    title = "mutt - Inbox"
    logger = programs.logger(title, geometry="420x300+200+150")
    desktop.activate(window_titled(desktop, title))
    time.sleep(0.2)
    agent = Agent(safety_config(tmp_path, desktop={"app_keys_file": str(keys)}), desktop=desktop)
    try:
        assert say(agent, "reply")["status"] == "done"
        assert seen(logger, 1) == [("r", 0)]
        values = say(agent, "send it", approve=False)
        assert values["status"] == "cancelled" and "sends the message in mutt" in str(values["decision"])
        time.sleep(0.5)
        assert pressed(logger) == [("r", 0)]  # nothing more reached it
        assert say(agent, "send it", approve=True)["status"] == "done"
        assert seen(logger, 2)[-1:] == [("y", 0)]
    finally:
        agent.close()
        from voxctl.tools.app_keys import install

        install(None)
