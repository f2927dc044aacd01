"""The serving engines the `remote` backend talks to, one row each: where the chat endpoint is, how the
plan schema and the audio go into a request, and where the answer and the model list are in a reply.

Each engine enforces the schema its own way, and a way it does not know is silently ignored (vLLM since
0.12 answers HTTP 200 to the old `guided_json` and decodes unconstrained), so each row sends the form its
engine documents:
- vLLM: `response_format: {"type": "json_schema", ...}` (its structured-outputs backends enforce it);
- llama.cpp's `llama-server`: the same `response_format`, which it compiles to a GBNF grammar;
- Ollama: its own `/api/chat` with `format` = the schema; audio as base64 WAV in `images` (its OpenAI
  endpoint takes no audio);
- plain OpenAI-compatible servers (`transformers serve`, LM Studio, ...): `response_format` json_schema,
  which some of them ignore; remote.py validates every answer, so ignoring it can only cost a rejection.
Audio goes as an OpenAI `input_audio` part (base64 WAV) everywhere but Ollama.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Message = dict[str, Any]


def openai_audio(wav_b64: str, text: str) -> list[dict[str, Any]]:
    return [{"type": "input_audio", "input_audio": {"data": wav_b64, "format": "wav"}},
            {"type": "text", "text": text}]


def openai_body(model: str, messages: list[Message], schema: dict[str, Any], max_tokens: int,
                temperature: float) -> dict[str, Any]:
    return {"model": model, "messages": messages, "max_tokens": max_tokens, "temperature": temperature,
            "stream": False,
            "response_format": {"type": "json_schema", "json_schema": {"name": "action_plan", "schema": schema}}}


def openai_answer(reply: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """(content, tool calls as {"tool", "args"}) of a chat completion; ("", []) when it has none."""
    choices = reply.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return "", []
    message = choices[0].get("message") or {}
    if not isinstance(message, dict):
        return "", []
    content = message.get("content")
    calls = []
    for call in message.get("tool_calls") or []:
        fn = call.get("function") if isinstance(call, dict) else None
        if isinstance(fn, dict):
            calls.append({"tool": fn.get("name"), "args": fn.get("arguments")})
    return content if isinstance(content, str) else "", calls


def openai_models(reply: dict[str, Any]) -> list[str]:
    data = reply.get("data")
    return [str(m.get("id")) for m in data if isinstance(m, dict)] if isinstance(data, list) else []


def ollama_audio(wav_b64: str, text: str) -> dict[str, Any]:
    return {"content": text, "images": [wav_b64]}


def ollama_body(model: str, messages: list[Message], schema: dict[str, Any], max_tokens: int,
                temperature: float) -> dict[str, Any]:
    out = []
    for m in messages:  # an audio turn comes as {"content": ..., "images": [...]} already
        content = m["content"]
        out.append({"role": m["role"], **(content if isinstance(content, dict) else {"content": content})})
    return {"model": model, "messages": out, "format": schema, "stream": False,
            "options": {"temperature": temperature, "num_predict": max_tokens}}


def ollama_answer(reply: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    message = reply.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    return (content if isinstance(content, str) else ""), []


def ollama_models(reply: dict[str, Any]) -> list[str]:
    models = reply.get("models")
    return [str(m.get("name")) for m in models if isinstance(m, dict)] if isinstance(models, list) else []


@dataclass(frozen=True)
class Engine:
    name: str
    label: str  # how the console names it
    chat_path: str  # under the OpenAI base URL ("/chat/completions") or the server root ("/api/chat")
    models_path: str
    at_root: bool  # paths start at the server root, not at the OpenAI base URL (".../v1")
    audio: Callable[[str, str], Any]  # (base64 WAV, instruction) -> the user turn's content
    body: Callable[..., dict[str, Any]]
    answer: Callable[[dict[str, Any]], tuple[str, list[dict[str, Any]]]]
    models: Callable[[dict[str, Any]], list[str]]


_OPENAI = dict(chat_path="/chat/completions", models_path="/models", at_root=False, audio=openai_audio,
               body=openai_body, answer=openai_answer, models=openai_models)

ENGINES: dict[str, Engine] = {e.name: e for e in (
    Engine("vllm", "vLLM", **_OPENAI),  # type: ignore[arg-type]
    Engine("llama_cpp", "llama.cpp server", **_OPENAI),  # type: ignore[arg-type]
    Engine("openai", "OpenAI-compatible server", **_OPENAI),  # type: ignore[arg-type]
    Engine("ollama", "Ollama", chat_path="/api/chat", models_path="/api/tags", at_root=True, audio=ollama_audio,
           body=ollama_body, answer=ollama_answer, models=ollama_models),
)}

# `/v1/models` says who is serving: vLLM and llama.cpp name themselves in `owned_by`.
OWNERS = {"vllm": "vllm", "llamacpp": "llama_cpp"}


def detect(models_reply: dict[str, Any] | None, ollama_version: bool) -> str:
    """The engine behind a server, from its `/v1/models` reply and whether `/api/version` answered."""
    data = (models_reply or {}).get("data")
    for m in data if isinstance(data, list) else []:
        owner = m.get("owned_by") if isinstance(m, dict) else None
        if owner in OWNERS:
            return OWNERS[owner]
    return "ollama" if ollama_version else "openai"
