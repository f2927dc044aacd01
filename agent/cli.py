"""The `voxctl` command line: argument parsing and dispatch to one module per subcommand.

Each subcommand lives in `agent/commands/<name>.py` as `run(args, config) -> int` and is imported only
when used, so `voxctl tools` never loads torch and `voxctl --help` works without a display or PortAudio.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from voxctl.agent import __version__
from voxctl.agent.interpret.backends import NAMES as BACKENDS


def _add_exec_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="print what would run; touch nothing")
    p.add_argument("--yes", action="store_true", help="pre-approve actions that would ask for confirmation")


RESUME_EPILOG = """\
An approval holds only on the desktop and in the window it was given for (X window id and title). If
that window is gone or no longer active, resume runs nothing and says so: focus the window again, or
pass --window with its id (0x...) or title; voxctl focuses it first, and a window other than the approved
one is judged again by the policy. A dry run carries on as a dry run, never on the real desktop.
A run that a live voxctl process is still running or asking about is not listed, and resuming it is
refused with the process named. Exit codes: 0 all ran; 1 cancelled, failed, stopped, or not in the
approved window; 2 no such unfinished run; 3 refused by the policy; 4 held by a live voxctl process."""


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(f"{value:g} is not between 0 and 10 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voxctl",
        description="Hold a hotkey, speak a command, and your desktop does it.",
    )
    parser.add_argument("--version", action="version", version=f"voxctl {__version__}")
    parser.add_argument("--config", metavar="PATH", help="configuration file (default: $VOXCTL_CONFIG, "
                        "./config.yaml, then the user config dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("listen", help="the main job: hold the talk chord, speak, and it runs")
    p.add_argument("--dry-run", action="store_true", help="interpret and show, but act on nothing")
    p.add_argument("--backend", choices=BACKENDS, help="override interpreter.backend")

    p = sub.add_parser("tools", help="list what you can say: tools, arguments, risk, examples")
    p.add_argument("--json", action="store_true", help="print the ActionPlan JSON schema")

    p = sub.add_parser("exec", help="validate and run a plan (JSON, as in docs/ACTIONS.md)",
                       description="Validate and run an ActionPlan: JSON as described in docs/ACTIONS.md (the "
                                   "action contract; `voxctl tools --json` prints its schema).")
    p.add_argument("plan", help="plan file, or - for standard input (JSON, see docs/ACTIONS.md)")
    _add_exec_flags(p)

    p = sub.add_parser("do", help="run a spoken-style text command through the agent")
    p.add_argument("text", nargs="+", help='the command, e.g. "press control s"')
    p.add_argument("--backend", choices=BACKENDS, help="override interpreter.backend")
    _add_exec_flags(p)

    p = sub.add_parser("run", help="run a recorded command (audio file) through the agent")
    p.add_argument("audio", help="wav/flac/ogg/mp3 file")
    p.add_argument("--backend", choices=BACKENDS, help="override interpreter.backend")
    _add_exec_flags(p)

    p = sub.add_parser("interpret", help="print the plan for audio files or text, without running it")
    p.add_argument("audio", nargs="*", help="audio files")
    p.add_argument("--text", action="append", default=[], help="a text command (repeatable)")
    p.add_argument("--backend", choices=BACKENDS, help="override interpreter.backend")
    p.add_argument("--json", action="store_true", help="JSON Lines: one plan per input")

    p = sub.add_parser("train", help="train the understanding model (natural phrasings; your macros and examples)")
    p.add_argument("--out", help="the model folder to write (default: interpreter.understand_model, else the "
                                 "user data folder); point interpreter.understand_model at it to use it")
    p.add_argument("--examples", help="a YAML list of your own {say, plan} examples "
                                      "(default: interpreter.understand_examples)")
    p.add_argument("--seed", type=int, default=0, help="the data and training seed (default 0)")
    p.add_argument("--epochs", type=positive_int, default=40, help="passes over the data (default 40)")
    p.add_argument("--tiny", action="store_true", help="train on the examples and macros alone (seconds; tests)")
    p.add_argument("--heard", help="recogniser noise to train on: a file written by `python -m "
                                   "voxctl.agent.interpret.understand.heard` (default: the shipped "
                                   "data/heard.yaml); 'none' trains on typed text only")
    p.add_argument("--written", nargs="+", metavar="FILE",
                   help="JSON-lines files of phrasings people wrote, {say, plan} per line (as tests/data/blind/"
                        "probe*.jsonl): talk and the lines whose plan the model can fill from the words are learned")
    p.add_argument("--from-history", action="store_true",
                   help="also learn commands that failed and were then said another way (history.path)")
    p.add_argument("--dry-run", action="store_true", help="list what --from-history would learn; train nothing")
    p.add_argument("--lora", choices=["auto", "on", "off", "only"], default="auto",
                   help="fine-tune interpreter.cascade/audio_llm's model with LoRA: auto = when it is the backend "
                        "in use and there is a CUDA GPU; on (also on the CPU); off; only (not the understanding model)")
    p.add_argument("--lora-out", help="the adapter folder (default: interpreter.<backend>.adapter, else the user "
                                      "data folder's lora-<backend>)")
    p.add_argument("--lora-epochs", type=positive_int, default=3, help="LoRA passes over the examples (default 3)")
    p.add_argument("--lora-lr", type=float, default=2e-4, help="LoRA learning rate (default 2e-4)")

    p = sub.add_parser("transcribe", help="transcribe audio files with the configured Whisper model")
    p.add_argument("files", nargs="+", help="wav/flac/ogg/mp3 files, any sample rate and channels")
    p.add_argument("--json", action="store_true", help="JSON Lines with segments and confidences")

    sub.add_parser("devices", help="list audio input devices")
    sub.add_parser("doctor", help="check display, audio, OCR and models, and say what is missing")

    p = sub.add_parser("history", help="show the audit log: utterances, plans, decisions, actions")
    p.add_argument("-n", "--last", type=int, default=20, help="how many entries (default 20)")
    p.add_argument("--json", action="store_true", help="JSON Lines, one entry per line, oldest first")

    p = sub.add_parser("resume", help="finish a run an earlier voxctl left paused or cut off (no ID: list them)",
                       epilog=RESUME_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("id", nargs="?", help="the run's id, as `voxctl resume` or `voxctl history` shows it")
    answer = p.add_mutually_exclusive_group()
    answer.add_argument("--yes", action="store_true", help="approve (or carry on with a cut-off run)")
    answer.add_argument("--no", action="store_true", help="refuse a run waiting for its confirmation")
    p.add_argument("--window", metavar="ID|TITLE",
                   help="the window to run it in, when the approved one is gone or not active (focused first)")

    p = sub.add_parser("bench", help="measure speed, memory and accuracy")
    p.add_argument("what", choices=("asr", "interpret", "e2e", "recognition", "handsfree", "pointing", "all"),
                   nargs="?",
                   default="all", help="recognition (the broad spoken dev set) and handsfree (a stream played in "
                                       "real time) are not part of all: they take long; pointing: numbered "
                                       "labels and the mouse grid on a private Xvfb")
    p.add_argument("--minutes", type=float, default=10.0,
                   help="handsfree: minutes of talk streamed into the always-open microphone (default 10)")
    p.add_argument("--soak", type=positive_int, metavar="N",
                   help="handsfree: instead of the stream, N utterances straight into the open microphone's "
                        "segmenter and recogniser (memory over N, segmentation of each command)")
    p.add_argument("--short-talk", action="store_true",
                   help="handsfree: instead of the stream, short commands and short remarks of talk, one utterance "
                        "each, judged as the open microphone judges them, per voice (--voices)")
    p.add_argument("--remarks-only", action="store_true",
                   help="handsfree --short-talk: the remarks alone (how often talk acts), no commands")
    p.add_argument("--backend", action="append", choices=BACKENDS, help="interpret: backends to measure")
    p.add_argument("--voices", type=lambda t: [v for v in t.split(",") if v],
                   help="interpret, recognition, handsfree --short-talk: comma-separated TTS voices (flite slt,rms,awb,kal16; espeak; "
                        "recognition: en-us+m1 ..., noise, human)")
    p.add_argument("--limit", type=positive_int,
                   help="asr, e2e: use only the first N commands of the spoken set; recognition: N clips per voice; "
                        "handsfree --short-talk: N commands and N remarks")
    p.add_argument("--split", choices=("dev", "heldout", "both"), default="both",
                   help="recognition: which split of the dev set (default both)")
    p.add_argument("--margins", type=lambda t: [float(v) for v in t.split(",") if v], metavar="A,B,C",
                   help="recognition: also re-read every clip with each rejection margin (trade-off curve)")
    p.add_argument("--rescore-margins", type=lambda t: [float(v) for v in t.split(",") if v], metavar="A,B,C",
                   help="recognition: also re-read every clip with each margin of the acoustic rescoring")
    p.add_argument("--whole-margins", type=lambda t: [float(v) for v in t.split(",") if v], metavar="A,B,C",
                   help="recognition: also re-read every clip with each margin of the whole short commands' look "
                        "(off by default)")
    p.add_argument("--no-full-window", dest="full_window", action="store_false",
                   help="recognition: skip the full-window reference decoding (accuracy only, half the time)")
    p.add_argument("--release-after", type=seconds, default=0.3,
                   help="e2e: seconds between the end of speech and the release of the chord (default 0.3)")
    p.add_argument("--load", type=int, choices=range(0, 65), metavar="N", default=0,
                   help="start N CPU-bound workers for the whole run, to measure a busy machine (default 0)")
    p.add_argument("--out", help="also write the results as JSON to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # Whoever read our output stopped (`voxctl tools --json | head -1`): end quietly, as a Unix
        # filter does, with SIGPIPE's status; stdout goes to /dev/null so the final flush cannot fail too.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 128 + 13


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    from voxctl.agent.config import ConfigError, load_config

    overrides = {"interpreter.backend": args.backend} if getattr(args, "backend", None) and isinstance(
        args.backend, str) else {}
    try:
        config = load_config(args.config, overrides)
    except ConfigError as e:
        if args.command != "doctor":
            print(f"voxctl: {e}", file=sys.stderr)
            return 2
        from voxctl.agent.config import Config

        args.config_error, config = str(e), Config()  # doctor reports it, and checks the rest on defaults
    from voxctl.agent import notices
    from voxctl.agent.audit import HistoryError

    notices.once_per_setup(True)  # hints such as "no LLM configured" are shown once, not on every call
    module = importlib.import_module(f"voxctl.agent.commands.{args.command}")
    try:
        return int(module.run(args, config) or 0)
    except KeyboardInterrupt:
        print("voxctl: interrupted", file=sys.stderr)
        if argv is None:  # the program itself, not main() called in-process: no finalization (8-16 s
            from voxctl.agent.listen.leaving import leave  # of `exec`'s exit at load 20; see leaving.py)

            leave(130)
        return 130
    except HistoryError as e:  # history.path is a folder, not a database, not creatable...
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    finally:
        notices.once_per_setup(False)  # main() called in-process (tests) leaves library callers as they were


if __name__ == "__main__":
    sys.exit(main())
