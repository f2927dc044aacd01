"""The blind phrasing sets (agent/benchmarks/blind.py), typed, through the default hybrid backend with the sets'
user's macros (blind.macros: "standup" and each macro the set's lines run or delete by name); spoken with `--voices` (synthesized, perturbed like the
spoken dev set, read by the bundled Whisper).

    .venv/bin/python scripts/bench_blind.py [--sets probe1,probe2,probe3,heldout] [--voices slt,en-us+m1] [--out F]

Prints right commands and talk that acted per set (and per voice); a miss is printed for the dev sets only:
the held-out set is reported by its totals.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

SCREEN = (1920, 1080)  # the size of the screen the speech is read on (`voxctl listen` reads the real one)


def _hybrid(spoken: bool, windows: list[str] | None = None, names: bool = True, sets: tuple[str, ...] = ()) -> Any:
    from voxctl.agent.benchmarks import blind, devset
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.hybrid import HybridInterpreter
    from voxctl.agent.interpret.understand.interpreter import load
    from voxctl.agent.session import Session

    config = load_config(None)
    macros = blind.macros(sets)
    session = Session.build(config, macros=macros)
    transcriber = None
    if spoken:
        from voxctl.agent.interpret.factory import LazyTranscriber

        transcriber = LazyTranscriber(config.asr)
        if names:  # else the example sentences alone, as `voxctl listen` had it before 2026-12-05
            devset.hint_as_listen(transcriber.get(), config, macros, windows or ())
    model = load(None, session, transcriber, lambda *a: None)
    return config, HybridInterpreter(GrammarInterpreter(config, macros, transcriber, spec=session.grammar), model,
                                     "understand")


class _Spoken:
    """The hybrid from audio: each line synthesized in `voice` (devset clips), gated, and interpreted as `voxctl
    listen` does (HybridInterpreter.interpret: the grammar's read, a chain read part by part, the model, the
    grounding of its plan) on a screen with `windows` open. Until 2026-12-05 it took understand.spoken's path
    (the grammar's read, then the model's after_grammar: no chain read, the model's plan not grounded)."""

    def __init__(self, config: Any, hybrid: Any, voice: str, windows: list[str] | None = None,
                 vocabulary: dict[str, Any] | None = None):
        self.config, self.hybrid, self.voice, self.windows = config, hybrid, voice, tuple(windows or ())
        self.vocabulary = vocabulary  # the session's apps and macros: the hint is set again for each line's focused app

    def interpret(self, utterance: Any) -> Any:
        from voxctl.agent.benchmarks import devset
        from voxctl.agent.listen.vad import gate
        from voxctl.agent.utterance import ScreenState, Utterance
        from voxctl.tools.registry import ActionPlan

        if self.vocabulary is not None:  # as `voxctl listen` sets it after each plan: the focused app's own actions too
            devset.hint_as_listen(self.hybrid.grammar.transcriber, self.config, {}, self.windows,
                                  focused=utterance.screen.active_window, vocabulary=self.vocabulary)
        clip = devset._speech_clip(devset._Item(utterance.text, [], "command"), self.voice)
        speech = gate(clip.audio, self.config.audio)
        if speech is None:
            return ActionPlan(source="grammar", transcript="", reason="no speech found")
        # as `voxctl listen` reads the screen: its size, no grid shown (no line shows one but as part of its own chain)
        return self.hybrid.interpret(Utterance(audio=speech, screen=ScreenState(
            active_window=utterance.screen.active_window, screen_size=SCREEN, window_titles=self.windows,
            grid_shown=False)))


def main() -> None:
    from voxctl.agent.benchmarks import blind

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default=",".join([*blind.DEV_SETS, *blind.HELDOUT_SETS]))
    ap.add_argument("--voices", default="", help="read aloud in these voices (default: typed)")
    ap.add_argument("--windows", default="", help="titles of the windows open on the desktop the speech is read on "
                    "(comma-separated; they reach the recogniser's hint as in `voxctl listen` with asr.hint_window_titles; default: none)")
    ap.add_argument("--set-windows", type=int, default=0, metavar="N", help="each set's own desktop: the N window "
                    "titles its lines are said in most often (blind.desktop), open while it is read (typed and spoken)")
    ap.add_argument("--no-names", action="store_true", help="the recogniser's hint without the session's apps, "
                    "macros and windows (the example sentences alone)")
    ap.add_argument("--same-hint", action="store_true", help="one hint for every line, without the focused app's "
                    "own actions (as `voxctl listen` had it before 2026-12-07)")
    ap.add_argument("--without-shell-look", action="store_true", help="dictation into a terminal read once, without "
                    "the second reading under a shell's words (agent/interpret/shell_look.py): the A/B of it")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    windows = [w for w in a.windows.split(",") if w.strip()]
    if a.without_shell_look:
        from voxctl.agent.interpret import shell_look

        shell_look.ON = False
    out: dict[str, Any] = {"loadavg_at_start": [round(x, 2) for x in os.getloadavg()], "windows": a.windows,
                           "set_windows": a.set_windows}
    t0 = time.time()
    for name in a.sets.split(","):
        if a.set_windows:
            windows = blind.desktop(name, a.set_windows)
        config, hybrid = _hybrid(bool(a.voices), windows, names=not a.no_names, sets=(name,))  # this set's user
        out[f"{name}/hint"] = getattr(getattr(hybrid.grammar, "transcriber", None), "hint", None) if a.voices else None
        vocabulary = None
        if a.voices and not a.no_names and not a.same_hint:
            from voxctl.agent.session import Session

            vocabulary = Session.build(config, macros=blind.macros((name,))).vocabulary()
        lines = blind.load(name)
        for voice in a.voices.split(",") if a.voices else ["typed"]:
            interp = hybrid if voice == "typed" else _Spoken(config, hybrid, voice, windows, vocabulary)
            r = blind.score(interp, lines, windows if voice == "typed" else ())
            out[f"{name}/{voice}"] = r if name not in blind.HELDOUT_SETS else {k: v for k, v in r.items() if k != "misses"}
            print(f"{name:8} {voice:10} commands {r['right']}/{r['commands']} = {100 * r['right'] / r['commands']:.1f}%"
                  f"   talk acting {r['talk_acting']}/{r['talk']}")
            if name not in blind.HELDOUT_SETS:
                for m in r["misses"]:
                    print(f"    {m['say']!r}: {[g['tool'] for g in m['got']] or m['reason'][:100]}")
    out["wall_s"] = round(time.time() - t0)
    out["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
