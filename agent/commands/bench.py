"""`voxctl bench [asr|interpret|e2e|recognition|all]`: measure speed, memory and accuracy on this machine.

`all` is asr, interpret and e2e; `recognition` (the broad spoken dev set, long) runs only when asked."""

from __future__ import annotations

import importlib
import json
import platform
import sys
from typing import Any

from voxctl.agent.config import Config

SUBJECTS = ("asr", "interpret", "e2e")


def machine() -> str:
    import os

    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def run(args: Any, config: Config) -> int:
    from voxctl.agent.benchmarks.load import busy, describe

    subjects = SUBJECTS if args.what == "all" else (args.what,)
    workers = int(getattr(args, "load", 0) or 0)
    print(f"machine: {machine()}")
    results: dict[str, Any] = {"machine": machine()}
    with busy(workers) as conditions:
        print(f"conditions: {describe(conditions)}")
        for s in subjects:
            mod = importlib.import_module(f"voxctl.agent.benchmarks.{s}")
            print(f"\n== bench {s}")
            try:
                results[s] = mod.run(args, config)
            except Exception as e:  # one failing benchmark must not hide the others' figures
                print(f"voxctl bench {s}: failed: {type(e).__name__}: {e}", file=sys.stderr)
                results[s] = {"error": str(e)}
    results["conditions"] = conditions
    print(f"\nconditions: {describe(conditions)}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
        print(f"\nwrote {args.out}")
    return 1 if any(isinstance(v, dict) and "error" in v for v in results.values()) else 0
