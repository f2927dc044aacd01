""""select the whole line" (blind probe4) through the real graph and grammar into a real Tk text widget on Xvfb with
openbox, checked by what the widget holds after typing over the selection. The model's nearest reading had been
select all (ctrl+a), which would have replaced every line."""

from __future__ import annotations

import pytest

from tests.apps import text_box
from tests.apps.harness import *  # noqa: F403 - the fixtures: desktop, ctx, programs
from tests.test_scratch_repeat import config, holds, say
from voxctl.agent.graph import Agent

pytestmark = pytest.mark.display


@pytest.mark.parametrize("said", ["select the whole line", "highlight this line"])
def test_select_the_line_selects_that_line_only(tmp_path, programs, desktop, said):
    box = text_box.start(programs, "Line Box")
    agent = Agent(config(tmp_path), desktop=desktop)
    try:
        assert say(agent, "switch to line box")["status"] == "done"
        assert say(agent, "type first line")["status"] == "done"
        assert say(agent, "press enter")["status"] == "done"
        assert say(agent, "type second line")["status"] == "done"
        assert say(agent, "press left three times")["status"] == "done"  # the caret inside the line
        v = say(agent, said)
        assert v["status"] == "done" and [a["tool"] for a in v["decision"]["actions"]] == ["press_keys"] * 2, v
        assert say(agent, "type replaced")["status"] == "done"
        assert holds(box, "first line\nreplaced"), box.text()
    finally:
        agent.close()
