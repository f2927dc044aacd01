"""The `voxctl` command line: argument parsing and dispatch to one module per subcommand.

Each subcommand lives in `agent/commands/<name>.py` as `run(args, config) -> int` and is imported only
when used, so `voxctl tools` never loads torch and `voxctl --help` works without a display or PortAudio.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from agent import __version__

BACKENDS = ("hybrid", "grammar", "audio_llm", "cascade")


def _add_exec_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="print what would run; touch nothing")
    p.add_argument("--yes", action="store_true", help="pre-approve actions that would ask for confirmation")


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

    p = sub.add_parser("exec", help="validate and run a plan (JSON, as in TOOLS.md)")
    p.add_argument("plan", help="plan file, or - for standard input")
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

    p = sub.add_parser("transcribe", help="transcribe audio files with the configured Whisper model")
    p.add_argument("files", nargs="+", help="wav/flac/ogg/mp3 files, any sample rate and channels")
    p.add_argument("--json", action="store_true", help="JSON Lines with segments and confidences")

    sub.add_parser("devices", help="list audio input devices")
    sub.add_parser("doctor", help="check display, audio, OCR and models, and say what is missing")

    p = sub.add_parser("history", help="show the audit log: utterances, plans, decisions, actions")
    p.add_argument("-n", "--last", type=int, default=20, help="how many entries (default 20)")
    p.add_argument("--json", action="store_true", help="JSON Lines, one entry per line, oldest first")

    p = sub.add_parser("resume", help="finish a run an earlier voxctl left paused or cut off (no ID: list them)")
    p.add_argument("id", nargs="?", help="the run's id, as `voxctl resume` or `voxctl history` shows it")
    answer = p.add_mutually_exclusive_group()
    answer.add_argument("--yes", action="store_true", help="approve (or carry on with a cut-off run)")
    answer.add_argument("--no", action="store_true", help="refuse a run waiting for its confirmation")

    p = sub.add_parser("bench", help="measure speed, memory and accuracy")
    p.add_argument("what", choices=("asr", "interpret", "e2e", "all"), nargs="?", default="all")
    p.add_argument("--backend", action="append", choices=BACKENDS, help="interpret: backends to measure")
    p.add_argument("--voices", type=lambda t: [v for v in t.split(",") if v],
                   help="interpret: comma-separated TTS voices (flite slt,rms,awb,kal16; espeak)")
    p.add_argument("--limit", type=positive_int, help="asr, e2e: use only the first N commands of the spoken set")
    p.add_argument("--release-after", type=seconds, default=0.3,
                   help="e2e: seconds between the end of speech and the release of the chord (default 0.3)")
    p.add_argument("--out", help="also write the results as JSON to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    from agent.config import ConfigError, load_config

    overrides = {"interpreter.backend": args.backend} if getattr(args, "backend", None) and isinstance(
        args.backend, str) else {}
    try:
        config = load_config(args.config, overrides)
    except ConfigError as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"agent.commands.{args.command}")
    try:
        return int(module.run(args, config) or 0)
    except KeyboardInterrupt:
        print("voxctl: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
