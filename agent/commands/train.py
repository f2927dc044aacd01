"""`voxctl train`: build the understanding model's data and train it (agent/interpret/understand/train.py).

It learns the shipped templates and negatives, the grammar's expansions, the user's macros and the
user's own examples (`--examples` or interpreter.understand_examples: a YAML list of {say, plan}).
`--tiny` trains on the user's examples and macros plus a handful of negatives only (seconds).
Exit codes: 0 trained; 2 a bad examples file or a missing encoder package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from voxctl.agent.config import Config

TINY_NEGATIVES = ["the weather is nice today", "i will call you later", "that type of thing happens a lot",
                  "open the door for the guests", "we need to save money"]


def default_out() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("voxctl")) / "understand"


def run(args: Any, config: Config) -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.understand.encoder import EncoderMissing
    from voxctl.agent.interpret.understand.train import train
    from voxctl.agent.macros import MacroError
    from voxctl.agent.session import Session

    try:
        session = Session.build(config)
    except MacroError as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    icfg = config.interpreter
    out = Path(args.out or icfg.understand_model or default_out()).expanduser()
    examples = args.examples or icfg.understand_examples
    macros = dict(session.macros.items())
    grammar = None if args.tiny else GrammarInterpreter(config, macros, spec=session.grammar)
    kw: dict[str, Any] = {"templates": {"intents": {}}, "negatives": TINY_NEGATIVES} if args.tiny else {}
    try:
        figures = train(out, session.grammar, grammar, seed=args.seed, macros=macros, examples_path=examples,
                        epochs=args.epochs, **kw)
    except EncoderMissing as e:
        print(f"voxctl: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"voxctl: cannot train: {e}", file=sys.stderr)
        return 2
    from voxctl.agent.interpret.understand.interpreter import shipped_model

    in_use = out.resolve() == Path(icfg.understand_model or shipped_model()).expanduser().resolve()
    print(f"wrote {out} in {figures['seconds']} s"
          + ("" if in_use else f"; to use it, set interpreter.understand_model: {out} in config.yaml"))
    return 0
