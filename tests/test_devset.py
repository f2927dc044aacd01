"""The broad spoken dev set (agent/benchmarks/devset.py) and `voxctl bench recognition` on it: real
espeak-ng/flite speech, real sox perturbations, the bundled Whisper."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from voxctl.agent.benchmarks import devset
from voxctl.agent.benchmarks.devset import build_devset, choose_perturbation, perturb, phrase_split

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("flite") and shutil.which("sox")),
                                reason="needs espeak-ng, flite and sox")


@pytest.fixture(scope="module")
def dev_one(tmp_path_factory):
    """One clip per dev voice, plus generated noise and the human recordings, from an empty cache."""
    cache = tmp_path_factory.mktemp("devset-cache")
    old = os.environ.get("VOXCTL_DEVSET_CACHE")
    os.environ["VOXCTL_DEVSET_CACHE"] = str(cache)
    try:
        yield build_devset("dev", limit=1), cache
    finally:
        if old is None:
            os.environ.pop("VOXCTL_DEVSET_CACHE")
        else:
            os.environ["VOXCTL_DEVSET_CACHE"] = old


def test_dev_split_never_holds_a_held_out_voice_or_phrase(dev_one):
    clips, _ = dev_one
    voices = {c.voice for c in clips}
    assert voices == {*devset.VOICES_DEV, devset.NOISE} | ({devset.HUMAN} & voices)
    assert not voices & set(devset.VOICES_HELDOUT)
    assert len(devset.VOICES_HELDOUT) >= 3 and {"kal"} & set(devset.VOICES_HELDOUT)  # espeak and flite held out
    assert all(phrase_split(c.say) == "dev" for c in clips if c.kind != "noise" and c.voice != devset.HUMAN)
    with pytest.raises(ValueError, match="held out"):
        build_devset("dev", voices=["en-us+m3"], limit=1)
    with pytest.raises(ValueError, match="unknown voice"):
        build_devset("dev", voices=["festival_kal"], limit=1)
    # The held-out split: every phrase for a held-out voice, only held-out phrases for a dev voice.
    phrases = devset._phrases()
    held = [p for p in phrases if phrase_split(p.say) == "heldout"]
    assert 0.15 < len(held) / len(phrases) < 0.35
    assert {p.kind for p in held} == {"command", "non_command"}


def test_clips_are_deterministic_and_cached(dev_one, tmp_path, monkeypatch):
    clips, cache = dev_one
    assert len(list(cache.glob("*.npy"))) >= len(clips) - 1  # synthesized once, kept
    monkeypatch.setenv("VOXCTL_DEVSET_CACHE", str(tmp_path))  # synthesized again from nothing
    again = build_devset("dev", voices=["en-us+m1", "slt", "noise"], limit=1)
    first = {(c.voice, c.say): c for c in clips}
    for c in again:
        old = first[(c.voice, c.say)]
        assert c.perturbation == old.perturbation and c.plan == old.plan
        np.testing.assert_array_equal(np.asarray(c.audio), np.asarray(old.audio))


def test_kinds_carry_their_plans(dev_one):
    clips, _ = dev_one
    for c in clips:
        assert c.audio.dtype == np.float32 and c.audio.ndim == 1 and 0.3 < len(c.audio) / 16000 < 12
        assert (c.plan != []) == (c.kind == "command"), c
    assert {c.kind for c in clips} == {"command", "noise"} | ({"non_command"} & {c.kind for c in clips})
    non = [p for p in devset._phrases() if p.kind == "non_command"]
    assert len(non) >= 66 and all(p.plan == [] for p in non)
    words = ("type", "open", "copy", "press", "scroll", "click", "close", "save", "paste", "cut", "select")
    assert sum(any(w in p.say.split() or w + "s" in p.say.split() for w in words) for p in non) >= 15


def test_perturbations_are_in_range_and_really_change_the_audio():
    specs = [choose_perturbation(f"phrase {i}", v) for i in range(60) for v in ("slt", "en-us+f2")]
    assert all(0.85 <= s["tempo"] <= 1.3 for s in specs if "tempo" in s)
    assert all(abs(s["pitch"]) <= 300 for s in specs if "pitch" in s)
    assert all(10 <= s["snr_db"] <= 20 for s in specs if "noise" in s)
    assert all(0.1 <= s["lead_s"] <= 0.5 and 0.1 <= s["trail_s"] <= 0.5 for s in specs)
    for key in ("tempo", "pitch", "reverb", "noise", "click"):  # each perturbation is used, none always
        assert 0.1 < sum(key in s for s in specs) / len(specs) < 0.9, key
    speech = devset.synthesize("press control s", "en-us+m2")
    base = {"gain": 0.5, "lead_s": 0.2, "trail_s": 0.3, "seed": 7}
    clean = perturb(speech, base)
    lead = int(0.2 * 16000)
    assert np.all(clean[:lead] == 0) and len(clean) == lead + len(speech) + int(0.3 * 16000)
    noisy = perturb(speech, {**base, "noise": "pink", "snr_db": 12.0})
    voiced = clean[lead:lead + len(speech)]
    snr = 10 * np.log10(np.mean(voiced.astype(np.float64) ** 2) / np.mean((noisy - clean).astype(np.float64) ** 2))
    assert 11.0 < snr < 13.0  # measured on the clip
    fast = perturb(speech, {**base, "tempo": 1.25})
    assert abs((len(fast) - len(clean) + len(speech)) / len(speech) - 1 / 1.25) < 0.05
    for extra in ({"pitch": 250}, {"reverb": 60}, {"click": "both"}):
        other = perturb(speech, {**base, **extra})
        n = min(len(other), len(clean))
        assert np.max(np.abs(other[:n] - clean[:n])) > 0.02, extra


def test_duplicated_action_means_more_repeats_than_were_said():
    from voxctl.agent.benchmarks.recognition import duplicated
    from voxctl.tools.registry import validate_action

    save = validate_action({"tool": "press_keys", "args": {"keys": ["ctrl", "s"]}})[0]
    down = validate_action({"tool": "scroll", "args": {"direction": "down"}})[0]
    assert duplicated([save, save], [save])
    assert duplicated([down, down], [])
    assert not duplicated([down, down], [down, down])  # "scroll down. scroll down." said twice
    assert not duplicated([save, down], [save])
    assert not duplicated([save], [])


def test_bench_recognition_reports_per_voice_figures(dev_one, tmp_path, monkeypatch, capsys):
    from voxctl.agent.cli import main

    _, cache = dev_one
    monkeypatch.setenv("VOXCTL_DEVSET_CACHE", str(cache))  # the clips the fixture synthesized
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "rec.json"
    rc = main(["bench", "recognition", "--limit", "1", "--voices", "en-us+m2,noise", "--split", "dev",
               "--margins", "0,5", "--rescore-margins", "1,9", "--out", str(out)])
    captured = capsys.readouterr()
    printed = captured.out
    assert rc == 0, printed + captured.err
    rec = json.loads(out.read_text())["recognition"]
    dev = rec["splits"]["dev"]
    assert set(rec["splits"]) == {"dev"} and set(dev["voices"]) == {"en-us+m2", "noise"}
    f = dev["voices"]["en-us+m2"]
    assert f["commands"] == 1 and f["non_commands"] == 0 and f["exact"] in (0, 1)
    assert f["recognition_ms"]["n"] == 1 and f["full_window_ms"]["n"] == 1
    assert f["recognition_ms"]["p50"] > 0 and f["full_window_ms"]["p50"] > 0
    assert dev["voices"]["noise"]["non_commands"] == 1 and dev["voices"]["noise"]["commands"] == 0
    assert dev["overall"]["ratio_total"] > 0 and dev["overall"]["exact_pct"] is not None
    assert "[dev] exact plans" in printed and "full window" in printed
    for row in dev["wrong"]:  # every clip lost is listed with what was read
        assert "heard" in row and f"said {row['say']!r}" in printed
    curve = rec["trade_off_rescore"]  # the rescoring's margin, forced scores replayed
    if "skipped" not in curve:
        assert curve["attribute"] == "rescore_margin" and [pt["margin"] for pt in curve["points"]] == [1.0, 9.0]
    curve = rec["trade_off"]  # re-read with each margin, the recogniser's readings replayed
    if "skipped" not in curve:
        assert [pt["margin"] for pt in curve["points"]] == [0.0, 5.0]
        assert all(pt["dev"]["non_commands"] == 1 for pt in curve["points"])


def test_bench_lists_each_lost_clip_with_its_readings(capsys):
    """The clips lost are printed one a line (said, heard, the free reading, what ran or why not), and the
    grammar's readings and candidates are kept per clip, also behind a model (hybrid)."""
    from voxctl.agent.benchmarks.recognition import _print, summarise
    from voxctl.agent.benchmarks.recognition_read import _considered
    from voxctl.agent.interpret.grammar_parse import Parse, Reading
    from voxctl.tools.registry import ActionPlan

    base = {"voice": "en-us+m2", "perturbation": "clean", "audio_s": 1.0, "duplicated": False,
            "recognition_ms": 1.0}
    rows = [{**base, "kind": "command", "say": "press shift tab", "heard": "press shift.",
             "actions": [{"tool": "press_keys", "args": {"keys": ["shift"]}}], "exact": False},
            {**base, "kind": "command", "say": "new tab", "heard": "blue tab.", "actions": [], "exact": False,
             "reason": 'not a command: "blue tab."'},
            {**base, "kind": "non_command", "say": "the kids are playing", "heard": "click here.",
             "actions": [{"tool": "click", "args": {}}], "false_action": True, "high_risk": False,
             "source": "understand"}]
    _print("dev", summarise(rows))
    out = capsys.readouterr().out
    assert "wrong plan   said 'press shift tab' heard 'press shift.'" in out
    assert "no plan      said 'new tab' heard 'blue tab.' -> not a command" in out
    assert "false action (understand) said 'the kids are playing'" in out
    parse = Parse(ActionPlan(transcript="blue tab.", actions=[], reason="not a command"), free_text="blue tab.",
                  free_score=-0.6, hypotheses=(Reading("blue tab.", -0.646, "not a command"),),
                  candidates=(Reading("new tab.", -2.3241, "candidate: 1.07 less likely"),))
    info = _considered(parse)
    assert info["candidates"] == [{"text": "new tab.", "score": -2.324, "verdict": "candidate: 1.07 less likely"}]
    assert info["hypotheses"][0]["text"] == "blue tab." and info["reason"] == "not a command"


def test_margin_sweep_sets_the_grammar_behind_a_model():
    """`--margins`/`--rescore-margins` behind the understanding model (hybrid): the grammar's own margin is
    set for each point (a bug set it on the bench's wrapper, and every point read as the default), then
    restored."""
    from voxctl.agent.benchmarks.margins import trade_off
    from voxctl.agent.benchmarks.recognition_read import Watched
    from voxctl.agent.interpret.grammar_parse import Parse
    from voxctl.tools.registry import ActionPlan

    seen = []

    class Grammar:
        rescore_margin = 1.0

        def read(self, audio, *a, **kw):
            seen.append(self.rescore_margin)
            return Parse(ActionPlan(transcript="", actions=[]))

    class Hybrid:
        llm = object()

        def __init__(self):
            self.grammar = Watched(Grammar())

        def interpret(self, utterance):
            return self.grammar.read(utterance.audio).plan

    interp = Hybrid()
    clip = devset.Clip(np.zeros(1600, np.float32), "paste", [], "slt", "clean", "command")
    curve = trade_off([0.25, 2.0], {"dev": [clip]}, interp, None, None, None, {id(clip): clip.audio},
                      ("rescore_margin",))
    assert seen == [0.25, 2.0] and interp.grammar.inner.rescore_margin == 1.0
    assert [p["margin"] for p in curve["points"]] == [0.25, 2.0]
