"""The HTTP side of the `remote` backend: one client per configured endpoint, every failure as one line.

What it guarantees:
- requests go to `interpreter.remote.base_url` and nowhere else: redirects are not followed and proxy
  settings from the environment are not used (the audio of what you say goes only where you said);
- the API key is read from the environment variable named by `api_key_env`, sent only in the
  Authorization header, and scrubbed from every message this module produces (a server may echo it);
- an answer is read against a deadline of `timeout_s` (a server that trickles its reply slowly is cut
  off) and at most `MAX_BODY` bytes;
- timeouts, refused connections, TLS failures, HTTP 401/404/4xx/5xx and replies that are not JSON all
  raise `RemoteError`, whose str() is one line that says what happened and what to check.
"""

from __future__ import annotations

import json
import os
import ssl
import time
from typing import Any
from urllib.parse import urlsplit

from voxctl.agent.interpret.engines import ENGINES, Engine, detect

MAX_BODY = 2 * 1024 * 1024
CONNECT_TIMEOUT_S = 5.0


class RemoteError(Exception):
    """A request to the serving engine that failed; str() is one line for the console.
    `transient`: the server may be back in a moment (refused, reset, 502/503), worth one retry."""

    def __init__(self, message: str, transient: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status  # the HTTP status, when the server answered one


def _first_line(text: str, limit: int = 160) -> str:
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return line if len(line) <= limit else line[:limit] + "…"


def _server_message(body: bytes) -> str:
    """The error text a server put in its reply ({"error": {"message": ...}}, {"detail": ...}, or text)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return _first_line(body.decode("utf-8", "replace"))
    if isinstance(data, dict):
        err = data.get("error", data.get("detail", data.get("message")))
        if isinstance(err, dict):
            err = err.get("message", err)
        return _first_line(str(err)) if err is not None else ""
    return ""


class RemoteClient:
    """Requests to one OpenAI-compatible (or Ollama) server, with the engine detected once if `flavor: auto`."""

    def __init__(self, cfg: Any) -> None:
        import httpx

        self.cfg = cfg
        self.base = cfg.base_url.rstrip("/")
        self.root = self.base.removesuffix("/v1")
        parts = urlsplit(self.base)
        self.where = f"{parts.scheme}://{parts.netloc}"
        self._key = os.environ.get(cfg.api_key_env, "") if cfg.api_key_env else ""
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        # The system's CA store, or $SSL_CERT_FILE; the rest of the environment (proxies, netrc) is not used.
        verify = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or None)
        self.http = httpx.Client(headers=headers, follow_redirects=False, trust_env=False, verify=verify,
                                 timeout=httpx.Timeout(cfg.timeout_s, connect=min(cfg.timeout_s, CONNECT_TIMEOUT_S)))
        self._engine: Engine | None = None if cfg.flavor == "auto" else ENGINES[cfg.flavor]

    def scrub(self, text: str) -> str:
        """`text` with the API key blanked out, wherever it came from."""
        return text.replace(self._key, "***") if self._key else text

    def close(self) -> None:
        self.http.close()

    def url(self, path: str, at_root: bool) -> str:
        return (self.root if at_root else self.base) + path

    def engine(self) -> Engine:
        """The engine serving `base_url` (`flavor`, or detected from /v1/models and /api/version once)."""
        if self._engine is None:
            try:
                models = self.request("GET", self.url("/models", False))
            except RemoteError as e:
                if e.status is None:  # unreachable: detect again next time
                    raise
                models = None
            ollama = False
            if detect(models, False) == "openai":  # not named by /v1/models: Ollama answers /api/version
                try:
                    self.request("GET", self.url("/api/version", True))
                    ollama = True
                except RemoteError:
                    pass
            self._engine = ENGINES[detect(models, ollama)]
        return self._engine

    def models(self) -> list[str]:
        e = self.engine()
        return e.models(self.request("GET", self.url(e.models_path, e.at_root)))

    def chat(self, body: dict[str, Any]) -> dict[str, Any]:
        e = self.engine()
        return self.request("POST", self.url(e.chat_path, e.at_root), body)

    def request(self, method: str, url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON object the server answered, or RemoteError (one line, no key in it)."""
        try:
            return self._request(method, url, body)
        except RemoteError as e:
            raise RemoteError(self.scrub(str(e)), e.transient, e.status) from None

    def _request(self, method: str, url: str, body: dict[str, Any] | None) -> dict[str, Any]:
        import httpx

        deadline = time.monotonic() + self.cfg.timeout_s
        try:
            with self.http.stream(method, url, json=body) as r:
                data = bytearray()
                for chunk in r.iter_bytes():
                    data += chunk
                    if len(data) > MAX_BODY:
                        raise RemoteError(f"{self.where} sent a reply over {MAX_BODY // 1024 // 1024} MB; ignored")
                    if time.monotonic() > deadline:
                        raise RemoteError(f"{self.where} was still sending its answer after {self.cfg.timeout_s:g} s "
                                          "(interpreter.remote.timeout_s); gave up")
                status, headers = r.status_code, r.headers
        except httpx.TimeoutException as e:
            what = "did not accept a connection" if isinstance(e, httpx.ConnectTimeout) else "did not answer"
            limit = min(self.cfg.timeout_s, CONNECT_TIMEOUT_S) if isinstance(e, httpx.ConnectTimeout) else self.cfg.timeout_s
            raise RemoteError(f"{self.where} {what} within {limit:g} s (interpreter.remote.timeout_s)") from None
        except httpx.ConnectError as e:
            raise self._connect_error(e) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as e:
            raise RemoteError(f"{self.where} dropped the connection ({_first_line(str(e)) or type(e).__name__})",
                              transient=True) from None
        except httpx.HTTPError as e:
            raise RemoteError(f"request to {self.where} failed: {_first_line(str(e)) or type(e).__name__}") from None
        if status != 200:
            err = self._status_error(status, bytes(data), headers)
            raise RemoteError(str(err), err.transient, status)
        try:
            reply = json.loads(data)
        except (ValueError, RecursionError):
            raise RemoteError(f"{self.where} answered HTTP 200 with something that is not JSON") from None
        if not isinstance(reply, dict):
            raise RemoteError(f"{self.where} answered with JSON that is not an object")
        return reply

    def _connect_error(self, e: Exception) -> RemoteError:
        text = str(e)
        cause: BaseException | None = e
        while cause is not None and not isinstance(cause, ssl.SSLError):
            cause = cause.__cause__ or cause.__context__
        if cause is not None or "SSL" in text or "CERTIFICATE" in text:
            why = getattr(cause, "reason", None) or _first_line(text)
            return RemoteError(f"TLS error talking to {self.where}: {why} (check the server's certificate, "
                               "or $SSL_CERT_FILE for a private CA)")
        if "refused" in text.lower():
            return RemoteError(f"cannot connect to {self.where}: connection refused (is the server running?)",
                               transient=True)
        if "name" in text.lower() and ("resolution" in text.lower() or "not known" in text.lower()):
            return RemoteError(f"cannot find the host of {self.where} (check interpreter.remote.base_url)")
        return RemoteError(f"cannot connect to {self.where}: {_first_line(text) or type(e).__name__}",
                           transient=True)

    def _status_error(self, status: int, body: bytes, headers: Any) -> RemoteError:
        said = _server_message(body)
        said = f": {said}" if said else ""
        if status in (401, 403):
            env = self.cfg.api_key_env
            if not env:
                hint = "the server wants an API key: set interpreter.remote.api_key_env to the NAME of a variable holding it"
            elif not self._key:
                hint = f"the environment variable {env} (interpreter.remote.api_key_env) is not set"
            else:
                hint = f"check the key in ${env}"
            return RemoteError(f"{self.where} refused the API key (HTTP {status}); {hint}")
        if 300 <= status < 400:
            to = headers.get("location", "?")
            return RemoteError(f"{self.where} redirected to {to!r} (HTTP {status}); not followed: audio goes "
                               "only to interpreter.remote.base_url (set it to the final address)")
        if status == 404:
            return RemoteError(f"{self.where} has no such endpoint or model (HTTP 404{said}); check "
                               "interpreter.remote.base_url, model and flavor")
        if status < 500:
            return RemoteError(f"{self.where} rejected the request (HTTP {status}{said})")
        return RemoteError(f"{self.where} failed (HTTP {status}{said})", transient=status in (502, 503, 504))


def check_endpoint(cfg: Any) -> list[tuple[str, bool, str, str]]:
    """`voxctl doctor`'s look at the endpoint, as (name, ok, detail, fix): reachable, the model listed,
    and, with `audio: true`, a short silent WAV accepted as `input_audio`. Never raises."""
    import numpy as np

    try:
        client = RemoteClient(cfg)
    except (OSError, ValueError) as e:  # e.g. $SSL_CERT_FILE names no readable file
        return [("remote server", False, f"cannot set up the connection: {_first_line(str(e))}",
                 "check $SSL_CERT_FILE and interpreter.remote")]
    try:
        t0 = time.perf_counter()
        try:
            engine = client.engine()
            names = client.models()
        except RemoteError as e:
            return [("remote server", False, str(e), "start the server, or fix interpreter.remote.base_url")]
        ms = (time.perf_counter() - t0) * 1000
        out = [("remote server", True, f"{engine.label} at {client.where} answered in {ms:.0f} ms", "")]
        if cfg.model in names:
            out.append(("remote model", True, f"{cfg.model!r} is served", ""))
        elif names:
            shown = ", ".join(map(repr, names[:5])) + (" …" if len(names) > 5 else "")
            out.append(("remote model", False, f"{cfg.model!r} is not among the served models ({shown})",
                        "set interpreter.remote.model to one of them"))
        else:
            out.append(("remote model", True, f"the server lists no models; it is asked for {cfg.model!r} "
                        "(transformers serve loads models on demand)", ""))
        if cfg.audio:
            from voxctl.agent.interpret.remote import wav_base64

            silence = np.zeros(8000, dtype=np.float32)
            body = engine.body(cfg.model, [{"role": "user", "content": engine.audio(wav_base64(silence), "Say ok.")}],
                               {"type": "object"}, 1, 0.0)
            body.pop("response_format", None)
            body.pop("format", None)
            try:
                client.chat(body)
                out.append(("remote audio", True, "the server accepted 0.5 s of audio (WAV) in a chat message", ""))
            except RemoteError as e:
                out.append(("remote audio", False, f"the server did not accept audio: {e}",
                            "serve an audio model (README, \"Serving the model elsewhere\"), or set "
                            "interpreter.remote.audio: false to send Whisper's transcript instead"))
        return out
    finally:
        client.close()
