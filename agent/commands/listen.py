"""`voxctl listen`: the main job (see agent/loop.py). Parts that cannot start (no display, no microphone,
no model) are reported in one line with exit code 2; another `voxctl listen` already running for this
user and display, with exit code 4 (agent/listen/instance.py)."""

from __future__ import annotations

import sys
from typing import Any

from voxctl.agent.config import Config


def run(args: Any, config: Config) -> int:
    from voxctl.agent.listen.instance import EXIT_ALREADY_LISTENING, AlreadyListening
    from voxctl.agent.listen.leaving import leave
    from voxctl.agent.loop import ListenLoop

    loop = ListenLoop(config, dry_run=args.dry_run)
    try:
        loop.start()
    except KeyboardInterrupt:
        loop.close()
        leave(0)  # no Python finalization beneath a decoding still under way (agent/listen/leaving.py)
    except AlreadyListening as e:
        loop.close()
        print(f"voxctl: {e}", file=sys.stderr)
        return EXIT_ALREADY_LISTENING
    except Exception as e:  # HotkeyError, RecorderError, AsrError, MacroError, InterpreterUnavailable...
        loop.close()
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(f"voxctl: cannot start listening: {first}", file=sys.stderr)
        leave(2)  # the warm-up may be decoding
    leave(loop.run())
