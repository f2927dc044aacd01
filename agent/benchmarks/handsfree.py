"""`voxctl bench handsfree`: a continuous stream of talk into an always-open microphone, in real time.

A real `ListenLoop` in `hotkey.mode: always` (agent/loop.py, agent/voice_control.py) records the
PulseAudio virtual microphone on a private Xvfb, with a dry-run desktop whose key presses take 80 ms
(so a long plan lasts long enough to be stopped). Into the microphone goes, for `--minutes` (default
10): conversation not addressed to voxctl (PASSAGES, some with command words inside sentences, and since
2026-12-05 short remarks: the held-out split of tests/data/short_talk.yaml) in several voices (espeak-ng
variants and flite voices), commands (COMMANDS), "go to sleep" followed by commands said while asleep
and then "wake up", long plans stopped by a spoken "stop", and silences
(agent/benchmarks/handsfree_stream.py).

Reported: commands executed right (the run's plan equals the grammar's plan of the command's text; a
run belongs to the event whose speech ended last before its utterance's did, not to the one it started in),
false actions per hour of conversation and how many were high risk, actions while asleep, voice stop ->
last primitive (and -> stop flag) latency from the end of the spoken "stop" (and its two parts when the
stop was read at the utterance's first pause: end -> pause, pause -> decided), end of a spoken command ->
its first primitive (commands that acted before the next event) and its parts (end of speech -> end of
utterance decided -> accepted -> first primitive), how often the reading made at the utterance's last pause
was used, the silence heard before each command (from the fed stream: the previous clip's last loud sample
to the command's first) with what the segmenter cut around a missed one, each stop's figures, idle CPU (silence, the
listener's share over the microphone feeder's baseline), and RSS over the run (at the start, after
WARM_UTTERANCES utterances judged, at the end; the figures: agent/benchmarks/handsfree_score.py).
`--soak N` measures the open microphone's code path faster than real time instead
(agent/benchmarks/handsfree_soak.py); `--short-talk` short commands and short remarks one by one
(agent/benchmarks/handsfree_short.py).
"""

from __future__ import annotations

import collections
import os
import random
import resource
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from voxctl.agent.benchmarks.handsfree_score import _memory, _missed_cuts, _score
from voxctl.agent.benchmarks.handsfree_stream import _script
from voxctl.agent.benchmarks.stats import stats
from voxctl.agent.listen.heap import rss_mb

PRESS_S = 0.08  # each key press of the dry-run desktop takes this long
BACKLOG_BLOCKS = 1000  # the recorder's blocks whose lateness is kept: 20 s of 20 ms blocks (a stop looks back ~4 s)


def _rss_mb() -> float:
    return round(rss_mb(), 1)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(args: Any, config: Any) -> dict[str, Any]:
    from voxctl.agent.benchmarks.virtual_mic import bench_microphone
    from voxctl.agent.benchmarks.xvfb import private_display

    if getattr(args, "soak", None):  # the open microphone's code path, faster than real time
        from voxctl.agent.benchmarks.handsfree_soak import run as soak

        return soak(args, config)
    if getattr(args, "short_talk", False):  # short commands and short remarks, one utterance each
        from voxctl.agent.benchmarks.handsfree_short import run as short_talk

        return short_talk(args, config)
    minutes = float(getattr(args, "minutes", None) or 10.0)
    rng = random.Random(11)
    print(f"building the stream ({minutes:g} min of synthesized talk)…")
    events = _script(minutes, rng)
    with private_display(), bench_microphone("voxctl-bench-hf-") as (tmp, pulse):
        return _measure(config, pulse.mic, events, tmp, minutes)


def _measure(config: Any, mic: Any, events: list[tuple[str, str, str, float]], tmp: Path,
             minutes: float) -> dict[str, Any]:
    from rich.console import Console

    from voxctl.agent.benchmarks.interpret import synthesize
    from voxctl.agent.config import Config
    from voxctl.agent.feedback import Feedback
    from voxctl.agent.loop import ListenLoop
    from voxctl.agent.voice_control import exact_grammar
    from voxctl.tools.dryrun import DryRunDesktop

    data = config.model_dump()
    data["hotkey"]["mode"] = "always"
    data["interpreter"].update(backend="grammar", macros_file=None)
    data["history"]["path"] = str(tmp / "history.sqlite")
    data["confirm"].update(by_keys=False, timeout_s=5)
    data["handsfree"]["earcons"] = "off"
    data["desktop"]["backend"] = "dry_run"
    cfg = Config.model_validate(data)
    primitives: list[float] = []

    class SlowDesktop(DryRunDesktop):
        def _record(self, name: str, **kw: Any) -> None:
            if name == "press":
                time.sleep(PRESS_S)
            primitives.append(time.monotonic())
            super()._record(name, **kw)

    cpu0, t0 = _cpu(), time.monotonic()
    time.sleep(10)  # the microphone feeder alone: the baseline the listener's idle cost is measured over
    feeder = (_cpu() - cpu0) / (time.monotonic() - t0)
    log = open(tmp / "listen.log", "w")  # noqa: SIM115 (closed below)
    loop = ListenLoop(cfg, dry_run=True, feedback=Feedback(cfg.feedback, console=Console(file=log, width=200)))
    loop.start()
    loop.agent._desktop = SlowDesktop()
    stops: list[float] = []
    emergency = loop._emergency_stop

    def timed_stop() -> None:
        stops.append(time.monotonic())
        emergency()

    loop._emergency_stop = timed_stop
    spoken: list[tuple[float, str]] = []  # (end of speech, text) of each accepted command: runs are scored by it
    accepted_at: list[float] = []  # when each of them was accepted (same order)
    hooks = loop.voice.mic.hooks
    put = hooks.on_command

    def noted(item: Any) -> None:
        spoken.append((item.heard_at, item.text))
        accepted_at.append(time.monotonic())
        put(item)

    hooks.on_command = noted
    segmenter = loop.voice.mic.segmenter
    cut_utterance = segmenter.on_utterance
    cuts: list[tuple[float, float, int, int]] = []  # (decided at, seconds, speculated pause, index) of each cut
    # What each utterance was judged (by its index): a missed command's own reading, even when it was judged
    # late (under load, after the next event began, where the history's rows are listed by their start).
    readings: dict[int, str] = {}

    def logged(segment: Any) -> None:
        cuts.append((segment.ended_at, round(len(segment.audio) / 16000, 2), segment.speculated, segment.index))
        cut_utterance(segment)

    segmenter.on_utterance = logged
    judge = loop.voice.mic.judge

    def judged(segment: Any) -> Any:
        v = judge(segment)
        readings[segment.index] = f"{v.kind}: {v.text!r} {v.reason}".strip()[:80]
        return v

    loop.voice.mic.judge = judged  # type: ignore[method-assign]
    feed_segmenter = segmenter.feed
    fed = {"samples": 0, "t0": 0.0, "least": float("inf")}  # the recorder's blocks as the segmenter gets them
    # (time, ms the segmenter is behind its least delay so far): read only over the last few seconds of a stop, so
    # bounded; a list trimmed at 20,000 blocks grew ~2 MB over 10 minutes, counted in the RSS this bench reports.
    backlog: collections.deque[tuple[float, float]] = collections.deque(maxlen=BACKLOG_BLOCKS)

    def timed_feed(block: Any) -> None:
        now = time.monotonic()
        if not fed["samples"]:
            fed["t0"] = now
        behind = now - fed["t0"] - fed["samples"] / 16000  # lateness of this block against the audio clock
        fed["least"] = min(fed["least"], behind)
        fed["samples"] += len(block)
        backlog.append((now, (behind - fed["least"]) * 1000))
        feed_segmenter(block)

    segmenter.feed = timed_feed  # type: ignore[method-assign]
    threading.Thread(target=loop.run, name="bench-loop", daemon=True).start()
    loop.transcriber.transcribe(synthesize("scroll down", "slt"))  # warm
    cpu0, t0 = _cpu(), time.monotonic()
    time.sleep(30)
    idle = (_cpu() - cpu0) / (time.monotonic() - t0) - feeder
    rss = [_rss_mb()]
    heard = [loop.voice.mic.heard]  # utterances the open microphone had judged at each RSS sample
    timeline: list[tuple[str, str, float, float]] = []  # kind, text, wall start, monotonic end of speech
    stop_lat: list[float] = []
    long_started = 0
    unheard: list[int] = []  # stop events that stopped nothing
    flag_lat: list[float] = []
    pause_lat: list[float] = []  # end of the spoken "stop" -> its pause handed to the stop check (VAD side)
    check_ms: list[float] = []  # pause -> stop decided (queue and decoding)
    command_lat: list[float] = []  # end of a spoken command -> the first primitive after it (within its gap)
    command_parts: list[tuple[float, float, float]] = []  # end -> utterance cut, cut -> accepted, -> first primitive
    commands_each: list[dict[str, Any]] = []
    stops_each: list[dict[str, Any]] = []
    pauses_before: list[tuple[str, float]] = []  # (command, silence heard before it in the fed stream, s)
    last_loud = -1  # stream sample of the previous clip's last loud sample
    loads = [os.getloadavg()[0]]
    started = time.monotonic()
    last_rss = started
    for kind, text, voice, gap in events:
        wall = time.time()
        before = len(stops)  # counted before the "stop" is said: it may act before its clip has played out
        acted = len(primitives)
        said = len(spoken)
        guessed = dict(loop.voice.mic.speculated)
        if text:
            clip = synthesize(text, voice)
            pb = mic.say(clip)
            pb.wait(60)
            loud = np.flatnonzero(np.abs(clip) > 0.02)  # the clip's own trailing silence is no speech
            end = pb.started + (int(loud[-1]) if len(loud) else len(clip)) / 16000
            if kind == "command" and len(loud) and last_loud >= 0:
                pauses_before.append((text, round((pb.start_sample + int(loud[0]) - last_loud) / 16000, 3)))
            last_loud = pb.start_sample + (int(loud[-1]) if len(loud) else len(clip))
        else:
            end = time.monotonic()
        timeline.append((kind, text, wall, end))
        if kind == "long":  # the stop is said once the plan runs
            deadline = time.monotonic() + 10
            while not loop.voice.executing and time.monotonic() < deadline:
                time.sleep(0.02)
            long_started += loop.voice.executing
            time.sleep(0.5)
        elif kind == "stop":
            time.sleep(3.0)
            if len(stops) > before and primitives:
                stop_lat.append(max(0.0, primitives[-1] - end) * 1000)
                flag_lat.append(max(0.0, stops[-1] - end) * 1000)
                each = {"last_primitive_ms": round(stop_lat[-1]), "flag_ms": round(flag_lat[-1]), "voice": voice,
                        "load": round(os.getloadavg()[0], 1), "at_first_pause": False,
                        "recorder_behind_ms": round(max((b for t, b in backlog if end - 0.2 <= t <= stops[-1]),
                                                        default=0.0))}
                early = loop.voice.mic.stop_log
                if early and early[-1][1] >= stops[before] - 0.01:  # this stop came from the early look
                    pause_lat.append((early[-1][0] - end) * 1000)
                    check_ms.append((early[-1][1] - early[-1][0]) * 1000)
                    each.update(at_first_pause=True, end_to_pause_ms=round(pause_lat[-1]),
                                pause_to_decided_ms=round(check_ms[-1]))
                else:  # decided at the end of the utterance: when was it cut?
                    cut = next((c for c in cuts if c[0] >= end - 0.3), None)
                    each["end_to_cut_ms"] = round((cut[0] - end) * 1000) if cut else None
                stops_each.append(each)
            else:
                unheard.append(len(timeline) - 1)
        time.sleep(gap)
        if kind == "command" and len(primitives) > acted and primitives[acted] >= end:
            command_lat.append((primitives[acted] - end) * 1000)
            if len(spoken) > said and spoken[said][0] >= end - 0.3:
                heard_at, took = spoken[said][0], accepted_at[said]
                command_parts.append(((heard_at - end) * 1000, (took - heard_at) * 1000, (primitives[acted] - took) * 1000))
                commands_each.append({"text": text, "voice": voice, "first_primitive_ms": round(command_lat[-1]),
                                      "parts_ms": [round(x) for x in command_parts[-1]],
                                      "read_ahead": {k: v - guessed.get(k, 0) for k, v in loop.voice.mic.speculated.items()
                                                     if v != guessed.get(k, 0)}})
        if time.monotonic() - last_rss > 30:
            with mic._lock:  # the feeder keeps everything it fed (for other benches): not voxctl's memory
                mic.history.clear()
            rss.append(_rss_mb())
            heard.append(loop.voice.mic.heard)
            last_rss = time.monotonic()
        if len(loads) < 2 + (time.monotonic() - started) // 60:
            loads.append(os.getloadavg()[0])
    time.sleep(5)
    streamed = time.monotonic() - started
    rss.append(_rss_mb())
    heard.append(loop.voice.mic.heard)
    runs = list(reversed(loop.agent.audit.recent(100000)))
    grammar = exact_grammar(loop.agent.session, loop.transcriber)
    loop.close()
    log.close()
    result = _score(runs, timeline, grammar, stop_lat, flag_lat, idle, feeder, rss, streamed, minutes, spoken)
    result["missed_cuts"] = _missed_cuts(timeline, cuts, result, readings)
    print(f"  missed_cuts: {result['missed_cuts']}")
    result["stops_at_first_pause"] = loop.voice.mic.early_stops
    result["stop_end_to_pause_ms"] = stats(pause_lat)  # negative: the pause inside "stop" (before its "p")
    result["stop_pause_to_decided_ms"] = stats(check_ms)
    result["command_end_to_first_primitive_ms"] = stats(command_lat)  # commands that acted within their gap
    result["command_end_to_cut_ms"] = stats([c[0] for c in command_parts])  # silero's lag and the end silence
    result["command_cut_to_accepted_ms"] = stats([c[1] for c in command_parts])  # reading and judging
    result["command_accepted_to_first_primitive_ms"] = stats([c[2] for c in command_parts])  # the graph
    result["speculative"] = dict(loop.voice.mic.speculated)  # readings at the last pause: used / stale / missing
    result["stops_each"] = stops_each
    result["commands_each"] = commands_each
    result["pause_before_command_s"] = stats([p for _, p in pauses_before])
    result["shortest_pauses_before_commands"] = sorted(pauses_before, key=lambda x: x[1])[:5]
    result["loadavg_1min_each_minute"] = [round(x, 1) for x in loads]
    for k in ("stops_at_first_pause", "stop_end_to_pause_ms", "stop_pause_to_decided_ms",
              "command_end_to_first_primitive_ms", "command_end_to_cut_ms", "command_cut_to_accepted_ms",
              "command_accepted_to_first_primitive_ms", "speculative", "stops_each", "pause_before_command_s",
              "shortest_pauses_before_commands", "loadavg_1min_each_minute"):
        print(f"  {k}: {result[k]}")
    result.update(_memory(rss, heard))
    result["long_plans_started"] = long_started  # a "stop" counts only when its plan was heard and ran
    result["unheard_stops"] = [(timeline[i][1], [(r.transcript, r.summary) for r in runs
                                                 if timeline[i][2] <= r.started < timeline[i][2] + 4])
                               for i in unheard]
    print(f"  unheard_stops: {result['unheard_stops']}")
    print(f"  long_plans_started: {long_started}")
    return result
