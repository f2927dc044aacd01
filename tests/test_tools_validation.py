"""Every tool's arguments, good and bad, generated with hypothesis: what validates, what is refused and
how the refusal reads, key synonyms, the risk of chords and macros, and the plan's JSON schema."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from voxctl.tools.base import Risk
from voxctl.tools.keys import (
    DESTRUCTIVE_CHORDS,
    KEY_NAMES,
    MODIFIERS,
    SYNONYMS,
    is_destructive,
    normalize_key,
)
from voxctl.tools.registry import TOOLS, call, plan_schema, risk_of, validate_action, validate_plan

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# One line of printable text (no control characters, which the models refuse).
line = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1)
coord = st.integers(0, 20000)
directions = st.sampled_from(["up", "down", "left", "right"])
chord = st.lists(st.sampled_from(sorted(KEY_NAMES)), min_size=1, max_size=4, unique=True)

GOOD: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "click": st.one_of(
        st.fixed_dictionaries({}, optional={"button": st.sampled_from(["left", "right", "middle"]),
                                            "count": st.integers(1, 3)}),
        st.fixed_dictionaries({"x": coord, "y": coord}, optional={"count": st.integers(1, 3)}),
        st.fixed_dictionaries({"target": line.filter(lambda s: len(s) <= 80)}),
    ),
    "move_mouse": st.fixed_dictionaries({"x": coord, "y": coord}),
    "nudge_mouse": st.fixed_dictionaries({"direction": directions}, optional={"pixels": st.integers(1, 5000)}),
    "drag": st.one_of(st.fixed_dictionaries({"to_x": coord, "to_y": coord}),
                      st.fixed_dictionaries({"to_x": coord, "to_y": coord, "from_x": coord, "from_y": coord})),
    "scroll": st.fixed_dictionaries({"direction": directions}, optional={"amount": st.integers(1, 50)}),
    "type_text": st.fixed_dictionaries({"text": line.filter(lambda s: "\x7f" not in s and len(s) <= 2000)}),
    "press_keys": st.fixed_dictionaries({"keys": chord}, optional={"repeat": st.integers(1, 50)}),
    "open_app": st.fixed_dictionaries({"name": line.filter(lambda s: len(s) <= 60)}),
    "focus_window": st.fixed_dictionaries({"title": line.filter(lambda s: len(s) <= 80)}),
    # a web address: a host of 1-4 names and a top-level domain, a port, a path (tools/web.py)
    "open_url": st.fixed_dictionaries({"url": st.builds(
        lambda scheme, names, tld, port, path: f"{scheme}{'.'.join(names)}.{tld}{port}{path}",
        st.sampled_from(["", "http://", "https://", "HTTPS://"]),
        st.lists(st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?", fullmatch=True), min_size=1, max_size=4),
        st.from_regex(r"[a-zA-Z]{2,12}", fullmatch=True), st.sampled_from(["", ":8080"]),
        st.sampled_from(["", "/", "/wiki/Talon_(software)?x=1#top"]))}),
    "close_window": st.just({}),
    "wait": st.fixed_dictionaries({"seconds": st.floats(0.1, 30)}),
    "screenshot": st.one_of(st.just({}), st.fixed_dictionaries({"path": line.filter(lambda s: len(s) <= 255)})),
    "run_macro": st.fixed_dictionaries({"name": line.filter(lambda s: len(s) <= 60)}),
    # window state, "scratch that", "again", "what can I say" (tools/window_state.py, journal.py, meta.py)
    **{t: st.fixed_dictionaries({}, optional={"title": line.filter(lambda s: len(s) <= 80)})
       for t in ("maximize_window", "minimize_window", "restore_window", "fullscreen_window")},
    "erase_typed": st.just({}),
    "repeat_last": st.fixed_dictionaries({}, optional={"times": st.integers(1, 10)}),
    "list_commands": st.just({}),
    "start_recording": st.fixed_dictionaries({"name": line.filter(lambda s: len(s) <= 60)}),
    "stop_recording": st.just({}),
    "delete_macro": st.fixed_dictionaries({"name": line.filter(lambda s: len(s) <= 60)}),
    # pointing by voice (tools/grid.py, tools/labels.py)
    "mouse_grid": st.fixed_dictionaries({}, optional={"scope": st.sampled_from(["screen", "window"]),
                                                      "cells": st.lists(st.integers(1, 9), max_size=6)}),
    "grid_narrow": st.fixed_dictionaries({"cells": st.lists(st.integers(1, 9), min_size=1, max_size=6)}),
    "grid_drag": st.fixed_dictionaries({"cells": st.lists(st.integers(1, 9), min_size=1, max_size=6)}),
    "hide_overlay": st.fixed_dictionaries({}, optional={"what": st.sampled_from(["all", "grid", "labels"])}),
    "show_labels": st.fixed_dictionaries({}, optional={"scope": st.sampled_from(["window", "screen"])}),
    "click_label": st.fixed_dictionaries({"label": st.integers(1, 999)},
                                         optional={"button": st.sampled_from(["left", "right", "middle"]),
                                                   "count": st.integers(1, 3)}),
    "move_to_label": st.fixed_dictionaries({"label": st.integers(1, 999)}),
    "drag_label": st.fixed_dictionaries({"label": st.integers(1, 999), "to_label": st.integers(1, 999)}),
}

# Numbers with bounds: (tool, field, smallest allowed, largest allowed, the other required args).
BOUNDS = [
    ("click", "count", 1, 3, {}), ("click", "x", 0, 20000, {"y": 1}), ("move_mouse", "y", 0, 20000, {"x": 1}),
    ("nudge_mouse", "pixels", 1, 5000, {"direction": "up"}), ("drag", "to_x", 0, 20000, {"to_y": 1}),
    ("scroll", "amount", 1, 50, {"direction": "down"}), ("press_keys", "repeat", 1, 50, {"keys": ["a"]}),
    ("repeat_last", "times", 1, 10, {}),
    ("click_label", "label", 1, 999, {}), ("drag_label", "to_label", 1, 999, {"label": 1}),
]


def problems_of(tool: str, args: Any) -> list[str]:
    parsed, problems = validate_action({"tool": tool, "args": args})
    assert (parsed is None) == bool(problems)
    return problems


def test_the_strategies_cover_every_tool():
    assert set(GOOD) == set(TOOLS)


@pytest.mark.parametrize("tool", sorted(GOOD))
@SETTINGS
@given(data=st.data())
def test_good_arguments_validate_and_round_trip(tool, data):
    args = data.draw(GOOD[tool])
    parsed, problems = validate_action({"tool": tool, "args": args})
    assert problems == [] and parsed is not None
    dumped = parsed.model_dump(mode="json")
    again, _ = validate_action(dumped)
    assert again == parsed  # defaults filled in: an omitted argument and its default are the same plan


@SETTINGS
@given(name=st.text(min_size=0, max_size=20))
def test_unknown_tools_are_named(name):
    assume(name not in TOOLS)
    parsed, problems = validate_action({"tool": name, "args": {}})
    shown = repr(name) if len(repr(name)) <= 60 else f"{repr(name)[:60]}… ({len(repr(name)):,} characters)"
    assert parsed is None and problems == [f"action: unknown tool {shown} (known: {', '.join(TOOLS)})"]


def test_a_huge_tool_name_is_not_echoed_whole():
    _, problems = validate_action({"tool": "x" * 10_000_000, "args": {}})
    # The message names the known tools (their list grows with the registry) and the name cut short.
    assert len(problems) == 1 and len(problems[0]) < 200 + len(", ".join(TOOLS))
    assert "10,000,002 characters" in problems[0]


@pytest.mark.parametrize("tool", sorted(GOOD))
@SETTINGS
@given(data=st.data(), extra=st.text(string.ascii_lowercase + "_", min_size=1, max_size=12))
def test_extra_fields_are_refused_by_name(tool, data, extra):
    args = data.draw(GOOD[tool])
    assume(extra not in TOOLS[tool].args.model_fields)
    problems = problems_of(tool, {**args, extra: 1})
    assert any(f".args.{extra}: Extra inputs are not permitted" in p for p in problems)
    # A field beside "tool" and "args" is refused too.
    assert validate_action({"tool": tool, "args": args, extra + "x": 1})[0] is None


@pytest.mark.parametrize(("tool", "field", "lo", "hi", "rest"), BOUNDS)
@SETTINGS
@given(delta=st.integers(1, 10**6))
def test_numbers_out_of_range_are_refused_in_range_accepted(tool, field, lo, hi, rest, delta):
    for bad in (lo - delta, hi + delta):
        problems = problems_of(tool, {**rest, field: bad})
        assert problems and all(f"args.{field}" in p for p in problems), problems
    ok = lo + delta % (hi - lo + 1)
    assert problems_of(tool, {**rest, field: ok}) == []


@SETTINGS
@given(seconds=st.one_of(st.floats(max_value=0.0999), st.floats(min_value=30.0001)).filter(lambda f: f == f))
def test_wait_outside_0_1_to_30_seconds_is_refused(seconds):
    assert problems_of("wait", {"seconds": seconds})


@pytest.mark.parametrize(("tool", "field", "rest"), [
    ("move_mouse", "x", {"y": 1}), ("scroll", "amount", {"direction": "up"}), ("wait", "seconds", {}),
    ("press_keys", "repeat", {"keys": ["a"]}), ("click", "count", {}),
])
@SETTINGS
@given(bad=st.one_of(st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                     st.text(string.ascii_letters, min_size=1), st.none()))
def test_wrong_types_for_numbers_are_refused_by_name(tool, field, rest, bad):
    problems = problems_of(tool, {**rest, field: bad})
    assert problems and all(f"args.{field}" in p for p in problems)


@pytest.mark.parametrize(("tool", "field", "limit"), [
    ("type_text", "text", 2000), ("open_app", "name", 60), ("focus_window", "title", 80), ("run_macro", "name", 60),
    ("click", "target", 80),
])
@SETTINGS
@given(bad=st.one_of(st.just(""), st.integers(), st.lists(st.text(max_size=3), max_size=2),
                     st.text(min_size=1, max_size=5).map(lambda s: s + "\n" + s), st.just("tab\there")))
def test_bad_text_fields_are_refused(tool, field, limit, bad):
    assert problems_of(tool, {field: bad})
    assert problems_of(tool, {field: "x" * (limit + 1)})
    assert problems_of(tool, {field: "x" * limit}) == []


@pytest.mark.parametrize("bad", [{"x": 5}, {"y": 5}, {"target": "Save", "x": 1, "y": 2}, {"button": "left-ish"}])
def test_click_argument_combinations(bad):
    assert problems_of("click", bad)


def test_drag_needs_both_from_coordinates():
    assert problems_of("drag", {"to_x": 1, "to_y": 1, "from_x": 3}) == [
        "action (drag).args: give both from_x and from_y, or neither"]


@SETTINGS
@given(synonym=st.sampled_from(sorted(SYNONYMS)))
def test_key_synonyms_are_normalised_to_canonical_names(synonym):
    canonical = SYNONYMS[synonym]
    assert canonical in KEY_NAMES and normalize_key(synonym) == canonical
    assert call("press_keys", keys=[synonym]).args.keys == [canonical]


@SETTINGS
@given(keys=chord)
def test_any_casing_and_spacing_of_a_canonical_name_is_accepted(keys):
    shouted = [f"  {k.upper()} " if k.isalpha() and len(k) > 1 else k for k in keys]
    assert call("press_keys", keys=shouted).args.keys == keys


@SETTINGS
@given(name=st.text(string.ascii_letters, min_size=2, max_size=12))
def test_unknown_key_names_are_refused(name):
    assume(normalize_key(name) is None)
    problems = problems_of("press_keys", {"keys": ["ctrl", name]})
    assert problems == [f"action (press_keys).args.keys.1: {name!r} is not allowed"]


def test_a_key_twice_in_one_chord_is_refused_even_through_a_synonym():
    assert problems_of("press_keys", {"keys": ["ctrl", "control"]}) == [
        "action (press_keys).args.keys: a key appears twice in one chord"]
    assert problems_of("press_keys", {"keys": []}) and problems_of("press_keys", {"keys": list("abcde")})


def fires_destructive(keys: list[str]) -> bool:
    """Keys go down in order and stay down: key i fires with the modifiers before it (issue 17.1)."""
    return any(k in d and d - {k} <= {m for m in keys[:i] if m in MODIFIERS}
               for i, k in enumerate(keys) for d in DESTRUCTIVE_CHORDS)


@SETTINGS
@given(chord_=st.sampled_from(sorted(DESTRUCTIVE_CHORDS, key=sorted)), data=st.data())
def test_destructive_chords_are_high_risk_by_effect_in_any_modifier_order_spelling_and_with_extra_keys(chord_, data):
    mods = data.draw(st.permutations(sorted(chord_ & MODIFIERS)))
    key = next(iter(chord_ - MODIFIERS))
    extra = data.draw(st.lists(st.sampled_from(sorted(KEY_NAMES - chord_)), max_size=4 - len(chord_), unique=True))
    keys = data.draw(st.permutations([*mods, key, *extra]).filter(
        lambda ks: all(ks.index(m) < ks.index(key) for m in mods)))  # its modifiers are down when the key goes
    spelled = [{"ctrl": "Control", "alt": "ALT", "win": "super", "delete": "Del"}.get(k, k) for k in keys]
    c = call("press_keys", keys=spelled, repeat=data.draw(st.integers(1, 50)))
    assert is_destructive(c.args.keys) and risk_of(c) == Risk.HIGH
    # The key first, its modifiers after: it never fires (f4, then alt, is not alt+f4).
    assert not is_destructive([key, *mods])


@SETTINGS
@given(keys=chord)
def test_other_chords_are_low_risk(keys):
    assume(not fires_destructive(keys))
    assert risk_of(call("press_keys", keys=keys)) == Risk.LOW


def test_plain_letters_with_modifiers_stay_low_unless_listed():
    assert risk_of(call("press_keys", keys=["ctrl", "s"])) == Risk.LOW
    assert risk_of(call("press_keys", keys=["alt", "f4"])) == Risk.HIGH
    assert MODIFIERS <= KEY_NAMES


STEPS = st.sampled_from([
    call("move_mouse", x=1, y=1), call("type_text", text="hi"), call("press_keys", keys=["ctrl", "c"]),
    call("press_keys", keys=["ctrl", "q"]), call("open_app", name="xterm"), call("close_window"),
    call("wait", seconds=1),
])


@SETTINGS
@given(steps=st.lists(STEPS, min_size=1, max_size=6), inner=st.lists(STEPS, min_size=1, max_size=3))
def test_a_macro_is_as_risky_as_its_riskiest_step_nested_or_not(steps, inner):
    table = {"outer": [*steps, call("run_macro", name="Inner")], "inner": inner}
    want = max(risk_of(s) for s in steps + inner)
    assert risk_of(call("run_macro", name="outer"), table) == want
    assert risk_of(call("run_macro", name="  INNER "), table) == max(risk_of(s) for s in inner)


def test_macro_risk_terminates_on_recursion_and_unknown_macros():
    table = {"loop": [call("run_macro", name="loop"), call("type_text", text="x")]}
    assert risk_of(call("run_macro", name="loop"), table) == Risk.MEDIUM
    assert risk_of(call("run_macro", name="nope"), table) == Risk.LOW
    assert risk_of(call("run_macro", name="loop")) == Risk.LOW  # no table: the tool's own tier


def test_plan_schema_has_every_tool_and_a_tool_discriminator():
    schema = plan_schema()
    items = schema["properties"]["actions"]["items"]
    assert items["discriminator"]["propertyName"] == "tool"
    mapping = items["discriminator"]["mapping"]
    assert set(mapping) == set(TOOLS)
    for name, ref in mapping.items():
        model = schema["$defs"][ref.split("/")[-1]]
        assert model["properties"]["tool"]["const"] == name
        assert model["additionalProperties"] is False
        args_ref = model["properties"]["args"].get("$ref", "")
        assert args_ref.split("/")[-1] in schema["$defs"]
        assert schema["$defs"][args_ref.split("/")[-1]]["additionalProperties"] is False
    assert set(schema["properties"]["source"]["enum"]) == {"grammar", "audio_llm", "cascade", "remote", "understand", "macro", "text"}


@SETTINGS
@given(good=st.lists(st.sampled_from(sorted(GOOD)), max_size=4), bad=st.lists(st.integers(0, 3), max_size=4))
def test_validate_plan_reports_every_broken_action(good, bad):
    broken = [{"tool": "fly"}, {"tool": "click", "args": {"x": 1}}, "not an object",
              {"tool": "scroll", "args": {"direction": "north"}}]
    actions = [{"tool": t, "args": {}} for t in good if not any(f.is_required() for f in
                                                                 TOOLS[t].args.model_fields.values())]
    actions += [broken[i] for i in bad]
    plan, problems = validate_plan({"actions": actions})
    bad_indices = set(range(len(actions) - len(bad), len(actions)))
    reported = {int(p.split("[")[1].split("]")[0]) for p in problems}
    assert reported == bad_indices
    assert (plan is None) == bool(bad)

