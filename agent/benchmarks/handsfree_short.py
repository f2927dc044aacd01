"""`voxctl bench handsfree --short-talk`: short remarks and short commands, one utterance each, as the open
microphone judges them.

The real-time stream (handsfree.py) holds long passages of conversation; what a person says most often in a room
is short ("wait what", "and now?", "got it"), and a short utterance is what tiny.en with the command hint most
easily hears as a command ("wait one.", "enter."). Each clip here is synthesized and perturbed as the spoken dev
set is (devset.py: voice, tempo, pitch, noise, reverb, the silence around it), cut by the open microphone's own
segmenter, judged by `OpenMic.judge` (the hinted reading, the exact grammar, the look by sound) with the hint
`voxctl listen` gives Whisper, and an accepted utterance is interpreted as the listen loop interprets it
(`Utterance.grammar_only`: the grammar's plan or nothing). No desktop: a plan with actions counts as acting; the apps
the commands open count as installed (`installed`); the grid shows only for a command said to it (`grid_shown`).

- commands: the blind probe sets' commands of at most three words (their own expected plans, blind.right; not
  the three that only wait, which hands-free drops by design: they change nothing) and the stream's COMMANDS;
  right when the plan is the expected one;
- talk: tests/data/short_talk.yaml (held out by a hash of the text: devset.phrase_split); acting when any plan
  has an action. A remark the grammar reads as a command when typed is left out (it could be one) and listed.

Reported per voice and in all: commands right, talk acting (dev and held-out remarks), and each remark that acted.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

SHORT_TALK = Path(__file__).resolve().parents[2] / "tests" / "data" / "short_talk.yaml"
# Remarks nobody here tuned on (a helper wrote them from docs/ACTIONS.md alone): counted apart, by their totals only
UNSEEN_TALK = SHORT_TALK.with_name("short_talk_unseen.yaml")
VOICES = ("slt", "rms", "awb", "kal16", "en-us+m1", "en-us+f2", "en-us+klatt",  # dev voices
          "en-us+m3", "kal")  # held-out voices (devset.VOICES_HELDOUT)
MAX_WORDS = 3  # a blind probe command this short is a short command


def remarks(path: Path = SHORT_TALK) -> list[str]:
    import yaml

    return [str(r) for r in yaml.safe_load(path.read_text(encoding="utf-8"))["remarks"]]


def items(grammar: Any) -> tuple[list[tuple[str, str, dict[str, Any] | None]], list[str]]:
    """(kind, text, blind line or None) for every clip's text, and the remarks left out (commands typed)."""
    from voxctl.agent.benchmarks import blind
    from voxctl.agent.benchmarks.handsfree_stream import COMMANDS

    out: list[tuple[str, str, dict[str, Any] | None]] = []
    seen: set[str] = set()
    for name in blind.DEV_SETS:
        for line in blind.load(name):
            if all(a["tool"] == "wait" for a in line["plan"]):  # talk, or a lone wait: no command hands-free
                continue  # ("wait two seconds" changes nothing; handsfree.grammar_doubt drops it by design)
            if len(line["say"].split()) <= MAX_WORDS and line["say"] not in seen:
                seen.add(line["say"])
                out.append(("command", line["say"], line))
    for said in COMMANDS:
        if said not in seen:
            seen.add(said)
            plan = [{"tool": a.tool, "args": a.args.model_dump(mode="json")} for a in grammar.parse(said).actions]
            out.append(("command", said, {"say": said, "plan": plan}))
    left_out = []
    for kind, path in (("talk", SHORT_TALK), ("unseen", UNSEEN_TALK)):
        for said in remarks(path):
            if said in seen:
                continue
            seen.add(said)
            if grammar.parse(said).actions:
                left_out.append(said)
            else:
                out.append((kind, said, None))
    return out, left_out


GRID_TOOLS = frozenset({"grid_narrow", "grid_drag"})


def grid_shown(line: dict[str, Any] | None) -> bool:
    """Whether the mouse grid is on screen when the clip is said, as the listen loop's screen state tells the grammar
    (a number alone narrows a grid only while one shows): for a command that narrows or drags in a grid said alone;
    never for talk ("and a new one" heard "one." narrowed no grid: the loop refuses it, and so does the bench)."""
    return bool(line) and bool(line["plan"]) and line["plan"][0]["tool"] in GRID_TOOLS


def installed(clips: list[tuple[str, str, dict[str, Any] | None]]) -> dict[str, str]:
    """The apps the commands open, as the open microphone's check of "open <app>" finds them installed (this box has
    none of them: "open spotify" heard right was dropped as no app). Only that check: the recogniser's hint stays as
    on this box, as in the spoken blind bench."""
    return {a["args"]["name"]: a["args"]["name"] for kind, _, line in clips if kind == "command" and line
            for a in line["plan"] if a["tool"] == "open_app" and a["args"].get("name", "*") != "*"}


def run(args: Any, config: Any) -> dict[str, Any]:
    from voxctl.agent.listen.asr_model import bound_native_memory

    bound_native_memory()  # as `voxctl listen` does, before anything is decoded
    from voxctl.agent.benchmarks import blind, devset
    from voxctl.agent.config import Config
    from voxctl.agent.handsfree import HandsFree, grammar_doubt, grammar_of
    from voxctl.agent.interpret.dictation_mode import DictationMode
    from voxctl.agent.interpret.factory import make_interpreter
    from voxctl.agent.interpret.unhinted import ECHO_MARGIN, echo_gap
    from voxctl.agent.listen.asr import Transcriber
    from voxctl.agent.listen.mic_hooks import Hooks
    from voxctl.agent.listen.open_mic import OpenMic
    from voxctl.agent.session import Session
    from voxctl.agent.utterance import ScreenState, Utterance
    from voxctl.agent.voice_control import VoiceControl, exact_grammar

    data = config.model_dump()
    data["hotkey"]["mode"] = "always"
    data["interpreter"]["macros_file"] = None
    cfg = Config.model_validate(data)
    macros = devset.macros()  # the spoken sets' user: a macro "standup"
    session = Session.build(cfg, macros=macros)
    transcriber = Transcriber(cfg.asr)
    devset.hint_as_listen(transcriber, cfg, macros)
    interpreter = make_interpreter(session, transcriber=transcriber, notify=lambda m: None)
    main = grammar_of(interpreter)
    if main is None:
        raise SystemExit("bench handsfree --short-talk needs interpreter.backend grammar or hybrid")
    grammar = exact_grammar(session, transcriber)
    clips, left_out = items(grammar)
    if getattr(args, "remarks_only", False):  # the remarks alone: how often talk acts, without the commands' hour
        clips = [c for c in clips if c[0] != "command"]
    if getattr(args, "limit", None):  # the first N commands and the first N remarks of each set
        clips = [c for kind in ("command", "talk", "unseen") for c in [x for x in clips if x[0] == kind][:args.limit]]
    voices = list(getattr(args, "voices", None) or VOICES)
    n_cmd = sum(k == "command" for k, _, _ in clips)
    n_unseen = sum(k == "unseen" for k, _, _ in clips)
    print(f"{n_cmd} short commands, {len(clips) - n_cmd - n_unseen} short remarks and {n_unseen} unseen remarks in "
          f"{len(voices)} voices ({len(left_out)} remarks left out: commands typed)")
    accepted: list[Any] = []
    gaps: list[dict[str, Any]] = []  # each echo look: the clip, its reading, the gap (unhinted.echo_gap)
    clip: dict[str, Any] = {}

    def echo(audio: Any, text: str, hint: str | None) -> str:
        """unhinted.echoed, with each gap kept for the curve of ECHO_MARGIN."""
        found = echo_gap(grammar, audio, text, hint)
        if found is None:
            return ""
        line = clip.pop("line", None)
        right = bool(line) and blind.right(grammar.analyse(text).plan.actions, line)  # were it not refused
        gaps.append({**clip, "reading": text, "plain": found[1], "gap": round(found[0], 3), "reading_right": right,
                     "score": round(found[2], 3), "plain_score": round(found[3], 3)})  # per token, both unhinted
        clip["line"] = line
        return "" if found[0] <= ECHO_MARGIN else f"not a command: {text!r}, a sentence of the hint's own"
    dropped: list[list[str]] = []  # (reading, why) of each utterance dropped: where a short command is lost
    apps = {**installed(clips), **session.app_aliases}
    mic = OpenMic(transcriber, HandsFree(cfg.handsfree), Hooks(
        accept=lambda text: grammar_doubt(grammar, text, apps=apps, mode=main.dictation_mode),
        on_command=accepted.append, on_answer=lambda a: None, on_stop=lambda: None,
        on_drop=lambda text, why, seconds: dropped.append([text, why]),
        executing=lambda: False, answering=lambda: False,
        by_sound=VoiceControl._second_look(cfg, grammar),
        echo=echo),
        vad_threshold=cfg.audio.vad_threshold, min_speech_ms=cfg.handsfree.min_speech_ms)
    mic.segmenter.on_utterance = mic.judge  # on this thread
    per_voice: dict[str, dict[str, Any]] = {}
    acting: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    every: list[dict[str, Any]] = []  # each clip: what was heard and run
    for voice in voices:
        t0 = time.monotonic()
        row = {"commands": 0, "right": 0, "wrong_action": 0, "talk": 0, "talk_acting": 0,
               "talk_heldout": 0, "talk_heldout_acting": 0, "unseen": 0, "unseen_acting": 0}
        for kind, said, line in clips:
            main.dictation_mode = DictationMode()  # each clip on its own: no dictation left on by another
            clip.update(voice=voice, said=said, kind=kind, line=line)
            speech = np.asarray(devset._speech_clip(devset._Item(said, [], kind), voice).audio, np.float32)
            x = np.concatenate([np.zeros(9600, np.float32), speech, np.zeros(16000, np.float32)])
            accepted.clear()
            dropped.clear()
            looked = len(gaps)
            mic.segmenter.fresh()  # each clip judged alone: no cut moved by the clip before (Segmenter.fresh)
            for i in range(0, len(x), 1024):
                mic.feed(x[i:i + 1024])
            actions, heard = [], []
            for spoken in accepted:
                plan = interpreter.interpret(Utterance(audio=spoken.audio, transcript=spoken.text,
                                                       screen=ScreenState(grid_shown=grid_shown(line)),
                                                       grammar_only=True))
                actions += plan.actions
                heard.append(spoken.text)
            if kind == "unseen":  # counted, never looked at: no record of what was said or heard
                del gaps[looked:]
                row["unseen"] += 1
                row["unseen_acting"] += bool(actions)
                continue
            record: dict[str, Any] = {"voice": voice, "said": said, "kind": kind, "heard": heard,
                                      "dropped": list(dropped), "got": [a.model_dump(mode="json") for a in actions]}
            every.append(record)
            if kind == "command":
                good = record["right"] = blind.right(actions, line)
                row["commands"] += 1
                row["right"] += good
                if actions and not good:
                    row["wrong_action"] += 1
                    wrong.append(record)
            else:
                held = devset.phrase_split(said) == "heldout"
                row["talk"] += 1
                row["talk_heldout"] += held
                if actions:
                    row["talk_acting"] += 1
                    row["talk_heldout_acting"] += held
                    acting.append({**record, "heldout": held})
        row["right_pct"] = round(100 * row["right"] / max(1, row["commands"]), 1)
        row["seconds"] = round(time.monotonic() - t0)
        per_voice[voice] = row
        print(f"  {voice}: commands right {row['right']}/{row['commands']} ({row['right_pct']}%), wrong action "
              f"{row['wrong_action']}; talk acting {row['talk_acting']}/{row['talk']} (held-out remarks "
              f"{row['talk_heldout_acting']}/{row['talk_heldout']}); unseen remarks acting {row['unseen_acting']}/"
              f"{row['unseen']} [{row['seconds']} s]")
    total = {k: sum(r[k] for r in per_voice.values()) for k in
             ("commands", "right", "wrong_action", "talk", "talk_acting", "talk_heldout", "talk_heldout_acting", "unseen",
              "unseen_acting")}
    total["right_pct"] = round(100 * total["right"] / max(1, total["commands"]), 1)
    held_voices = [v for v in voices if v in devset.VOICES_HELDOUT]
    print(f"all: commands right {total['right']}/{total['commands']} ({total['right_pct']}%), talk acting "
          f"{total['talk_acting']}/{total['talk']} (held-out remarks {total['talk_heldout_acting']}/"
          f"{total['talk_heldout']}); unseen remarks acting {total['unseen_acting']}/{total['unseen']}; held-out voices: "
          f"{', '.join(held_voices) or 'none'}")
    for a in acting:
        print(f"  acted: {a['said']!r} ({a['voice']}{', held out' if a['heldout'] else ''}) heard {a['heard']}: "
              f"{[c['tool'] for c in a['got']]}")
    curve = echo_curve(gaps, every)
    for row in curve:
        print(f"  echo margin {row['margin']}: talk acting {row['talk_acting']}, commands right {row['right']}, "
              f"wrong actions {row['wrong_action']}")
    return {"voices": per_voice, "total": total, "talk_acting": acting, "wrong_actions": wrong, "echo_gaps": gaps,
            "echo_curve": curve,
            "remarks_left_out": left_out, "heldout_voices": held_voices, "hint": transcriber.hint, "clips": every}


MARGINS = (1.0, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0)


def echo_curve(gaps: list[dict[str, Any]], every: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Talk acting and commands right had the echo look (unhinted.ECHO_MARGIN) refused readings at each margin instead
    of the one the run had. A clip whose look decides the same at a margin as in the run counts as it ran; one it
    decides otherwise runs what the look let through (the reading: acting for a remark, right or not for a command)
    or, refused, nothing. A clip looked at more than once (its readings one after another) counts as it ran at every
    margin. Clips are told apart by voice and words; at the run's own margin the curve gives the run's figures."""
    from voxctl.agent.interpret.unhinted import ECHO_MARGIN

    looks: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for g in gaps:
        looks.setdefault((g["voice"], g["said"]), []).append(g)
    out = []
    for m in sorted({*MARGINS, ECHO_MARGIN}):
        talk = right = wrong = 0
        for r in every:
            seen = looks.get((r["voice"], r["said"]), [])
            acted, ran_right = bool(r["got"]), bool(r.get("right"))
            if len(seen) == 1 and (seen[0]["gap"] > m) != (seen[0]["gap"] > ECHO_MARGIN):
                acted = seen[0]["gap"] <= m
                ran_right = acted and seen[0].get("reading_right", False)
            if r["kind"] == "talk":
                talk += acted
            else:
                right += ran_right
                wrong += acted and not ran_right
        out.append({"margin": m, "talk_acting": talk, "right": right, "wrong_action": wrong})
    return out
