"""`voxctl bench e2e`: key release -> first action, through the real recorder path, on this machine.

The project's spoken set (tests/data/spoken_commands.yaml) is synthesized (flite) and played into a
virtual microphone (a private PulseAudio daemon with a FIFO-fed source, agent/benchmarks/virtual_mic.py)
in real time, while voxctl's own Recorder records it. Per command, as a person holding the chord:
press (recorder + early recognizer begin), speak, wait `release_after` seconds, release; then exactly
what `voxctl listen` does (agent/loop.py `ListenLoop.handle`): the silence gate and recognition
(`EarlyRecognizer.finish`), then the agent graph interpret -> validate -> policy -> execute on a
dry-run desktop that notes when its first primitive is dispatched. A plan that stops for confirmation
counts the moment the question is ready instead (that is what the person sees first).

Stages after release, in ms: capture close (the recorder's last blocks), VAD, ASR (what is left of
recognition after release: nothing when it was done while the chord was held), interpret (grammar),
validate + policy (the graph's own nodes and checkpoints), dispatch (execute node up to the first
primitive). The interpreter is warmed first, as `voxctl listen` does at start-up (agent/warmup.py).
Per command (`per_command`, the slowest printed): release -> first action and where the recogniser's
time went (asr.Spent: short read, loop check, padded reread, 30 s window, N best, forced scoring; and
why a reading was read again). Also: ASR compute per utterance (all decoding, held or not, the second look's included), the agent's own time
(everything after recognition that is not the grammar: the graph, its SQLite checkpoints and audit
records, validation, policy, dispatch) as a share of that compute, accuracy, peak RSS and cold start (`voxctl listen --dry-run` until "Ready", with a
fresh process, agent/benchmarks/cold_start.py). Each mode is run: decoding while held (the default) and
decoding after release.
Beside them, the full-window decoding of the same clips (Whisper's 30 s window, greedy; half the clips
before the modes, half after) and the ratio release -> first action p95 / full-window p50: speed as
a ratio, since these shared machines' speed varies from day to day.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path
from typing import Any

from voxctl.agent.benchmarks.cold_start import cold_start
from voxctl.agent.benchmarks.e2e_timing import _Clock, _Counting, _timed_desktop, _TimedInterpreter
from voxctl.agent.benchmarks.interpret import load_spoken_set, same_plan, synthesize, tts_available
from voxctl.agent.benchmarks.stats import stats

VOICE = "slt"
RELEASE_AFTER = 0.3  # s between the end of the speech and the release of the chord
TIMELINE = ("capture", "vad", "asr", "interpret", "validate_policy", "dispatch")
SLOWEST = 4  # commands printed with their recogniser's steps


def _bench_config(config: Any, tmp: Path, held: bool) -> Any:
    import yaml

    from voxctl.agent.benchmarks.interpret import SPOKEN_SET

    macros = tmp / "macros.yaml"  # the spoken set's macros, so that "start my day" has a macro to run
    macros.write_text(yaml.safe_dump(yaml.safe_load(SPOKEN_SET.read_text(encoding="utf-8"))["macros"]))
    pol = config.policy.model_copy(update={"max_plans_per_minute": 1000})
    return config.model_copy(update={
        "interpreter": config.interpreter.model_copy(update={"macros_file": str(macros)}),
        "asr": config.asr.model_copy(update={"decode_while_held": held}),
        "policy": pol,
        "history": config.history.model_copy(update={"path": str(tmp / f"history-{int(held)}.sqlite")}),
        "confirm": config.confirm.model_copy(update={"by_voice": False, "by_keys": False}),
    })


def _one_mode(config: Any, held: bool, mic: Any, clips: list[Any], commands: list[Any], macros: dict[str, Any],
              transcriber: Any, tmp: Path, release_after: float) -> dict[str, Any]:
    from voxctl.agent.graph import Agent
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.listen.recorder import Recorder
    from voxctl.agent.listen.streaming import EarlyRecognizer
    from voxctl.agent.listen.vad import gate
    from voxctl.agent.session import Session
    from voxctl.agent.utterance import Utterance

    cfg = _bench_config(config, tmp, held)
    clock = _Clock()
    asr = _Counting(transcriber)
    session = Session.build(cfg, macros=macros)
    interpreter = _TimedInterpreter(make_interpreter(session, transcriber=asr, notify=lambda m: None))
    warm = getattr(interpreter.inner, "warm", None)
    if warm is not None:  # as `voxctl listen` does at start-up (agent/warmup.py)
        warm()
    agent = Agent(session, interpreter=interpreter, desktop=_timed_desktop(clock), dry_run=True)
    early = EarlyRecognizer(asr, cfg.audio, cfg.asr.endpoint_ms) if held else None
    rows: dict[str, list[float]] = {k: [] for k in (*TIMELINE, "total", "asr_compute", "grammar", "overhead")}
    right, wrong, confirmations, reused = 0, [], 0, 0
    per_command: list[dict[str, Any]] = []
    spent = getattr(transcriber, "spent", None)  # asr.Spent: recognition time by step
    rec = Recorder(cfg.audio, on_chunk=early.feed if early else None).open()
    try:
        for command, audio in zip(commands, clips, strict=True):
            asr.ms = interpreter.ms = 0.0
            clock.marks.clear()
            if spent is not None:
                spent.take()
            if early:
                early.begin()
            rec.begin()
            mic.say(audio).wait(30)
            time.sleep(release_after)
            clock.mark("release")
            recorded = rec.end()
            clock.mark("captured")
            transcript, waited = None, 0.0
            if early:
                done = early.finish(recorded)
                speech, waited = done.speech, done.timings["asr"]
                transcript = done.transcript.text if done.transcript is not None else None
                reused += done.early
                vad = done.timings["vad"]
            else:
                speech = gate(recorded, cfg.audio)
                vad = (time.perf_counter() - clock.marks["captured"]) * 1000
            clock.mark("recognised")
            if speech is None:
                wrong.append({"say": command.say, "heard": "", "why": "heard nothing"})
                continue
            before = asr.ms  # decoding inside interpret (after release, or a beam-search second look)
            tid = agent.start(utterance=Utterance(audio=speech, transcript=transcript),
                              on_update=lambda node, _u: clock.mark(f"node:{node}"))
            in_interpret = asr.ms - before
            values = agent.values(tid)
            ok = _plan_matches(values.get("plan") or {}, command.plan)
            right += ok
            row: dict[str, Any] = {"say": command.say, "heard": values.get("transcript", ""), "right": ok,
                                   "asr_compute_ms": round(asr.ms, 1), **(spent.take() if spent is not None else {})}
            per_command.append(row)
            if not ok:
                wrong.append({"say": command.say, "heard": values.get("transcript", ""),
                              "why": values.get("summary", "")})
            m = clock.marks
            if "node:interpret" not in m or "node:policy" not in m:
                continue  # understood as nothing: no action to time
            first = m.get("primitive")
            if first is None:  # paused for confirmation: the question is what comes first
                confirmations += 1
                first = m["node:policy"]
            stage = {
                "capture": (m["captured"] - m["release"]) * 1000,
                "vad": vad,
                "asr": waited + in_interpret,
                "interpret": (m["node:interpret"] - m["recognised"]) * 1000 - in_interpret,
                "validate_policy": (m["node:policy"] - m["node:interpret"]) * 1000,
                "dispatch": (first - m["node:policy"]) * 1000,
            }
            for k, v in stage.items():
                rows[k].append(v)
            rows["total"].append((first - m["release"]) * 1000)
            row["total_ms"] = round(rows["total"][-1], 1)
            rows["asr_compute"].append(asr.ms)
            # The agent's own time: the graph, its checkpoints and audit records, policy, dispatch; not
            # the recogniser, not the grammar (timed around the interpreter call).
            grammar = interpreter.ms - in_interpret
            rows["grammar"].append(grammar)
            rows["overhead"].append((first - m["recognised"]) * 1000 - interpreter.ms)
    finally:
        rec.close()
        if early:
            early.close()
        agent.close()
    n = len(commands)
    overhead_pct = 100 * sum(rows["overhead"]) / max(1e-9, sum(rows["asr_compute"]))
    return {"mode": "decode while held" if held else "decode after release", "commands": n,
            "correct": right, "accuracy": round(right / n, 3), "confirmations": confirmations,
            "decoded_before_release": reused, "overhead_pct_of_asr": round(overhead_pct, 2),
            "early_decodings_per_command": round(early.decodes / n, 2) if early else 0.0,
            **{f"{k}_ms": stats(v) for k, v in rows.items()}, "wrong": wrong, "per_command": per_command}


def _plan_matches(plan: dict[str, Any], expected: list[Any]) -> bool:
    from voxctl.tools.registry import validate_plan

    parsed, _ = validate_plan(plan) if plan else (None, [])
    return parsed is not None and same_plan(list(parsed.actions), expected)


def run(args: Any, config: Any) -> dict[str, Any]:
    from voxctl.agent.benchmarks.devset import hint_as_listen
    from voxctl.agent.benchmarks.virtual_mic import bench_microphone
    from voxctl.agent.interpret.factory import LazyTranscriber

    if not tts_available(VOICE):
        raise RuntimeError("flite is needed to speak the commands (apt-get install flite)")
    release_after = float(getattr(args, "release_after", None) or RELEASE_AFTER)
    macros, commands = load_spoken_set()
    limit = getattr(args, "limit", None)
    commands = commands[:limit] if limit else commands
    print(f"spoken set: {len(commands)} commands, voice {VOICE}; chord released {release_after * 1000:.0f} ms "
          "after the speech; real recorder on a PulseAudio virtual microphone; dry-run desktop")
    clips = [synthesize(c.say, VOICE) for c in commands]
    with bench_microphone("voxctl-bench-") as (tmp, pulse):
        cold = cold_start(pulse.env, tmp)
        print(f"  cold start to ready: {cold}")
        transcriber = LazyTranscriber(config.asr).get()
        hint_as_listen(transcriber, config, macros)
        transcriber.transcribe(clips[0])  # warm: the first decoding allocates
        results: dict[str, Any] = {"machine_load": os.getloadavg()[0], "release_after_s": release_after,
                                   "cold_start": cold, "modes": []}
        full: list[float] = _full_window_ms(transcriber, clips[0::2], config.audio)
        for held in (True, False):
            r = _one_mode(config, held, pulse.mic, clips, commands, macros, transcriber, tmp, release_after)
            results["modes"].append(r)
            _print(r)
        full += _full_window_ms(transcriber, clips[1::2], config.audio)  # before and after: load drifts
        results["full_window_ms"] = fw = stats(full)
        print(f"  full-window decoding of the same clips (30 s window, greedy): p50 {fw.get('p50')} ms, "
              f"p95 {fw.get('p95')} ms")
        for r in results["modes"]:
            p95 = r["total_ms"].get("p95")
            r["p95_over_full_window"] = round(p95 / fw["p50"], 3) if p95 and fw.get("p50") else None
            print(f"  {r['mode']}: release -> first action p95 / full-window p50 = {r['p95_over_full_window']}")
        results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(f"  peak RSS of this process (recorder, Whisper, graph): {results['peak_rss_mb']} MB")
        return results


def _full_window_ms(transcriber: Any, clips: list[Any], audio_config: Any) -> list[float]:
    """The reference: each clip's speech (after the silence gate) decoded on Whisper's full 30 s window."""
    from voxctl.agent.benchmarks.recognition import full_window
    from voxctl.agent.listen.vad import gate

    out = []
    for clip in clips:
        speech = gate(clip, audio_config)
        if speech is not None:
            t0 = time.perf_counter()
            full_window(transcriber, speech)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def _print(r: dict[str, Any]) -> None:
    t = r["total_ms"]
    print(f"  {r['mode']}: release -> first action p50 {t.get('p50')} ms, p95 {t.get('p95')} ms; accuracy "
          f"{r['correct']}/{r['commands']}; decoded before release {r['decoded_before_release']}; "
          f"agent overhead {r['overhead_pct_of_asr']}% of ASR compute; early decodings per command "
          f"{r['early_decodings_per_command']}")
    for k in TIMELINE:
        s = r[f"{k}_ms"]
        print(f"    {k:16} p50 {s.get('p50')} ms  p95 {s.get('p95')} ms")
    print(f"    ASR compute per utterance p50 {r['asr_compute_ms'].get('p50')} ms; grammar p50 "
          f"{r['grammar_ms'].get('p50')} ms; agent's own time p50 {r['overhead_ms'].get('p50')} ms")
    slow = sorted((c for c in r["per_command"] if "total_ms" in c), key=lambda c: -c["total_ms"])[:SLOWEST]
    for c in slow:  # where the tail's time went
        steps = ", ".join(f"{k} {v:.0f}" for k, v in c.get("ms", {}).items())
        print(f"    slow: {c['say']!r} {c['total_ms']:.0f} ms (recogniser {steps}) {'; '.join(c.get('notes', []))}")
