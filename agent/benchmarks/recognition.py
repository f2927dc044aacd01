"""`voxctl bench recognition`: the recogniser + grammar on the broad spoken dev set (devset.py).

Per clip, as `voxctl listen` does it: the silence gate, then the configured interpreter reading the
audio (`GrammarInterpreter.read`: the grammar backend, or hybrid without a model). Reported per split
(dev, heldout) and per voice:
- exact plans on spoken commands (typed text compared without case and punctuation);
- false actions: any action on a non-command sentence, a human recording or non-speech (high-risk ones
  counted apart);
- duplicated actions: a plan holding an action more often than the speech did (a recogniser loop);
- recognition compute per clip beside the full-window decoding of the same clip in the same run
  (faster-whisper on its 30 s window, greedy, without timestamps: what every decoding cost before
  the recogniser learned to encode only the audio that exists), and their ratio, also for commands of
  1-3 s of speech.
`--margins a,b,c` (margins.py) re-reads every clip with each rejection margin (when the interpreter has one) and
prints the trade-off: exact plans vs false actions; `--rescore-margins` likewise for the margin of the
acoustic rescoring of grammar candidates. Every clip lost is listed (said, read, what ran or why not)
and kept in the results with the readings and candidates the recogniser scored.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from typing import Any

import numpy as np

from voxctl.agent.benchmarks.stats import stats

RECORDED = ("transcribe", "nbest", "score", "transcribe_full")  # the recogniser's answers `Recorded` replays
MAX_LISTED = 12  # readings and candidates listed per clip in the results (best first)


def full_window(transcriber: Any, audio: Any) -> str:
    """Greedy decoding of `audio` padded to Whisper's full 30 s window, as the app decoded before
    issue 9 (same options as Transcriber.transcribe: English, no timestamps, the vocabulary hint)."""
    real = transcriber.get() if hasattr(transcriber, "get") else transcriber
    model = getattr(real, "model", None)
    if model is None or not hasattr(model, "feature_extractor"):  # not faster-whisper: its own decoding
        return real.transcribe(audio, beam_size=1, without_timestamps=True).text
    seconds = len(audio) / 16000
    segments, _ = model.transcribe(
        audio, language="en", beam_size=1, temperature=0.0, without_timestamps=True,
        condition_on_previous_text=False, hotwords=getattr(real, "hint", None),
        max_new_tokens=min(int(8 * min(seconds, 30.0)) + 16, 200))
    return " ".join(s.text.strip() for s in segments)


class Recorded:
    """The transcriber, remembering every reading it gave (`transcribe`, `nbest`) per audio and options;
    with `replay` on, the same question is answered from memory: re-reading the set with another
    rejection margin then costs the grammar's time only, and uses the interpreter's own decision."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.memo: dict[tuple[str, str, str], Any] = {}
        self.replay = False

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name not in RECORDED:
            return attr

        def call(audio: Any, *a: Any, **kw: Any) -> Any:
            digest = hashlib.sha1(np.ascontiguousarray(audio, dtype=np.float32).tobytes()).hexdigest()
            key = (name, digest, repr((a, sorted(kw.items()))))
            if self.replay and key in self.memo:
                return self.memo[key]
            out = attr(audio, *a, **kw)
            self.memo[key] = out
            return out

        return call


def duplicated(actions: list[Any], expected: list[Any]) -> bool:
    """The plan holds some action more often than expected (and at least twice): a repetition."""
    from voxctl.agent.benchmarks.interpret import _canon

    def key(a: Any) -> str:
        return repr(_canon(a))

    got, want = Counter(map(key, actions)), Counter(map(key, expected))
    return any(n >= 2 and n > want.get(k, 0) for k, n in got.items())


def _reader(config: Any, transcriber: Any, macros: dict[str, Any], backend: str) -> tuple[Any, Any]:
    """(interpreter, grammar reader or None): the grammar reads audio itself when no LLM is behind it."""
    from voxctl.agent.benchmarks.interpret import _interpreter

    interp = _interpreter(backend, config, transcriber, macros)
    grammar = interp if hasattr(interp, "read") else getattr(interp, "grammar", None)
    if grammar is not None and getattr(interp, "llm", None) is None:
        return interp, grammar
    if grammar is not None:  # a model behind the grammar: its parse is still shown per clip
        interp.grammar = Watched(grammar)
    return interp, None


class Watched:
    """The grammar behind a model (hybrid), remembering its last parse of audio for the results."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.last = inner, None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def read(self, *a: Any, **kw: Any) -> Any:
        self.last = self.inner.read(*a, **kw)
        return self.last


def _read(interp: Any, grammar: Any, audio: Any) -> tuple[Any, float, dict[str, Any]]:
    """(actions, recognition ms, what the recogniser considered) for one clip."""
    from voxctl.agent.utterance import Utterance

    t0 = time.perf_counter()
    if grammar is None:
        watched = getattr(interp, "grammar", None)
        if isinstance(watched, Watched):
            watched.last = None
        plan = interp.interpret(Utterance(audio=audio))
        info = {"heard": plan.transcript, "source": plan.source}
        if isinstance(watched, Watched) and watched.last is not None:
            info = {**_considered(watched.last), **info, "grammar_actions": len(watched.last.plan.actions)}
        if plan.reason and not plan.actions:
            info["reason"] = plan.reason
        return list(plan.actions), (time.perf_counter() - t0) * 1000, info
    parse = grammar.read(audio)
    wall = (time.perf_counter() - t0) * 1000
    asr_ms = getattr(parse, "asr_ms", None)
    return list(parse.plan.actions), float(asr_ms) if asr_ms else wall, _considered(parse)


def _considered(parse: Any) -> dict[str, Any]:
    """What the recogniser considered for one clip (the grammar's Parse), for the results."""
    info: dict[str, Any] = {"heard": parse.plan.transcript}
    for field in ("free_text", "free_score", "chosen_text", "chosen_score", "rejected", "retried"):
        value = getattr(parse, field, None)
        if value not in (None, "", False):
            info[field] = value if isinstance(value, str | bool | int | float) else str(value)
    if parse.plan.reason and not parse.plan.actions:
        info["reason"] = parse.plan.reason
    for field in ("hypotheses", "candidates"):  # every reading and candidate scored, with its verdict
        seen = getattr(parse, field, ())
        if seen:
            info[field] = [{"text": h.text, "score": None if h.score is None else round(h.score, 3),
                            "verdict": h.verdict} for h in seen[:MAX_LISTED]]
    return info


def _risky(grammar: Any, actions: list[Any]) -> bool:
    from voxctl.tools.base import Risk

    risk = getattr(grammar, "risk", None)
    return risk is not None and any(risk(a) >= Risk.HIGH for a in actions)


def measure(clips: list[Any], interp: Any, grammar: Any, transcriber: Any, audio_config: Any,
            reference: bool = True, gated: dict[int, Any] | None = None) -> list[dict[str, Any]]:
    """One row per clip: what was read, right or wrong, and the times. `gated`: the silence gate's
    output per clip, kept from an earlier pass over the same clips (filled when empty)."""
    from voxctl.agent.benchmarks.interpret import same_plan
    from voxctl.agent.listen.vad import gate

    rows = []
    t0 = time.perf_counter()
    for i, clip in enumerate(clips):
        if i and i % 100 == 0:
            print(f"    ... {i}/{len(clips)} clips, {time.perf_counter() - t0:.0f} s", flush=True)
        if gated is not None and id(clip) in gated:
            speech = gated[id(clip)]
        else:
            speech = gate(clip.audio, audio_config)
            if gated is not None:
                gated[id(clip)] = speech
        row: dict[str, Any] = {"voice": clip.voice, "kind": clip.kind, "say": clip.say,
                               "perturbation": clip.perturbation, "audio_s": round(len(clip.audio) / 16000, 2)}
        if speech is None:
            actions: list[Any] = []
            row.update(gated=True, heard="")
        else:
            row["speech_s"] = round(len(speech) / 16000, 2)
            ref_first = reference and i % 2 == 1  # alternate the order: neither gets a warmer cache
            if ref_first:
                row["full_window_ms"] = _timed(full_window, transcriber, speech)
            try:
                actions, row["recognition_ms"], info = _read(interp, grammar, speech)
                row.update(info)
            except Exception as e:  # counted and shown: one crash must not lose the whole run's figures
                actions, row["error"] = [], f"{type(e).__name__}: {e}"
            if reference and not ref_first:
                row["full_window_ms"] = _timed(full_window, transcriber, speech)
        row["actions"] = [a.model_dump(mode="json") for a in actions]
        if clip.kind == "command":
            row["exact"] = same_plan(actions, clip.plan)
            if not row["exact"]:
                row["expected"] = [a.model_dump(mode="json") for a in clip.plan]
        else:
            row["false_action"] = bool(actions)
            row["high_risk"] = _risky(grammar or interp, actions)
        row["duplicated"] = duplicated(actions, clip.plan)
        rows.append(row)
    return rows


def _timed(fn: Any, *a: Any) -> float:
    t0 = time.perf_counter()
    fn(*a)
    return round((time.perf_counter() - t0) * 1000, 1)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures of a split: overall and per voice."""

    def figures(rs: list[dict[str, Any]]) -> dict[str, Any]:
        cmds = [r for r in rs if r["kind"] == "command"]
        non = [r for r in rs if r["kind"] != "command"]
        rec = [r["recognition_ms"] for r in rs if "recognition_ms" in r]
        ref = [r["full_window_ms"] for r in rs if "full_window_ms" in r]
        paired = [r for r in rs if "recognition_ms" in r and "full_window_ms" in r]
        short = [r for r in paired if r["kind"] == "command" and 1.0 <= r["speech_s"] <= 3.0]
        exact = sum(r["exact"] for r in cmds)
        out: dict[str, Any] = {
            "commands": len(cmds), "exact": exact,
            "exact_pct": round(100 * exact / len(cmds), 1) if cmds else None,
            "non_commands": len(non), "false_actions": sum(r["false_action"] for r in non),
            "high_risk_false_actions": sum(r["high_risk"] for r in non),
            "duplicated": sum(r["duplicated"] for r in rs), "gated": sum(bool(r.get("gated")) for r in rs),
            "errors": sum("error" in r for r in rs),
            "recognition_ms": stats(rec), "full_window_ms": stats(ref),
        }
        if paired:
            out["ratio_total"] = round(sum(r["recognition_ms"] for r in paired)
                                       / max(1e-9, sum(r["full_window_ms"] for r in paired)), 3)
        if short:
            out["ratio_1_3s_commands"] = stats([r["recognition_ms"] / r["full_window_ms"] for r in short], 3)
        return out

    voices = sorted({r["voice"] for r in rows})
    per_voice = {v: figures([r for r in rows if r["voice"] == v]) for v in voices}
    pct = [f["exact_pct"] for f in per_voice.values() if f["exact_pct"] is not None]
    return {"overall": {**figures(rows), "worst_voice_exact_pct": min(pct) if pct else None},
            "voices": per_voice,
            "wrong": [r for r in rows if r.get("exact") is False or r.get("false_action") or r["duplicated"]
                      or "error" in r]}


def _print(split: str, s: dict[str, Any]) -> None:
    o = s["overall"]
    ratio = o.get("ratio_1_3s_commands", {})
    print(f"  [{split}] exact plans {o['exact']}/{o['commands']} = {o['exact_pct']}% (worst voice "
          f"{o['worst_voice_exact_pct']}%); false actions {o['false_actions']}/{o['non_commands']} (high risk "
          f"{o['high_risk_false_actions']}); duplicated {o['duplicated']}; errors {o['errors']}; recognition p50 "
          f"{o['recognition_ms'].get('p50')} ms vs full window p50 {o['full_window_ms'].get('p50')} ms: ratio "
          f"{o.get('ratio_total')} overall, 1-3 s commands p50 {ratio.get('p50')} / p95 {ratio.get('p95')}")
    for v, f in s["voices"].items():
        exact = f"{f['exact']}/{f['commands']} = {f['exact_pct']}%" if f["commands"] else "-"
        print(f"    {v:14} exact {exact:16} false {f['false_actions']}/{f['non_commands']}  dup "
              f"{f['duplicated']}  rec p50 {f['recognition_ms'].get('p50')} ms  full p50 "
              f"{f['full_window_ms'].get('p50')} ms")
    for r in s["wrong"]:  # every clip lost: what was said, what the recogniser read, what ran
        why = "false action" if r.get("false_action") else "duplicated" if r["duplicated"] else \
            "error" if "error" in r else "wrong plan" if r["actions"] else "no plan"
        ran = "; ".join(f"{a['tool']} {a.get('args', {})}" for a in r["actions"]) or r.get("reason", "")
        why += f" ({r['source']})" if r.get("source") not in (None, "grammar") and r["actions"] else ""
        print(f"    x {r['voice']:14} {why:12} said {r['say']!r} heard {r.get('heard', '')!r}"
              f"{' free ' + repr(r['free_text']) if r.get('free_text', r.get('heard')) != r.get('heard') else ''}"
              f" -> {ran[:160]}")


def run(args: Any, config: Any) -> dict[str, Any]:
    from voxctl.agent.benchmarks import devset
    from voxctl.agent.benchmarks.devset import hint_as_listen
    from voxctl.agent.benchmarks.margins import trade_off
    from voxctl.agent.interpret.factory import LazyTranscriber

    which = getattr(args, "split", None) or "both"
    names = ("dev", "heldout") if which == "both" else (which,)
    voices = getattr(args, "voices", None)
    limit = getattr(args, "limit", None)
    backend = (getattr(args, "backend", None) or [config.interpreter.backend])[0]
    splits: dict[str, list[Any]] = {}
    t0 = time.perf_counter()
    for name in names:
        vs = None if voices is None else [v for v in voices if name == "heldout" or v not in devset.VOICES_HELDOUT]
        splits[name] = devset.build_devset(name, vs, limit) if vs != [] else []
    print(f"dev set built in {time.perf_counter() - t0:.1f} s (cache {devset.cache_dir()}): " + "; ".join(
        f"{n} {len(c)} clips, {len({x.voice for x in c})} voices" for n, c in splits.items()))
    transcriber = Recorded(LazyTranscriber(config.asr))
    interp, grammar = _reader(config, transcriber, devset.macros(), backend)
    t0 = time.perf_counter()
    hint_as_listen(transcriber.get(), config, devset.macros())
    first = next((c for cs in splits.values() for c in cs if c.kind == "command"), None)
    if first is not None:  # warm-up: the first decodings allocate
        _read(interp, grammar, first.audio)
        full_window(transcriber, first.audio)
    print(f"backend {backend}{'' if grammar is not None else ' (end to end: no split of recognition time)'}; "
          f"Whisper ready in {(time.perf_counter() - t0) * 1000:.0f} ms")
    reference = getattr(args, "full_window", True)
    gated: dict[int, Any] = {}  # the silence gate's output per clip, reused by the margin sweep
    results: dict[str, Any] = {"backend": backend, "limit_per_voice": limit, "full_window_reference": reference,
                               "voices_dev": list(devset.VOICES_DEV), "voices_heldout": list(devset.VOICES_HELDOUT),
                               "splits": {}}
    for name, clips in splits.items():
        s = summarise(measure(clips, interp, grammar, transcriber, config.audio, reference, gated))
        results["splits"][name] = s
        _print(name, s)
    margins = getattr(args, "margins", None)
    if margins:
        results["trade_off"] = trade_off(margins, splits, interp, grammar, transcriber, config.audio, gated)
    whole_margins = getattr(args, "whole_margins", None)
    if whole_margins:  # the whole short commands' look (forced_look.whole_look), off by default
        results["trade_off_whole"] = trade_off(whole_margins, splits, interp, grammar, transcriber, config.audio,
                                               gated, ("whole_margin",))
    rescore_margins = getattr(args, "rescore_margins", None)
    if rescore_margins:
        results["trade_off_rescore"] = trade_off(rescore_margins, splits, interp, grammar, transcriber, config.audio,
                                                 gated, ("rescore_margin",))
    return results
