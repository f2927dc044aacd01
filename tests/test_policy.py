"""The policy: tiers from the registry, per-tool and per-window overrides, limits, and what can never be
lowered. Pure code: plans are built with the registry, decisions are values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voxctl.agent.config import Config, ConfigError, PolicyConfig, load_config
from voxctl.agent.macros import Macro, MacroBook
from voxctl.agent.policy import Policy
from voxctl.tools.base import Risk
from voxctl.tools.registry import TOOLS, ActionPlan, call

TERMINAL_ENTER = {"window": "term", "tool": "press_keys", "keys": ["enter"], "after": "type_text", "risk": "high"}
HOTKEYS = {"talk": "ctrl+alt+space", "stop": "ctrl+alt+period"}


def policy(**cfg) -> Policy:
    return Policy(PolicyConfig.model_validate(cfg), HOTKEYS)


def expanded(macros, *calls, **decide) -> dict:
    """Keyword arguments for `decide`: the plan with its macros expanded (as the validate node does)."""
    e = MacroBook({n: Macro(n, steps) for n, steps in macros.items()}).expand(calls)
    return {"plan": ActionPlan(actions=e.actions), "origins": e.origins, **decide}


def plan(*calls) -> ActionPlan:
    return ActionPlan(actions=list(calls))


def test_default_tiers_only_high_asks():
    p = policy()
    assert p.decide(plan(call("press_keys", keys=["ctrl", "s"]))).verdict == "run"
    assert p.decide(plan(call("type_text", text="hello"))).verdict == "run"  # medium: not asked by default
    d = p.decide(plan(call("type_text", text="x"), call("close_window")))
    assert d.verdict == "confirm"
    assert d.risk == Risk.HIGH
    assert [a.risk for a in d.actions] == [Risk.MEDIUM, Risk.HIGH]
    assert d.reasons == ("action 2 (close_window) is high risk: built-in tier",)
    # a destructive chord is high whatever tool it comes through
    assert p.decide(plan(call("press_keys", keys=["alt", "f4"]))).verdict == "confirm"


def test_confirm_tiers_add_medium():
    p = policy(confirm_tiers=["medium"])
    assert p.decide(plan(call("type_text", text="hello"))).verdict == "confirm"
    assert p.decide(plan(call("scroll", direction="down"))).verdict == "run"


def test_tool_risk_raises_and_lowers_but_never_below_builtin_high():
    assert policy(tool_risk={"open_app": "high"}).decide(plan(call("open_app", name="firefox"))).verdict == "confirm"
    lowered = policy(confirm_tiers=["medium"], tool_risk={"type_text": "low"})
    assert lowered.decide(plan(call("type_text", text="hi"))).verdict == "run"
    d = policy(tool_risk={"close_window": "low"}).decide(plan(call("close_window")))
    assert d.verdict == "confirm"
    assert "cannot be lowered" in d.actions[0].why


def test_window_rule_enter_in_terminal_after_typing_is_high():
    # The rule machinery alone: the built-in command-window rule is off (tests/test_policy_submit.py has it).
    p = policy(window_rules=[TERMINAL_ENTER], command_windows=[])
    typed_then_enter = plan(call("type_text", text="rm -rf build"), call("press_keys", keys=["enter"]))
    d = p.decide(typed_then_enter, window="user@host: ~ - xterm Terminal")
    assert d.verdict == "confirm"
    assert d.actions[1].risk == Risk.HIGH and "window_rules[0]" in d.actions[1].why
    assert d.actions[0].risk == Risk.MEDIUM  # the rule is about Enter, not the typing
    # Other windows, Enter without typing first, other keys: not matched.
    assert p.decide(typed_then_enter, window="Untitled - gedit").verdict == "run"
    assert p.decide(plan(call("press_keys", keys=["enter"])), window="Terminal").verdict == "run"
    assert p.decide(plan(call("type_text", text="x"), call("press_keys", keys=["tab"])), window="Terminal").verdict == "run"


def test_window_rule_follows_focus_and_open_app_through_the_plan():
    p = policy(window_rules=[TERMINAL_ENTER], command_windows=[])
    switched = plan(call("focus_window", title="Terminal"), call("type_text", text="ls"),
                    call("press_keys", keys=["enter"]))
    assert p.decide(switched, window="Untitled - gedit").verdict == "confirm"
    opened = plan(call("open_app", name="terminal"), call("type_text", text="ls"), call("press_keys", keys=["enter"]))
    assert p.decide(opened, window="gedit").verdict == "confirm"
    left = plan(call("type_text", text="ls"), call("focus_window", title="gedit"), call("press_keys", keys=["enter"]))
    assert p.decide(left, window="Terminal").verdict == "run"


def test_window_rules_highest_match_wins_and_can_lower():
    rules = [{"window": "calc", "tool": "type_text", "risk": "low"},
             {"window": "calc|term", "tool": "type_text", "risk": "medium"}]
    p = policy(confirm_tiers=["medium"], window_rules=rules)
    assert p.decide(plan(call("type_text", text="2+2")), window="Calculator").verdict == "confirm"
    p2 = policy(confirm_tiers=["medium"], window_rules=rules[:1])
    assert p2.decide(plan(call("type_text", text="2+2")), window="Calculator").verdict == "run"
    assert p2.decide(plan(call("type_text", text="2+2")), window="Terminal").verdict == "confirm"


def test_too_many_actions_runs_nothing_and_says_why():
    d = policy(max_actions=2).decide(plan(*[call("scroll", direction="down")] * 3))
    assert d.verdict == "deny"
    assert d.reasons == ("the plan has 3 actions, more than policy.max_actions allows (2)",)


def test_rate_limit():
    p = policy(max_plans_per_minute=5)
    assert p.decide(plan(call("wait", seconds=1)), plans_last_minute=4).verdict == "run"
    d = p.decide(plan(call("wait", seconds=1)), plans_last_minute=5)
    assert d.verdict == "deny" and "rate limit" in d.reasons[0]


def test_pressing_voxctls_own_hotkey_is_refused_even_inside_a_macro():
    p = policy()
    d = p.decide(plan(call("press_keys", keys=["space", "ctrl", "alt"])))
    assert d.verdict == "deny" and "talk hotkey" in d.reasons[0]
    macros = {"sneaky": [call("press_keys", keys=["ctrl", "alt", "period"])]}
    d = p.decide(**expanded(macros, call("run_macro", name="Sneaky")))
    assert d.verdict == "deny" and "stop hotkey" in d.reasons[0]


def test_a_macros_steps_are_judged_one_by_one_with_overrides_applied():
    macros = {"tidy": [call("type_text", text="x"), call("close_window")], "note": [call("type_text", text="x")]}
    d = policy().decide(**expanded(macros, call("run_macro", name="tidy")))
    assert d.verdict == "confirm"
    assert d.reasons == ("action 2 (close_window, from macro 'tidy') is high risk: built-in tier",)
    assert policy().decide(**expanded(macros, call("run_macro", name="note"))).verdict == "run"
    d = policy(tool_risk={"type_text": "high"}).decide(**expanded(macros, call("run_macro", name="note")))
    assert d.verdict == "confirm" and "from macro 'note'" in d.reasons[0]
    # a window rule applies to a macro's steps too
    ms = {"enter": [call("type_text", text="make"), call("press_keys", keys=["enter"])]}
    run = expanded(ms, call("run_macro", name="enter"), window="xterm")
    assert policy(window_rules=[TERMINAL_ENTER]).decide(**run).verdict == "confirm"


def test_a_plan_whose_macros_were_not_expanded_is_refused():
    d = policy().decide(plan(call("run_macro", name="tidy")))
    assert d.verdict == "deny" and "not expanded" in d.reasons[0]


def test_the_budget_counts_steps_and_primitives_after_expansion():
    p = policy(max_actions=5, max_primitives=100)
    assert p.budget(5, 100) == []
    assert p.budget(6, 6, expanded=True) == [
        "the plan has 6 actions once its macros are expanded, more than policy.max_actions allows (5)"]
    assert "101 primitive actions" in p.budget(2, 101)[0]
    # a press repeated 50 times is 50 primitives
    d = p.decide(plan(*[call("press_keys", keys=["down"], repeat=50)] * 3))
    assert d.verdict == "deny" and "150 primitive actions (repeats counted)" in d.reasons[0]


def test_decision_json_round_trip_shape():
    d = policy().decide(plan(call("close_window")), window="xterm")
    j = d.to_json()
    assert j["verdict"] == "confirm" and j["risk"] == "high"
    assert j["actions"] == [{"index": 0, "tool": "close_window", "risk": "high", "why": "built-in tier"}]


@pytest.mark.parametrize("rule, message", [
    ({"window": "(", "risk": "high"}, "not a valid regular expression"),
    ({"window": "x", "tool": "clik", "risk": "high"}, "unknown tool 'clik'"),
    ({"window": "x", "tool": "type_text", "keys": ["enter"], "risk": "high"}, "keys only apply to press_keys"),
    ({"window": "x", "keys": ["enterr"], "risk": "high"}, "unknown: enterr"),
    ({"window": "x", "risk": "severe"}, "'severe' is not allowed"),
    ({"window": "x", "risk": "high", "title": "y"}, "unknown setting"),
    ({"tool": "close_window", "risk": "high"}, "window: Field required"),
])
def test_bad_window_rules_fail_at_start_naming_the_key(rule, message, tmp_path):
    f = tmp_path / "c.yaml"
    import yaml

    f.write_text(yaml.safe_dump({"policy": {"window_rules": [rule]}}))
    with pytest.raises(ConfigError) as e:
        load_config(f)
    assert "policy.window_rules.0" in str(e.value)
    assert message in str(e.value)


def test_window_rule_keys_are_normalised():
    c = Config.model_validate({"policy": {"window_rules": [{"window": "t", "keys": ["Return", "control"],
                                                            "risk": "high"}]}})
    assert c.policy.window_rules[0].keys == ["enter", "ctrl"]


NON_HIGH = [n for n in TOOLS if n not in ("close_window", "run_macro")]


@settings(max_examples=60, deadline=None)
@given(
    overrides=st.dictionaries(st.sampled_from(list(TOOLS)), st.sampled_from(["low", "medium"])),
    rule_tool=st.sampled_from([None, *TOOLS]),
    window=st.sampled_from(["xterm", "gedit", ""]),
    prefix=st.lists(st.sampled_from([call("type_text", text="x"), call("scroll", direction="up"),
                                     call("focus_window", title="xterm")]), max_size=3),
    dangerous=st.sampled_from([call("close_window"), call("press_keys", keys=["alt", "f4"]),
                               call("press_keys", keys=["ctrl", "w"]), call("run_macro", name="bye")]),
)
def test_no_configuration_lets_a_high_action_run_unasked(overrides, rule_tool, window, prefix, dangerous):
    """Whatever tool_risk and window rules say, a built-in high action is always confirmed."""
    rules = [{"window": ".*", "risk": "low"}, {"window": ".*", "tool": rule_tool, "risk": "low"}]
    p = policy(tool_risk=overrides, window_rules=rules)
    d = p.decide(**expanded({"bye": [call("close_window")]}, *prefix, dangerous, window=window))
    assert d.verdict == "confirm"
    assert d.actions[-1].risk == Risk.HIGH
