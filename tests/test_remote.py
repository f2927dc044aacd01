"""The `remote` backend against real server processes on 127.0.0.1 (no GPU, no downloads).

Two servers, each started once for the module:
- `transformers serve` (the real engine, `pip install transformers[serving]`, the `serve` extra) with a
  tiny random-weight Qwen2-Audio: it ignores `response_format`, so whatever it writes must end as a
  rejected plan, never an action; and it counts the audio it decoded in its own `usage.prompt_tokens`,
  which is how the test sees, on the server side, that the audio arrived as `input_audio`;
- tests/fixtures/openai_stub.py, a scripted server (prose around JSON, unknown tools, extra fields,
  HTTP 500/401, a redirect, a reply that never comes or trickles), which logs every request it gets.
The engine is started first (it takes seconds to import); the stub's tests run while it starts.
"""

from __future__ import annotations

import base64
import io
import json
import os
import socket
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.fixtures.openai_stub import KEY
from voxctl.agent.config import RemoteConfig, load_config
from voxctl.agent.interpret.constrained import generation_schema
from voxctl.agent.interpret.remote import RemoteInterpreter
from voxctl.agent.utterance import Utterance

ROOT = Path(__file__).resolve().parents[1]
WRONG_KEY = "sk-user-secret-must-never-show-0042"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, seconds: float) -> None:
    import httpx

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not come up in {seconds} s")


@pytest.fixture(scope="module")
def engine(tmp_path_factory, tiny_model):
    """`transformers serve`, started first: it imports and loads the tiny model (warmed up by one request
    from a thread) while the stub's tests run; `ready` waits for that."""
    pytest.importorskip("fastapi", reason="transformers serve needs the `serve` extra (scripts/setup.sh)")
    import threading

    port = free_port()
    # One torch thread, as tests/fixtures/tiny_models.py's one_torch_thread gives the in-process tiny models.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", "import sys; from transformers.cli.transformers import main; "
                                 "sys.argv[0] = 'transformers'; sys.exit(main())", "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--device", "cpu"], env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/v1"
    warm: dict = {}

    def warm_up() -> None:
        import httpx

        try:
            model = warm["model"] = str(tiny_model("qwen2_audio"))  # built while the server imports
            wait_http(url.removesuffix("/v1") + "/health", proc, 180)
            httpx.post(url + "/chat/completions", timeout=180, json={
                "model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "hi"}]})
        except BaseException as e:  # noqa: BLE001  (reported by `ready`)
            warm["error"] = e

    thread = threading.Thread(target=warm_up, daemon=True)
    thread.start()
    yield {"proc": proc, "url": url, "log": log, "thread": thread, "warm": warm}
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def stub(tmp_path_factory, engine):  # asks for the engine first, so that it starts loading now
    port = free_port()
    log = tmp_path_factory.mktemp("stub") / "requests.jsonl"
    log.touch()
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests/fixtures/openai_stub.py"), str(port), str(log)])
    wait_http(f"http://127.0.0.1:{port}/v1/models", proc, 15)
    yield {"url": f"http://127.0.0.1:{port}/v1", "log": log, "port": port}
    proc.kill()
    proc.wait(5)


def requests_of(stub: dict, since: int) -> list[dict]:
    lines = stub["log"].read_text().splitlines()
    return [json.loads(line) for line in lines[since:]]


def count(stub: dict) -> int:
    return len(stub["log"].read_text().splitlines())


def remote(url: str, model: str, **kw) -> RemoteInterpreter:
    return RemoteInterpreter(RemoteConfig(base_url=url, model=model, **kw))


def test_answers_are_validated_and_invalid_ones_never_become_actions(stub, capsys):
    cases = [  # model (the stub's script), actions expected, reason, requests made
        ("prose", 1, None, 1),  # prose and a ``` fence around the JSON
        ("fix_on_retry", 1, None, 2),  # wrong, then right after being told what was wrong
        ("unknown_tool", 0, "unknown tool 'run_shell'", 2),
        ("extra_field", 0, "args.sudo: Extra inputs are not permitted", 2),
        ("extra_top", 0, "unexpected field(s) in the answer: 'also_run'", 2),
        ("many", 0, "9 actions (at most 8)", 2),
        ("no_json", 0, "holds no JSON object", 2),
    ]
    interp = remote(stub["url"], "prose")
    interp.interpret(Utterance.from_text("save the file"))  # the engine is detected once (vLLM, from owned_by)
    for model, n_actions, reason, n_requests in cases:
        interp = remote(stub["url"], model, flavor="vllm")
        before = count(stub)
        plan = interp.interpret(Utterance.from_text("save the file"))
        sent = requests_of(stub, before)
        assert len(plan.actions) == n_actions and len(sent) == n_requests, (model, plan, sent)
        assert plan.source == "remote" and plan.transcript == "save the file"
        if reason:
            assert reason in plan.reason and "\n" not in plan.reason, (model, plan.reason)
        body = sent[0]["body"]
        # The schema goes where vLLM enforces it; the keys vLLM >= 0.12 silently ignores are not used.
        assert body["response_format"] == {"type": "json_schema", "json_schema": {
            "name": "action_plan", "schema": generation_schema(with_transcript=False)}}
        assert not any(k.startswith("guided_") for k in body)
        assert body["messages"][0]["role"] == "system" and "press_keys" in body["messages"][0]["content"]
        if model == "fix_on_retry":
            assert "That answer was rejected: actions[0]: unknown tool 'run_shell'" in \
                sent[1]["body"]["messages"][-1]["content"]
    err = capsys.readouterr().err
    assert "voxctl: remote: vLLM (prose at http://127.0.0.1:" in err and " answered in " in err
    assert "with an invalid plan: actions[0]: unknown tool 'run_shell'; nothing runs" in err


def test_hybrid_hands_what_the_grammar_cannot_read_to_the_remote_backend(stub):
    from voxctl.agent.interpret.factory import make_interpreter

    cfg = load_config(None, {"interpreter.backend": "hybrid", "interpreter.llm_backend": "remote",
                             "interpreter.remote.base_url": stub["url"], "interpreter.remote.model": "prose"})
    interp = make_interpreter(cfg, notify=lambda m: None)
    before = count(stub)
    plan = interp.interpret(Utterance.from_text("would you kindly keep my work safe"))
    assert [a.tool for a in plan.actions] == ["press_keys"] and plan.source == "remote"
    assert count(stub) > before
    before = count(stub)
    assert interp.interpret(Utterance.from_text("press control s")).source == "grammar"
    assert count(stub) == before  # what the grammar reads never leaves the machine


def wav_seconds(b64: str) -> float:
    with wave.open(io.BytesIO(base64.b64decode(b64))) as w:
        assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (1, 16000, 2)
        return w.getnframes() / 16000


def test_audio_goes_as_input_audio_or_in_ollamas_images(stub):
    audio = (0.1 * np.sin(np.arange(24000) / 7)).astype(np.float32)
    before = count(stub)
    plan = remote(stub["url"], "heard", audio=True, flavor="vllm").interpret(Utterance(audio=audio))
    assert plan.transcript == "save the file" and [a.tool for a in plan.actions] == ["press_keys"]
    body = requests_of(stub, before)[0]["body"]
    assert body["response_format"]["json_schema"]["schema"] == generation_schema(with_transcript=True)
    part = body["messages"][1]["content"][0]
    assert part["type"] == "input_audio" and part["input_audio"]["format"] == "wav"
    assert wav_seconds(part["input_audio"]["data"]) == pytest.approx(1.5)

    before = count(stub)
    plan = remote(stub["url"], "gemma4:e2b", audio=True, flavor="ollama").interpret(Utterance(audio=audio))
    assert plan.transcript == "save the file" and plan.actions
    sent = requests_of(stub, before)[0]
    assert sent["path"] == "/api/chat" and sent["body"]["format"] == generation_schema(with_transcript=True)
    assert wav_seconds(sent["body"]["messages"][1]["images"][0]) == pytest.approx(1.5)


def test_each_failure_is_one_line_and_the_next_utterance_still_works(stub, capsys, monkeypatch):
    monkeypatch.setenv("VOXCTL_TEST_KEY", WRONG_KEY)
    closed = free_port()
    cases = [  # url, model, what the reason says
        (f"http://127.0.0.1:{closed}/v1", "x", "connection refused (is the server running?)"),
        (stub["url"], "slow", "did not answer within 1 s"),
        (stub["url"], "trickle", "was still sending its answer after 1 s"),
        (stub["url"], "err500", "failed (HTTP 500: CUDA out of memory)"),
        (stub["url"], "auth", "refused the API key (HTTP 401); check the key in $VOXCTL_TEST_KEY"),
        (stub["url"], "redirect", "redirected to 'http://198.51.100.7/v1/chat/completions' (HTTP 307); not followed"),
        (stub["url"].replace("http:", "https:"), "x", "TLS error talking to https://127.0.0.1:"),
    ]
    for url, model, says in cases:
        t0 = time.monotonic()
        plan = remote(url, model, timeout_s=1, flavor="openai", api_key_env="VOXCTL_TEST_KEY").interpret(
            Utterance.from_text("save the file"))
        assert plan.actions == [] and plan.reason.startswith("remote: ") and says in plan.reason, plan.reason
        assert "\n" not in plan.reason and time.monotonic() - t0 < 15
        # The loop goes on: the next request to a working model is answered.
        assert remote(stub["url"], "prose", flavor="openai").interpret(Utterance.from_text("save")).actions
    monkeypatch.setenv("VOXCTL_TEST_KEY", KEY)
    assert remote(stub["url"], "auth", api_key_env="VOXCTL_TEST_KEY").interpret(Utterance.from_text("save")).actions
    out = capsys.readouterr()
    assert WRONG_KEY not in out.err + out.out and KEY not in out.err + out.out
    assert [line for line in out.err.splitlines() if "refused the API key" in line]


def test_the_config_names_the_key_variable_never_the_key():
    from voxctl.agent.config import ConfigError

    with pytest.raises(ConfigError) as e:
        load_config(None, {"interpreter.remote.api_key_env": WRONG_KEY.replace("-", " ")})
    assert "not the key itself" in str(e.value) and "secret" not in str(e.value)
    with pytest.raises(ConfigError, match="needs interpreter.remote.model"):
        load_config(None, {"interpreter.backend": "remote"})
    with pytest.raises(ConfigError, match="http:// or https://"):
        load_config(None, {"interpreter.remote.base_url": "file:///etc/passwd"})


def test_cli_reports_a_wrong_key_and_never_shows_or_stores_it(stub, tmp_path, monkeypatch, capsys):
    """`voxctl do` (the CLI's own entry point, in this process: a subprocess would cost seconds of imports)."""
    from voxctl.agent.cli import main

    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"history: {{path: '{tmp_path / 'history.sqlite'}'}}\n"
                   f"interpreter: {{backend: remote, remote: {{base_url: '{stub['url']}', model: auth, "
                   f"api_key_env: VOXCTL_TEST_KEY, timeout_s: 5}}}}\n", encoding="utf-8")
    for name, value in {"VOXCTL_CONFIG": str(cfg), "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c"),
                        "XDG_DATA_HOME": str(tmp_path / "d"), "XDG_STATE_HOME": str(tmp_path / "s"),
                        "VOXCTL_TEST_KEY": WRONG_KEY}.items():
        monkeypatch.setenv(name, value)
    rc = main(["do", "--dry-run", "save the file"])
    out = capsys.readouterr()
    said = out.out + out.err
    assert rc != 0 and "refused the API key (HTTP 401); check the key in $VOXCTL_TEST_KEY" in said, said
    assert WRONG_KEY not in said and "Traceback" not in said
    stored = b"".join(f.read_bytes() for f in tmp_path.rglob("*") if f.is_file() and f.name != "config.yaml")
    assert (tmp_path / "history.sqlite").exists() and WRONG_KEY.encode() not in stored
    # The server saw the key (it was sent); nothing of ours kept it.
    assert any(r["headers"].get("Authorization") == f"Bearer {WRONG_KEY}" for r in requests_of(stub, 0))


def in_use(**remote: object):
    """A configuration whose hybrid falls back to this remote endpoint (doctor asks only an endpoint in use)."""
    return load_config(None, {"interpreter.llm_backend": "remote", "interpreter.remote": remote})


def test_doctor_reports_the_endpoint_in_plain_words(stub, monkeypatch):
    from voxctl.agent.commands.doctor import check_models

    monkeypatch.setenv("VOXCTL_TEST_KEY", WRONG_KEY)
    cfg = in_use(base_url=stub["url"], model="heard", audio=True, api_key_env="VOXCTL_TEST_KEY")
    lines = {c.name: c.line() for c in check_models(cfg)}
    assert lines["remote server"].startswith("OK") and "vLLM at http://127.0.0.1:" in lines["remote server"]
    assert lines["remote model"].startswith("OK") and "'heard' is served" in lines["remote model"]
    assert lines["remote audio"].startswith("OK") and "accepted 0.5 s of audio" in lines["remote audio"]
    lines = {c.name: c for c in check_models(in_use(base_url=stub["url"], model="nope", flavor="openai"))}
    assert not lines["remote model"].ok and "'nope' is not among the served models ('prose'" in lines["remote model"].detail
    (check,) = [c for c in check_models(in_use(base_url=f"http://127.0.0.1:{free_port()}/v1", model="m"))
                if c.name.startswith("remote")]
    assert not check.ok and check.essential and "connection refused (is the server running?)" in check.line()
    # An endpoint the configuration does not use is not asked.
    unused = load_config(None, {"interpreter.remote": {"base_url": f"http://127.0.0.1:{free_port()}/v1", "model": "m"}})
    assert not [c for c in check_models(unused) if c.name.startswith("remote")]


def ready(engine: dict) -> str:
    engine["thread"].join(180)
    if "error" in engine["warm"]:
        pytest.fail(f"transformers serve did not come up: {engine['warm']['error']}")
    engine["model"] = engine["warm"]["model"]
    return engine["url"]


def test_a_real_engine_that_ignores_the_schema_runs_nothing(engine, capsys):
    url = ready(engine)
    model = engine["model"]
    interp = remote(url, model, max_new_tokens=24, timeout_s=120)
    plan = interp.interpret(Utterance.from_text("save the file"))
    # Random weights write random text: the schema was sent and ignored, and nothing validates.
    assert plan.actions == [] and "the server's answer is not a valid plan" in plan.reason, plan
    err = capsys.readouterr().err
    assert f"OpenAI-compatible server ({model} at http://127.0.0.1:" in err and " ms with an invalid plan" in err


def test_audio_reaches_a_real_engine_as_input_audio(engine):
    url = ready(engine)
    interp = remote(url, engine["model"], audio=True, max_new_tokens=16, timeout_s=120)
    tokens = []
    for seconds in (1, 3):
        audio = (0.1 * np.random.default_rng(seconds).standard_normal(16000 * seconds)).astype(np.float32)
        plan = interp.interpret(Utterance(audio=audio))
        assert plan.actions == [] and plan.reason, plan
        tokens.append(interp.usages[0]["prompt_tokens"])
    # The server's own count of the first request's prompt grows with the audio's length: it decoded the
    # WAV it was sent and ran its feature extractor on it (Qwen2-Audio: 25 audio tokens a second). Only the
    # first request is compared: a retry carries the random model's rejected answer, whose length varies.
    assert 40 <= tokens[1] - tokens[0] <= 60, tokens
