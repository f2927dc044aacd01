"""Understanding benchmark from a source checkout: `voxctl bench interpret` with a choice of voices.

    python bench/interpret.py [--backend grammar --backend cascade] [--voices slt,rms] [--out results.json]

Accuracy and latency per backend on tests/data/spoken_commands.yaml spoken by flite / espeak-ng voices;
see agent/benchmarks/interpret.py for what is measured and docs/BENCHMARKS.md for recorded figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.benchmarks import interpret  # noqa: E402
from agent.commands.bench import machine  # noqa: E402
from agent.config import ConfigError, load_config  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", choices=("grammar", "hybrid", "cascade", "audio_llm"))
    parser.add_argument("--voices", default=",".join(interpret.VOICES), help="comma-separated TTS voices")
    parser.add_argument("--config", help="configuration file")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args()
    args.voices = [v for v in args.voices.split(",") if v]
    try:
        config = load_config(args.config)
    except ConfigError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    results = {"machine": machine(), "interpret": interpret.run(args, config)}
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
