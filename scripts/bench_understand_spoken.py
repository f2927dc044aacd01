"""The understanding sets alone, typed and spoken: `voxctl bench interpret`'s `understand_dev` part without
the grammar's spoken set (agent/benchmarks/understand.py: text through the grammar, the model and the
hybrid; overheard sentences; tests/data/non_commands.yaml; then the dev phrasings in the dev voices and the
held-out phrasings in the held-out voices, synthesized, perturbed and read by the bundled Whisper).

    nice -n 5 .venv/bin/python scripts/bench_understand_spoken.py OUT.json

Writes the bench's dict (per voice: right plans, overheard acting, every row) with its wall time and the load
average at its end. About 7 minutes on the 2-core box with nothing else running.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(out: str) -> None:
    from voxctl.agent.benchmarks import understand
    from voxctl.agent.config import load_config
    from voxctl.agent.interpret.factory import LazyTranscriber

    config = load_config(None)
    transcriber = LazyTranscriber(config.asr)
    transcriber.get()
    t0 = time.time()
    result = understand.run(config, transcriber, None, None)
    result["wall_s"] = round(time.time() - t0)
    result["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, default=str)
    print(f"wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench_understand_spoken.py OUT.json")
    main(sys.argv[1])
