"""`voxctl bench interpret`, the understanding model's part: its held-out dev set
(tests/data/understand_dev.yaml: natural phrasings it was never trained on, and overheard sentences).

Reported: exact plans as text for the grammar alone, the model alone and the hybrid (grammar first, then
the model); actions taken on overheard sentences; actions on tests/data/non_commands.yaml (never trained on); the model's own time per sentence (p50/p95); the
process's peak RSS with the model loaded; and, per voice, exact plans of the hybrid on synthesized
speech recognised by the bundled Whisper.
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


def run(config: Any, transcriber: Any, voices: list[str]) -> dict[str, Any]:
    from voxctl.agent.benchmarks.interpret import same_plan, synthesize
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
    out["voices"] = {}
    for voice in voices:
        ok = 0
        wrong = []
        for s, plan in commands:
            heard = transcriber.transcribe(synthesize(s, voice)).text
            got = hybrid.interpret(Utterance(transcript=heard)).actions
            if same_plan(got, plan):
                ok += 1
            else:
                wrong.append({"say": s, "heard": heard})
        out["voices"][voice] = {"correct": ok, "total": len(commands), "wrong": wrong}
        print(f"  dev set   hybrid     {voice:7} {ok}/{len(commands)} = {100 * ok / len(commands):.1f}%")
    return out
