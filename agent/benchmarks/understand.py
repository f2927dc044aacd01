"""`voxctl bench interpret`, the understanding model's part: its held-out dev set
(tests/data/understand_dev.yaml: natural phrasings it was never trained on, and overheard sentences).

Reported: exact plans as text for the grammar alone, the model alone and the hybrid (grammar first, then
the model); actions taken on overheard sentences; actions on tests/data/non_commands.yaml (never trained on); the model's own time per sentence (p50/p95); the
process's peak RSS with the model loaded; and, per voice, exact plans and overheard actions of the
hybrid on synthesized, perturbed speech recognised by the bundled Whisper (`spoken`), with why each
spoken command was lost.
"""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import yaml

from voxctl.agent.benchmarks.stats import stats

DEV_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "understand_dev.yaml"


def load_dev(path: Path = DEV_SET) -> tuple[list[tuple[str, list[Any]]], list[str]]:
    from voxctl.tools.registry import validate_action

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    commands = [(str(c["say"]), [validate_action(a)[0] for a in c["plan"]]) for c in data["commands"]]
    return commands, [str(s) for s in data["overheard"]]


def run(config: Any, transcriber: Any, voices: list[str] | None = None, limit: int | None = None) -> dict[str, Any]:
    """`voices`: not used (the spoken part has its own dev and held-out voices); `limit`: the first N
    commands and overheard sentences of each set, per voice."""
    from voxctl.agent.benchmarks.interpret import same_plan
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.hybrid import HybridInterpreter
    from voxctl.agent.interpret.understand.interpreter import load
    from voxctl.agent.session import Session
    from voxctl.agent.utterance import Utterance

    if not DEV_SET.is_file():
        print("  understand: skipped (tests/data/understand_dev.yaml ships with the source checkout)")
        return {"skipped": "no dev set"}
    commands, overheard = load_dev()
    session = Session.build(config, macros={})
    model = load(None, session, transcriber, print)
    grammar = GrammarInterpreter(config, {}, transcriber, spec=session.grammar)
    hybrid = HybridInterpreter(grammar, model, "understand")
    out: dict[str, Any] = {"commands": len(commands), "overheard": len(overheard)}
    for name, interp in (("grammar", grammar), ("understand", model), ("hybrid", hybrid)):
        ok = sum(same_plan(interp.interpret(Utterance.from_text(s)).actions, plan) for s, plan in commands)
        acting = sum(bool(interp.interpret(Utterance.from_text(s)).actions) for s in overheard)
        out[name] = {"text_correct": ok, "overheard_acting": acting}
        print(f"  dev set   {name:10} text {ok}/{len(commands)} = {100 * ok / len(commands):.1f}%   "
              f"overheard acting {acting}/{len(overheard)}")
    others = DEV_SET.parent / "non_commands.yaml"  # helper B's evaluation negatives: never trained on
    if others.is_file():
        data = yaml.safe_load(others.read_text(encoding="utf-8"))
        sentences = [str(x) for v in data.values() if isinstance(v, list) for x in v]
        acting = sum(bool(hybrid.interpret(Utterance.from_text(x)).actions) for x in sentences)
        alone = sum(bool(model.interpret(Utterance.from_text(x)).actions) for x in sentences)
        out["non_commands"] = {"total": len(sentences), "understand_acting": alone, "hybrid_acting": acting}
        print(f"  non_commands.yaml: understand acts on {alone}/{len(sentences)}, hybrid on {acting}/{len(sentences)}")
    ms = [model.model.read(s).ms for s, _ in commands] + [model.model.read(s).ms for s in overheard]
    out["model_ms"] = stats(ms)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"  dev set   model time p50 {out['model_ms']['p50']} / p95 {out['model_ms']['p95']} ms; "
          f"peak RSS {out['peak_rss_mb']} MB (Whisper and the model loaded)")
    out["spoken"] = spoken(config, transcriber, hybrid, limit=limit)
    return out


# Spoken: the understanding sets read aloud as `voxctl listen` hears them: the spoken dev set's
# synthesis and perturbations (devset.py: tempo, pitch, reverb, noise, hotkey silence; clips cached),
# the VAD gate, then the hybrid backend from the audio (the grammar's read with its second looks and
# rescoring, then the fallback at its speech thresholds). The dev phrasings in dev voices (tuning), the
# held-out phrasings in held-out voices (reporting). No voice here is festival, MBROLA or Piper.
SPOKEN_DEV_VOICES = ("slt", "en-us+m1", "en-us+f2")
SPOKEN_HELDOUT_VOICES = ("kal", "en-us+m3")
HELDOUT_SET = DEV_SET.parent / "understand_heldout.yaml"


def loss(row: dict[str, Any]) -> str:
    """Why a spoken command came out wrong: the recogniser, the grammar acting first, or the model."""
    if row["gated"]:
        return "gated (no speech found)"
    from voxctl.agent.benchmarks.interpret import plain

    heard = "heard right" if plain(row["heard"]) == plain(row["say"]) else "misheard"
    if row["grammar_acted"]:
        return f"{heard}: grammar acted" + (" (model replaced it)" if row["source"] == "understand" else "")
    if row["refused"]:
        return f"{heard}: grammar refused"
    reason = row["reason"]
    if "did you mean" in reason:
        return f"{heard}: model below the speech threshold"
    if "not a command" in reason or "one word" in reason or "statement" in reason:
        return f"{heard}: model says not a command"
    if row["actions"]:
        return f"{heard}: model wrong plan"
    return f"{heard}: model not sure"


def spoken(config: Any, transcriber: Any, hybrid: Any, limit: int | None = None) -> dict[str, Any]:
    from collections import Counter

    from voxctl.agent.benchmarks import devset
    from voxctl.agent.benchmarks.interpret import same_plan
    from voxctl.agent.listen.vad import gate

    out: dict[str, Any] = {}
    for name, path, voices in (("dev", DEV_SET, SPOKEN_DEV_VOICES), ("heldout", HELDOUT_SET, SPOKEN_HELDOUT_VOICES)):
        if not path.is_file():
            continue
        commands, overheard = load_dev(path)
        items = [devset._Item(s, p, "command") for s, p in commands[:limit]] + \
                [devset._Item(s, [], "non_command") for s in overheard[:limit]]
        for voice in voices:
            rows, losses = [], Counter()
            right = acting = 0
            for it in items:
                clip = devset._speech_clip(it, voice)
                speech = gate(clip.audio, config.audio)
                row: dict[str, Any] = {"say": it.say, "kind": it.kind, "gated": speech is None, "heard": "",
                                       "grammar_acted": False, "refused": False, "source": "", "reason": "",
                                       "actions": []}
                if speech is not None:
                    parse = hybrid.grammar.read(speech)
                    plan = _after(hybrid, speech, parse)
                    row.update(heard=parse.plan.transcript, grammar_acted=bool(parse.plan.actions),
                               grammar_actions=[a.model_dump(mode="json") for a in parse.plan.actions],
                               refused=parse.refused, source=plan.source, reason=plan.reason or "",
                               actions=[a.model_dump(mode="json", exclude_none=True) for a in plan.actions],
                               readings=[h.text for h in parse.hypotheses])
                    got = plan.actions
                else:
                    got = []
                if it.kind == "command":
                    ok = same_plan(got, it.plan)
                    right += ok
                    if not ok:
                        losses[loss(row)] += 1
                else:
                    acting += bool(got)
                rows.append(row)
            n_cmd = min(len(commands), limit or len(commands))
            n_over = min(len(overheard), limit or len(overheard))
            out[f"{name}/{voice}"] = {"correct": right, "total": n_cmd, "overheard_acting": acting,
                                      "overheard": n_over, "losses": dict(losses.most_common()), "rows": rows}
            print(f"  spoken {name:7} {voice:9} {right}/{n_cmd} = {100 * right / max(1, n_cmd):.1f}%   "
                  f"overheard acting {acting}/{n_over}   losses: "
                  + ", ".join(f"{k} {v}" for k, v in losses.most_common()))
    return out


def _after(hybrid: Any, speech: Any, parse: Any) -> Any:
    """The hybrid's answer to audio whose grammar parse is `parse` (HybridInterpreter.interpret's steps)."""
    from voxctl.agent.utterance import Utterance

    utterance = Utterance(audio=speech, transcript=parse.plan.transcript)
    if parse.refused or not parse.plan.transcript.strip():
        return parse.plan
    return hybrid.llm.after_grammar(utterance, parse)
