"""The figures of `voxctl bench handsfree` (agent/benchmarks/handsfree.py): commands executed right, false
actions and stops from the history's runs against the stream's timeline, the utterances cut around a missed
command, and RSS over the run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voxctl.agent.benchmarks.stats import stats

WARM_UTTERANCES = 20  # RSS "after warm-up" is the first sample after this many utterances


def _missed_cuts(timeline: list[tuple[str, str, float, float]], cuts: list[tuple[float, float, int, int]],
                 result: dict[str, Any], readings: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """For each command not executed right: the utterances cut from the end of the event before it to 2.5 s
    after its own end (seconds long, decided how long after the command's end, what it was judged): merged,
    split, never cut, or cut alone and misread."""
    readings = readings or {}
    out = []
    for i in result.get("missed_events", []):
        _, text, _, end = timeline[i]
        if i == 0:
            continue
        since = timeline[i - 1][3]
        out.append({"command": text, "previous": timeline[i - 1][1][:40],
                    "cuts": [(s, round((at - end) * 1000), readings.get(index, "not judged"))
                             for at, s, _, index in cuts if since < at <= end + 2.5]})
    return out


def _memory(rss: list[float], heard: list[int]) -> dict[str, Any]:
    """RSS at the start, after WARM_UTTERANCES utterances (the first sample past them), and at the end."""
    warm = next((i for i, n in enumerate(heard) if n >= WARM_UTTERANCES), len(rss) - 1)
    later = rss[warm:]
    third = max(1, len(later) // 3)  # medians of the first and last thirds after warm-up: a sample taken
    first, last = float(np.median(later[:third])), float(np.median(later[-third:]))  # mid-decoding is a peak
    return {"utterances": heard[-1], "rss_mb_after_warmup": rss[warm], "utterances_at_warmup": heard[warm],
            "rss_growth_after_warmup_mb": round(rss[-1] - rss[warm], 1), "utterances_series": heard,
            "rss_median_growth_after_warmup_mb": round(last - first, 1)}


def _score(runs: list[Any], timeline: list[tuple[str, str, float, float]], grammar: Any, stop_lat: list[float],
           flag_lat: list[float], idle: float, feeder: float, rss: list[float], streamed: float,
           minutes: float, spoken: list[tuple[float, str]] | None = None) -> dict[str, Any]:
    acted = [r for r in runs if r.status not in ("dropped",) and r.actions]
    starts = [t[2] for t in timeline]
    ends = [t[3] for t in timeline]
    accepted = list(spoken or [])

    def event_of(run: Any) -> int:
        """The event whose speech ended last before the run's utterance did (a run that started late, its
        utterance queued behind others under load, is still that event's); by the run's start without it."""
        said = next((i for i, (_, text) in enumerate(accepted) if text.strip() == (run.transcript or "").strip()),
                    None)
        if said is not None:
            at = accepted.pop(said)[0]
            return max(0, int(np.searchsorted(ends, at + 0.05, side="right")) - 1)
        return max(0, int(np.searchsorted(starts, run.started, side="right")) - 1)

    right = 0
    false_actions, high_false, asleep_actions = [], 0, 0
    credited: set[int] = set()
    for r in acted:
        idx = event_of(r)
        kind, text = timeline[idx][0], timeline[idx][1]
        if kind in ("command", "long") and idx not in credited:
            want = grammar.parse(text).to_json()["actions"]
            got = (r.plan or {}).get("actions", [])
            if [(a["tool"], a.get("args")) for a in got] == [(a["tool"], a.get("args")) for a in want]:
                right += kind == "command"
                credited.add(idx)
                continue
        false_actions.append((kind, text, r.transcript))
        risks = [a.get("risk") for a in (r.decision or {}).get("actions", [])]
        high_false += "high" in risks
        asleep_actions += kind == "asleep"
    missed, missed_at = [], []
    for i, t in enumerate(timeline):
        if t[0] == "command" and i not in credited:
            missed_at.append(i)
            later = starts[i + 1] if i + 1 < len(starts) else float("inf")
            heard = [(r.transcript, r.summary) for r in runs if t[2] <= r.started < later]
            missed.append((t[1], heard[:2]))
    commands = sum(1 for t in timeline if t[0] == "command")
    talk_s = sum(1 for t in timeline if t[0] == "talk")
    hours = streamed / 3600
    result = {
        "stream_minutes": round(streamed / 60, 1), "asked_minutes": minutes, "events": len(timeline),
        "passages": talk_s, "remarks": sum(1 for t in timeline if t[0] == "remark"), "commands": commands,
        "commands_right": right,
        "commands_right_pct": round(100 * right / commands, 1) if commands else None,
        "false_actions": len(false_actions), "false_actions_per_hour": round(len(false_actions) / hours, 1),
        "high_risk_false_actions": high_false, "actions_while_asleep": asleep_actions,
        "false_action_examples": false_actions[:5], "missed_examples": missed[:8],
        "voice_stop_to_last_primitive_ms": stats(stop_lat), "voice_stop_to_flag_ms": stats(flag_lat),
        "voice_stop_to_last_primitive_each_ms": [round(x, 1) for x in stop_lat],  # pooled over short runs
        "stops_said": sum(1 for t in timeline if t[0] == "stop"), "stops_heard": len(stop_lat),
        "idle_cpu_pct_of_one_core": round(100 * idle, 2), "feeder_baseline_pct": round(100 * feeder, 2),
        "rss_mb": {"first": rss[0], "last": rss[-1], "max": max(rss)}, "rss_mb_series": rss,
        "dropped": sum(1 for r in runs if r.status == "dropped"), "missed_events": missed_at,
    }
    for k, v in result.items():
        print(f"  {k}: {v}")
    return result
