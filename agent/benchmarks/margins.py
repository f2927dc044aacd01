"""`voxctl bench recognition --margins / --rescore-margins`: the trade-off of a rejection margin.

Every clip is read again per margin, with the recogniser's readings and forced scores replayed from the
measured pass (recognition.Recorded): only the grammar (and the model behind it) runs again, so a curve
costs the interpreter's time, not Whisper's. Reported per point: exact plans, the worst voice, false
actions on non-commands (high risk apart), duplicated actions.
"""

from __future__ import annotations

from typing import Any

from voxctl.agent.benchmarks.recognition import Recorded, measure, summarise

MARGIN_ATTRS = ("margin", "rejection_margin", "reject_margin")  # the N-best look's margin, by its names


def _margin_attr(grammar: Any, attrs: tuple[str, ...] = MARGIN_ATTRS) -> str | None:
    return next((a for a in attrs if grammar is not None and hasattr(grammar, a)), None)


def trade_off(margins: list[float], splits: dict[str, list[Any]], interp: Any, grammar: Any, transcriber: Any,
              audio_config: Any, gated: dict[int, Any] | None = None,
              attrs: tuple[str, ...] = MARGIN_ATTRS) -> dict[str, Any]:
    """Exact plans and false actions per margin (`attrs`: the N-best rejection margin, or
    ("rescore_margin",) for the acoustic rescoring's): every clip read again per margin, the
    recogniser's readings and forced scores replayed from the measured pass (`Recorded`). Behind a
    model (hybrid) the grammar's margin is set and the whole interpreter reads each clip."""
    owner = grammar if grammar is not None else getattr(interp, "grammar", None)
    owner = getattr(owner, "inner", owner)  # behind a model the grammar is Watched: set the grammar's own
    attr = _margin_attr(owner, attrs)
    if attr is None:
        print(f"  margins: the interpreter has no {'/'.join(attrs)}: skipped")
        return {"skipped": f"no {'/'.join(attrs)} on the interpreter"}
    grammar_obj = owner
    original = getattr(grammar_obj, attr)
    curve: dict[str, Any] = {"attribute": attr, "default": original, "points": []}
    gated = {} if gated is None else gated
    if isinstance(transcriber, Recorded):
        transcriber.replay = True
    try:
        for m in margins:
            setattr(grammar_obj, attr, m)
            point: dict[str, Any] = {"margin": m}
            for split, clips in splits.items():
                o = summarise(measure(clips, interp, grammar, transcriber, audio_config, False, gated))["overall"]
                point[split] = {k: o[k] for k in ("exact_pct", "worst_voice_exact_pct", "false_actions",
                                                  "non_commands", "high_risk_false_actions", "duplicated")}
                print(f"  margin {m:g} [{split}]: exact {o['exact_pct']}% (worst voice {o['worst_voice_exact_pct']}%)"
                      f", false actions {o['false_actions']}/{o['non_commands']}")
            curve["points"].append(point)
    finally:
        setattr(grammar_obj, attr, original)
        if isinstance(transcriber, Recorded):
            transcriber.replay = False
    return curve
