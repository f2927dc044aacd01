"""`voxctl do "text"`: a spoken-style command given as text, through the same graph as speech."""

from __future__ import annotations

import sys
from typing import Any

from voxctl.agent.config import Config


def run(args: Any, config: Config) -> int:
    from voxctl.agent.runner import one_shot
    from voxctl.agent.utterance import Utterance

    text = " ".join(args.text).strip()
    if not text:
        print("voxctl: say what to do, e.g. voxctl do \"press control s\"", file=sys.stderr)
        return 2
    return one_shot(config, dry_run=args.dry_run, yes=args.yes, utterance=Utterance.from_text(text))
