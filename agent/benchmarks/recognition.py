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

Reading one clip is recognition_read.py; the figures and their printout are recognition_report.py.
"""

from __future__ import annotations

import time
from typing import Any

from voxctl.agent.benchmarks.recognition_read import Recorded, _read, _reader, _risky, duplicated, full_window
from voxctl.agent.benchmarks.recognition_report import _print, summarise


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
