"""A guess said back and taken with a "yes" (agent/interpret/guessed.py): the real ActionPlan values, a clock
stepped by hand."""

from __future__ import annotations

from voxctl.agent.interpret.guessed import FRESH_S, Guesses, says_yes
from voxctl.tools.registry import ActionPlan, call


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _guess() -> ActionPlan:
    return ActionPlan(source="understand", transcript="flip to the other tab", reason="did you mean: ...",
                      guess=[call("press_keys", keys=["ctrl", "tab"])])


def _said(text: str, *actions) -> ActionPlan:
    return ActionPlan(source="grammar", transcript=text, actions=list(actions))


def test_a_yes_runs_the_guess_once() -> None:
    g = Guesses(Clock())
    assert g.answer(_guess()).actions == []
    plan = g.answer(_said("yes please"))
    assert [c.args.keys for c in plan.actions] == [["ctrl", "tab"]] and plan.source == "understand"
    assert plan.transcript == "yes please" and "flip to the other tab" in plan.reason and plan.guess == []
    assert g.answer(_said("yes")).actions == []


def test_only_a_fresh_guess_and_only_a_yes_and_nothing_else_in_between() -> None:
    clock = Clock()
    g = Guesses(clock)
    g.answer(_guess())
    clock.t += FRESH_S + 1
    assert g.answer(_said("yes")).actions == []  # too late
    g.answer(_guess())
    assert g.answer(_said("no not that one")).actions == []
    assert g.answer(_said("yes")).actions == []  # the no forgot it
    g.answer(_guess())
    scrolled = g.answer(_said("scroll down", call("scroll", direction="down")))
    assert [c.tool for c in scrolled.actions] == ["scroll"]  # another command runs as said...
    assert g.answer(_said("yes")).actions == []  # ...and forgets the guess


def test_what_a_yes_is() -> None:
    assert says_yes("yes") and says_yes("yeah that one") and says_yes("yes please do that")
    assert not says_yes("no not that one") and not says_yes("yes no") and not says_yes("yes close the window")
    assert not says_yes("") and not says_yes("please")


def test_the_guess_is_no_part_of_the_plan_a_backend_writes() -> None:
    from voxctl.tools.registry import plan_schema

    assert "guess" not in plan_schema()["properties"] and "guess" not in _guess().to_json()
