"""`voxctl bench interpret`: accuracy and latency of each understanding backend on the project's own
spoken set (tests/data/spoken_commands.yaml), spoken by several synthetic voices.

For every backend: the plans from the set's text (no audio), then for every voice the plans from
synthesized speech. For `grammar` and `hybrid` the recogniser's time (ASR ms) and the grammar's
(understand ms) are measured apart; the LLM backends are timed end to end. A plan is right when its
actions equal the expected ones; typed text is compared ignoring case and punctuation, which the
recogniser chooses, not the speaker.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from voxctl.agent.benchmarks.stats import stats

SPOKEN_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "spoken_commands.yaml"
VOICES = ("slt", "rms", "awb", "kal16", "espeak")
SR = 16000


@dataclass(frozen=True)
class SpokenCommand:
    say: str
    plan: list[Any]  # validated tool calls


def load_spoken_set(path: str | Path = SPOKEN_SET) -> tuple[dict[str, Any], list[SpokenCommand]]:
    """(macros, commands) of the spoken set; a broken file raises ValueError naming the entry."""
    from voxctl.agent.macros import parse_macros
    from voxctl.tools.registry import validate_action

    p = Path(path)
    if not p.is_file():
        raise ValueError(f"{p}: the spoken set is missing (it ships with the source checkout, in tests/data)")
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    macros = parse_macros(data.get("macros") or {}, p)
    commands = []
    for i, item in enumerate(data["commands"]):
        calls = []
        for raw in item["plan"]:
            call, problems = validate_action(raw, f"commands[{i}] ({item['say']!r})")
            if call is None:
                raise ValueError(f"{p}: " + "; ".join(problems))
            calls.append(call)
        commands.append(SpokenCommand(str(item["say"]), calls))
    return macros, commands


def plain(text: str) -> str:
    """`text` as its words: lower case, punctuation dropped and numbers as digits (the recogniser chooses
    those: "twelve times four" is written "12 times four" as often as not)."""
    from voxctl.agent.interpret.normalize import normalize

    return normalize(" ".join(re.sub(r"[^\w\s']", " ", text.casefold()).split()))


def _canon(call: Any) -> Any:
    data = call.model_dump(mode="json")
    if data["tool"] == "type_text":
        data["args"]["text"] = plain(data["args"]["text"])
    return data


def same_plan(actions: list[Any], expected: list[Any]) -> bool:
    """The actions are the expected ones (typed text compared without case and punctuation)."""
    return [_canon(a) for a in actions] == [_canon(e) for e in expected]


def tts_available(voice: str) -> bool:
    return shutil.which("espeak-ng" if voice.startswith("espeak") else "flite") is not None


def synthesize(text: str, voice: str) -> np.ndarray:
    """Speech from flite (slt, rms, awb, kal16) or espeak-ng ("espeak", "espeak:VOICE"), 16 kHz mono."""
    import soundfile as sf
    import soxr

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "s.wav"
        if voice.startswith("espeak"):
            cmd = ["espeak-ng", "-v", voice.partition(":")[2] or "en-us", "-s", "150", "-w", str(out), text]
        else:
            cmd = ["flite", "-voice", voice, "-t", text, "-o", str(out)]
        subprocess.run(cmd, check=True, capture_output=True)
        audio, sr = sf.read(out, dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)
    return np.asarray(soxr.resample(audio, sr, SR) if sr != SR else audio, dtype=np.float32)


def _interpreter(backend: str, config: Any, transcriber: Any, macros: dict[str, Any]) -> Any:
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.session import Session

    cfg = config.model_copy(update={"interpreter": config.interpreter.model_copy(update={"backend": backend})})
    return make_interpreter(Session.build(cfg, macros=macros), transcriber=transcriber,
                            notify=lambda m: print(f"  ({m})"))


def bench_backend(backend: str, config: Any, transcriber: Any, voices: list[str],
                  macros: dict[str, Any], commands: list[SpokenCommand]) -> dict[str, Any]:
    from voxctl.agent.utterance import Utterance

    interp = _interpreter(backend, config, transcriber, macros)
    # The grammar (alone, or hybrid without a model) times the recogniser and itself apart.
    grammar = interp if backend == "grammar" else getattr(interp, "grammar", None)
    split = grammar is not None and getattr(interp, "llm", None) is None
    text_ok = sum(same_plan(interp.interpret(Utterance.from_text(c.say)).actions, c.plan) for c in commands)
    result: dict[str, Any] = {"text": {"correct": text_ok, "total": len(commands)}, "voices": {}}
    print(f"  {backend:9} text    {text_ok}/{len(commands)} = {100 * text_ok / len(commands):.1f}%")
    for voice in voices:
        asr_ms, nlu_ms, total_ms, wrong, retries = [], [], [], [], 0
        for c in commands:
            audio = synthesize(c.say, voice)
            t0 = time.perf_counter()
            if split:
                parse = grammar.read(audio)
                plan = parse.plan
                asr_ms.append(parse.asr_ms)
                nlu_ms.append(parse.ms)
                retries += parse.retried
            else:
                plan = interp.interpret(Utterance(audio=audio))
            total_ms.append((time.perf_counter() - t0) * 1000)
            if not same_plan(plan.actions, c.plan):
                wrong.append({"say": c.say, "heard": plan.transcript, "reason": plan.reason})
        ok = len(commands) - len(wrong)
        result["voices"][voice] = {"correct": ok, "total": len(commands), "asr_ms": stats(asr_ms),
                                   "understand_ms": stats(nlu_ms), "total_ms": stats(total_ms),
                                   "second_looks": retries, "wrong": wrong}
        lat = (f"ASR p50 {stats(asr_ms)['p50']} / p95 {stats(asr_ms)['p95']} ms, grammar p50 "
               f"{stats(nlu_ms)['p50']} / p95 {stats(nlu_ms)['p95']} ms, {retries} second looks"
               if split else f"end to end p50 {stats(total_ms)['p50']} / p95 {stats(total_ms)['p95']} ms")
        print(f"  {backend:9} {voice:7} {ok}/{len(commands)} = {100 * ok / len(commands):.1f}%   {lat}")
    return result


def run(args: Any, config: Any) -> dict[str, Any]:
    from voxctl.agent.interpret.backends import BACKENDS, LLM_NAMES
    from voxctl.agent.interpret.factory import LazyTranscriber

    macros, commands = load_spoken_set()
    backends = list(getattr(args, "backend", None) or [])
    if not backends:
        backends = ["grammar", "understand"] + [b for b in LLM_NAMES if getattr(config.interpreter, b).model]
    voices = [v for v in (getattr(args, "voices", None) or VOICES) if tts_available(v)]
    transcriber = LazyTranscriber(config.asr)
    t0 = time.perf_counter()
    transcriber.get()
    print(f"spoken set: {len(commands)} commands; voices: {', '.join(voices) or 'none (no TTS)'}; "
          f"Whisper loaded in {(time.perf_counter() - t0) * 1000:.0f} ms")
    results: dict[str, Any] = {"commands": len(commands), "voices": voices, "backends": {}}
    for backend in backends:
        if BACKENDS[backend].llm and not getattr(config.interpreter, backend).model:
            print(f"  {backend:9} skipped: interpreter.{backend}.model is not configured")
            results["backends"][backend] = {"skipped": "no model configured"}
            continue
        results["backends"][backend] = bench_backend(backend, config, transcriber, voices, macros, commands)
    if "understand" in backends:  # the model's own held-out dev set (agent/benchmarks/understand.py)
        from voxctl.agent.benchmarks import understand

        results["understand_dev"] = understand.run(config, transcriber, voices, getattr(args, "limit", None))
    return results
