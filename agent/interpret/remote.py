"""The `remote` backend: the same prompt and plan schema as the in-process LLM backends, sent to a model
running in a serving engine (vLLM, llama.cpp's server, Ollama, `transformers serve`, ...) over HTTP.

Two paths, as in process: with `interpreter.remote.audio: true` the audio goes to the model as a WAV
(an audio LLM hears it and writes the transcript first, like `audio_llm`); otherwise Whisper's
transcript goes as text (like `cascade`). engines.py says how each engine gets the schema and the audio;
remote_client.py does the HTTP and turns every failure into one line.

The server is not trusted: whatever it answers is parsed (prose and code fences around the JSON are
tolerated) and validated with the registry like any plan. Unknown tools, extra fields, too many actions
or anything else that does not validate give a plan with no actions and a reason, never an action;
such an answer is sent back once with what was wrong (at most one retry per utterance, also used when
the server was briefly unreachable). Every request prints one line to stderr: which engine answered and
in how long, or what went wrong. `interpret` never raises for a server problem.
"""

from __future__ import annotations

import base64
import io
import json
import re
import sys
import time
import wave
from typing import Any

import numpy as np

from voxctl.agent.interpret.constrained import MAX_ACTIONS, generation_schema
from voxctl.agent.interpret.prompt import example_turns, system_prompt, user_prompt
from voxctl.agent.interpret.remote_client import RemoteClient, RemoteError
from voxctl.agent.utterance import SAMPLE_RATE, Utterance
from voxctl.tools.registry import ActionPlan, validate_plan

SOURCE = "remote"
MIN_SECONDS = 0.1
RETRY_PAUSE_S = 0.3
ANSWER_KEYS = {"transcript", "actions"}
KNOWN = re.compile(r" \(known: [^)]*\)")


def wav_base64(audio: np.ndarray) -> str:
    """16 kHz mono float audio as a base64 16-bit PCM WAV file (what `input_audio` carries)."""
    pcm = (np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0) * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    return base64.b64encode(buf.getvalue()).decode("ascii")


def extract_json(text: str) -> Any:
    """The first JSON object in a model's answer, with prose or ``` fences around it tolerated; None if none."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
    return None


def read_plan(content: str, calls: list[dict[str, Any]], transcript: str, heard_audio: bool = False
              ) -> tuple[ActionPlan | None, str]:
    """(the plan, "") when the answer validates, else (None, what was wrong). Nothing is repaired.
    The server's "transcript" is taken only when it was sent the audio (`heard_audio`): sent words, it may
    not rewrite what was said, which grounding (agent/grounding.py) judges its actions against."""
    if calls:  # the engine answered with tool calls (vLLM with --enable-auto-tool-choice)
        actions = []
        for c in calls:
            args = c.get("args")
            if isinstance(args, str):
                args = extract_json(args) if args.strip() else {}
            actions.append({"tool": c.get("tool"), "args": args})
        data: Any = {"actions": actions}
    else:
        data = extract_json(content)
        if data is None:
            said = " ".join(content.split())[:80]
            return None, f"the answer holds no JSON object ({said!r})" if said else "the answer was empty"
    extra = sorted(set(data) - ANSWER_KEYS)
    if extra:
        return None, f"unexpected field(s) in the answer: {', '.join(map(repr, extra[:3]))}"
    actions = data.get("actions")
    if not isinstance(actions, list):
        return None, "the answer has no list of actions"
    if len(actions) > MAX_ACTIONS:
        return None, f"the answer has {len(actions)} actions (at most {MAX_ACTIONS})"
    heard = data.get("transcript")
    if heard_audio and isinstance(heard, str) and heard.strip():
        transcript = " ".join(heard.split())[:200]
    plan, problems = validate_plan({"transcript": transcript, "source": SOURCE, "actions": actions})
    if plan is None:  # the list of known tools is in the prompt; it would drown the console line
        return None, "; ".join(KNOWN.sub("", p) for p in problems[:3])
    return plan, ""


class RemoteInterpreter:
    """`interpret(utterance)` through a serving engine (see the module docstring)."""

    def __init__(self, cfg: Any, transcriber: Any = None) -> None:
        self.config = cfg
        self._transcriber = transcriber
        self.client = RemoteClient(cfg)
        self.last_ms = 0.0  # how long the last answer took, for benchmarks
        # The token counts the server reported (its "usage") for each request of the last utterance: the
        # first request, then the retry that carries the rejected answer back, when there was one.
        self.usages: list[Any] = []

    @property
    def transcriber(self) -> Any:
        if self._transcriber is None:
            from voxctl.agent.listen.asr import Transcriber

            self._transcriber = Transcriber()
        return self._transcriber

    def say(self, line: str) -> None:
        print(f"voxctl: remote: {self.client.scrub(line)}", file=sys.stderr, flush=True)

    def messages(self, utterance: Utterance, text: str | None, engine: Any) -> list[dict[str, Any]]:
        """The chat: the in-process backends' prompt. `text` None: the audio goes instead of words."""
        if text is None:
            system = system_prompt(utterance.screen, audio=True)
            user: Any = engine.audio(wav_base64(utterance.audio), user_prompt())  # type: ignore[arg-type]
            return [{"role": "system", "content": system}, {"role": "user", "content": user}]
        system = system_prompt(utterance.screen, audio=False, with_examples=False, windows=False)
        return [{"role": "system", "content": system}, *example_turns(),
                {"role": "user", "content": user_prompt(text, utterance.screen)}]

    def words(self, utterance: Utterance) -> str | None:
        """The words to send, or None when the audio is sent (audio: true and there is audio)."""
        if utterance.text is not None:
            return utterance.text.strip()
        if self.config.audio and utterance.audio is not None:
            return None
        if utterance.transcript is not None:
            return utterance.transcript.strip()
        if utterance.audio is None:
            return ""
        from voxctl.agent.listen.transcript import AsrError

        try:
            return self.transcriber.transcribe(utterance.audio).text.strip()
        except AsrError as e:
            raise RemoteError(f"speech recognition failed: {str(e).splitlines()[0]}") from None

    def interpret(self, utterance: Utterance) -> ActionPlan:
        if utterance.audio is not None and utterance.text is None and utterance.seconds < MIN_SECONDS:
            return ActionPlan(source=SOURCE, reason=f"the recording is too short ({utterance.seconds:.2f} s)")
        try:
            text = self.words(utterance)
        except RemoteError as e:
            return ActionPlan(source=SOURCE, reason=str(e))
        if text == "":
            return ActionPlan(source=SOURCE, reason="no words were recognised")
        transcript = text if text is not None else (utterance.transcript or "").strip()
        try:
            plan = self._ask(utterance, text, transcript)
        except RemoteError as e:
            line = self.client.scrub(str(e))
            self.say(line)
            return ActionPlan(transcript=transcript, source=SOURCE, reason=f"remote: {line}")
        if not plan.actions and plan.reason is None:
            said = f" in {plan.transcript!r}" if plan.transcript else ""
            plan = plan.model_copy(update={"reason": f"no command recognised{said}"})
        return plan

    def _ask(self, utterance: Utterance, text: str | None, transcript: str) -> ActionPlan:
        """One request, and at most one more: after a transient failure, or with what was wrong with an
        answer that did not validate. Raises RemoteError when the server could not be used."""
        engine = self.client.engine()
        schema = generation_schema(with_transcript=text is None)
        messages = self.messages(utterance, text, engine)
        cfg = self.config
        problem = ""
        self.usages = []
        for attempt in (1, 2):
            t0 = time.perf_counter()
            try:
                reply = self.client.chat(engine.body(cfg.model, messages, schema, cfg.max_new_tokens, cfg.temperature))
            except RemoteError as e:
                if attempt == 1 and e.transient:
                    self.say(f"{e}; trying once more")
                    time.sleep(RETRY_PAUSE_S)
                    continue
                raise
            self.last_ms = (time.perf_counter() - t0) * 1000
            self.usages.append(reply.get("usage"))
            content, calls = engine.answer(reply)
            plan, problem = read_plan(content, calls, transcript, heard_audio=text is None)
            who = f"{engine.label} ({cfg.model} at {self.client.where})"
            if plan is not None:
                self.say(f"{who} answered in {self.last_ms:.0f} ms")
                return plan
            self.say(f"{who} answered in {self.last_ms:.0f} ms with an invalid plan: {problem}"
                     + ("; asking once more" if attempt == 1 else "; nothing runs"))
            if attempt == 1:
                messages = [*messages, {"role": "assistant", "content": content[:2000] or json.dumps(calls)[:2000]},
                            {"role": "user", "content": "That answer was rejected: " + problem
                             + ". Answer again with only the JSON object, using only the listed tools."}]
        return ActionPlan(transcript=transcript, source=SOURCE,
                          reason=f"the server's answer is not a valid plan: {problem}")
