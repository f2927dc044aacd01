"""The blind phrasing sets (tests/data/blind/, agent/benchmarks/blind.py), typed through the default hybrid backend:
phrasings written by people who never read the grammar reach the figures docs/BENCHMARKS.md states ("Blind
phrasing sets"), and talk next to an open microphone acts at most where it is stated to."""

from __future__ import annotations

import pytest

from voxctl.agent.benchmarks import blind
from voxctl.agent.config import Config
from voxctl.agent.interpret.factory import make_interpreter
from voxctl.agent.interpret.grammar import GrammarInterpreter
from voxctl.agent.interpret.hybrid import HybridInterpreter

# (set, least right commands, most talk acting): the figures of 2026-12-05 (docs/BENCHMARKS.md), a line under
FIGURES = {"probe1": (0.97, 0), "probe2": (0.95, 0), "probe3": (0.86, 1), "probe4": (0.98, 1), "probe5": (0.96, 1), "probe6": (0.97, 1), "probe7": (0.97, 0), "probe8": (0.97, 1), "probe9": (0.95, 1), "probe10": (0.97, 1), "probe11": (0.96, 1), "probe12": (0.96, 1), "probe13": (0.96, 1), "probe14": (0.96, 1), "probe15": (0.94, 1), "probe16": (0.96, 3), "probe17": (0.93, 4), "probe19": (0.77, 1), "probe20": (0.80, 1), "probe21": (0.77, 3), "probe22": (0.95, 10), "probe23": (0.94, 4), "probe24": (0.78, 1), "probe25": (0.98, 1), "probe26": (0.97, 1), "probe27": (0.98, 1), "probe28": (0.97, 2), "probe29": (0.96, 2), "probe30": (0.97, 1), "probe31": (0.93, 1), "probe32": (0.97, 1), "probe33": (0.92, 1), "probe34": (0.97, 1), "probe35": (0.96, 2), "probe36": (0.96, 1), "probe37": (0.93, 1), "probe38": (0.94, 2), "probe39": (0.90, 1), "probe40": (0.92, 1), "probe41": (0.91, 2), "probe42": (0.94, 1), "probe43": (0.95, 1), "probe44": (0.95, 1), "probe45": (0.97, 3), "probe46": (0.95, 4), "probe47": (0.97, 1), "probe48": (0.95, 1), "probe49": (0.95, 1), "probe50": (0.94, 3), "probe51": (0.95, 4), "probe52": (0.92, 2), "probe53": (0.92, 1), "probe54": (0.92, 2), "probe55": (0.97, 1), "probe56": (0.95, 1), "probe57": (0.96, 1), "probe58": (0.97, 1), "probe59": (0.93, 0), "probe60": (0.96, 9), "probe61": (0.94, 2), "probe62": (0.93, 1), "probe63": (0.97, 0), "probe64": (0.98, 0), "probe65": (0.98, 0), "probe66": (0.97, 1), "probe67": (0.77, 0), "probe68": (0.87, 1), "probe69": (0.88, 0), "probe70": (0.79, 0), "heldout": (0.86, 0), "heldout2": (0.86, 3), "heldout3": (0.83, 3), "heldout4": (0.96, 1), "heldout5": (0.94, 3), "heldout6": (0.90, 1), "heldout7": (0.94, 3), "heldout8": (0.88, 1), "heldout9": (0.83, 1), "heldout10": (0.90, 2), "heldout11": (0.92, 1), "heldout12": (0.92, 1), "heldout13": (0.92, 1), "heldout14": (0.90, 5), "heldout15": (0.84, 0), "heldout16": (0.93, 1), "heldout17": (0.96, 0), "heldout18": (0.92, 0), "heldout19": (0.95, 0), "heldout20": (0.78, 0), "heldout21": (0.62, 0), "heldout_shell": (0.90, 0)}


@pytest.fixture(scope="module")
def model():
    config = Config().model_copy(update={"interpreter": Config().interpreter.model_copy(update={"backend": "understand"})})
    return make_interpreter(config, notify=lambda m: None)


# The first thirty-five dev sets (probe1-36), stable for days, are read a line in two (every other line: ~27 s less on
# the 2-core box for probe1-17, about a minute more for probe19-36 since 2026-12-07, when the suite took 17.6 min on a
# slow day); `scripts/bench_blind.py` reads them whole, and their figures hold for either half (2026-12-07: probe3
# 85/93, probe17 104/109 on the half read here; every half of probe19-36 within its figure)
SAMPLED = {f"probe{i}" for i in range(1, 37)}
# Sets of one kind of line: dictation into a terminal only (45 shell command lines, 15 of prose), no talk
NARROW = {"heldout_shell": (60, 0)}


@pytest.mark.parametrize("name", [*blind.DEV_SETS, *blind.HELDOUT_SETS])
def test_blind_phrasings_reach_their_figures(model, name):
    lines = blind.load(name)[::2] if name in SAMPLED else blind.load(name)
    hybrid = HybridInterpreter(GrammarInterpreter(None, blind.macros([name])), model, "understand")  # this set's user
    r = blind.score(hybrid, lines)
    least, most = FIGURES[name]
    print(f"\n{name}: {r['right']}/{r['commands']} right, talk acting {r['talk_acting']}/{r['talk']}")
    fewest_commands, fewest_talk = (45, 25) if name in SAMPLED else NARROW.get(name, (100, 50))
    assert r["commands"] >= fewest_commands and r["talk"] >= fewest_talk
    assert r["right"] / r["commands"] >= least, [m["say"] for m in r["misses"]] if name not in blind.HELDOUT_SETS else ""
    assert r["talk_acting"] <= most


def test_the_scorer_tells_right_from_wrong():
    from voxctl.tools.registry import call

    line = {"say": "press tab twice", "plan": [{"tool": "press_keys", "args": {"keys": ["tab"], "repeat": 2}}]}
    assert blind.right([call("press_keys", keys=["tab"], repeat=2)], line)
    assert blind.right([call("press_keys", keys=["tab"]), call("press_keys", keys=["tab"])], line)
    assert not blind.right([call("press_keys", keys=["tab"])], line)
    narrow = {"say": "", "plan": [{"tool": "grid_narrow", "args": {"cells": [7, 3]}}]}  # narrowed one after another
    assert blind.right([call("grid_narrow", cells=[7]), call("grid_narrow", cells=[3])], narrow)
    assert not blind.right([call("grid_narrow", cells=[7])], narrow)
    assert blind.right([call("focus_window", title="firefox")],
                       {"say": "", "plan": [{"tool": "focus_window", "args": {"title": "Mozilla Firefox"}}]})
    assert not blind.right([call("scroll", direction="up")],
                           {"say": "", "plan": [{"tool": "scroll", "args": {"direction": "down", "amount": "*"}}]})
    # an address as written and as the tool opens it (the validator adds https) are one page; another host is not
    assert blind.right([call("open_url", url="github.com")],
                       {"say": "", "plan": [{"tool": "open_url", "args": {"url": "github.com"}}]})
    assert blind.right([call("open_url", url="https://github.com/")],
                       {"say": "", "plan": [{"tool": "open_url", "args": {"url": "github.com"}}]})
    assert not blind.right([call("open_url", url="gitlab.com")],
                           {"say": "", "plan": [{"tool": "open_url", "args": {"url": "github.com"}}]})
