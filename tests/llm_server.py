"""A scripted OpenAI-compatible HTTP server on loopback, for testing the real LLM path.

Tests queue what the next requests get (a reply, a stream, an HTTP error, a slow answer, a
stream cut mid-way, malformed structured output) and then drive the real openai SDK and
LangChain against `server.url`. Every request is recorded so a test can assert on what was
sent (messages, stream options, tools) and on how many calls arrived.

    with ScriptedLLMServer() as server:
        server.error(429, retry_after_s=0).reply("hello")
        ...  # point the client at server.url
        assert len(server.requests) == 2

One behaviour is consumed per POST /v1/chat/completions; when the queue is empty the server
answers 500 "script exhausted", so an unplanned call shows up as a failure, never a hang.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

import pytest

DEFAULT_MODELS = ("gpt-4o-mini", "scripted-model")


@dataclass
class Reply:
    """A normal answer; streamed as `chunks` when the request asks for a stream."""

    text: str
    chunks: list[str] | None = None
    usage: dict[str, int] | None = None
    delay_s: float = 0.0


@dataclass
class Error:
    status: int
    message: str = "scripted error"
    retry_after_s: float | None = None


@dataclass
class BrokenStream:
    """Send `chunks` as a stream, then stop: by cutting the socket mid-body (default), or with
    `clean_close` by ending the HTTP body properly but with no finish_reason and no [DONE]
    (a proxy that times the stream out)."""

    chunks: list[str]
    clean_close: bool = False


@dataclass
class Structured:
    """Structured output: `payload` (a dict, or a raw string for malformed output) is sent as
    tool-call arguments when the request offers tools, else as the message content."""

    payload: dict[str, Any] | str


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])


Behaviour = Reply | Error | BrokenStream | Structured


def split_tokens(text: str) -> list[str]:
    """Word-ish pieces that join back to `text` exactly (each keeps its leading space)."""
    pieces: list[str] = []
    for i, word in enumerate(text.split(" ")):
        pieces.append(word if i == 0 else " " + word)
    return [p for p in pieces if p]


class _QuietHTTPServer(ThreadingHTTPServer):
    """A client that hangs up (a timeout test, a closed keep-alive) is expected here, not an
    error worth a traceback on stderr; anything else is still printed."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class ScriptedLLMServer:
    def __init__(
        self,
        *,
        models: tuple[str, ...] = DEFAULT_MODELS,
        api_key: str | None = None,
        strict_models: bool = True,
    ) -> None:
        self.models = models
        self.api_key = api_key
        self.strict_models = strict_models
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------------
    def enqueue(self, *behaviours: Behaviour) -> ScriptedLLMServer:
        with self._lock:
            self._queue.extend(behaviours)
        return self

    def reply(self, text: str, *, chunks: list[str] | None = None,
              usage: dict[str, int] | None = None) -> ScriptedLLMServer:
        return self.enqueue(Reply(text, chunks=chunks, usage=usage))

    def slow(self, delay_s: float, text: str = "late answer") -> ScriptedLLMServer:
        return self.enqueue(Reply(text, delay_s=delay_s))

    def error(self, status: int, message: str = "scripted error", *,
              retry_after_s: float | None = None, times: int = 1) -> ScriptedLLMServer:
        return self.enqueue(*[Error(status, message, retry_after_s) for _ in range(times)])

    def broken_stream(self, chunks: list[str], *, clean_close: bool = False) -> ScriptedLLMServer:
        return self.enqueue(BrokenStream(chunks, clean_close))

    def structured(self, payload: dict[str, Any] | str, *, times: int = 1) -> ScriptedLLMServer:
        return self.enqueue(*[Structured(payload) for _ in range(times)])

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> ScriptedLLMServer:
        handler = type("Handler", (_Handler,), {"script": self})
        self._httpd = _QuietHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a slow reply
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- used by the handler ---------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next(self) -> Behaviour:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return Error(500, "script exhausted: no behaviour queued for this request")


class _Handler(BaseHTTPRequestHandler):
    script: ScriptedLLMServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # -- plumbing --------------------------------------------------------------------------
    def _send_json(self, status: int, body: dict[str, Any],
                   headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, status: int, message: str, code: str | None = None,
                    headers: dict[str, str] | None = None) -> None:
        self._send_json(status, {"error": {"message": message, "type": "scripted",
                                           "param": None, "code": code}}, headers)

    def _authorised(self) -> bool:
        if self.script.api_key is None:
            return True
        if self.headers.get("Authorization") == f"Bearer {self.script.api_key}":
            return True
        self._send_error(401, "Incorrect API key provided.", "invalid_api_key")
        return False

    def _record(self, body: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.script._record(RecordedRequest(self.command, self.path, headers, body))

    # -- routes ----------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._record({})
        if not self._authorised():
            return
        if self.path.rstrip("/") == "/v1/models":
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "scripted"}
                    for m in self.script.models]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_error(404, f"no route {self.path}")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_unparsed": raw.decode(errors="replace")}
        self._record(body)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_error(404, f"no route {self.path}")
            return
        if not self._authorised():
            return
        model = body.get("model", "")
        if self.script.strict_models and model not in self.script.models:
            self._send_error(404, f"The model `{model}` does not exist or you do not have "
                             "access to it.", "model_not_found")
            return
        behaviour = self.script._next()
        try:
            self._serve(behaviour, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout); nothing to answer

    def _serve(self, behaviour: Behaviour, body: dict[str, Any]) -> None:
        model = body.get("model", "scripted-model")
        if isinstance(behaviour, Error):
            headers = ({"Retry-After": f"{behaviour.retry_after_s:g}"}
                       if behaviour.retry_after_s is not None else None)
            self._send_error(behaviour.status, behaviour.message, headers=headers)
            return
        if (isinstance(behaviour, Reply) and behaviour.delay_s
                and self.script._stopping.wait(behaviour.delay_s)):
            return  # the server is stopping
        if isinstance(behaviour, Structured):
            self._send_structured(behaviour, body, model)
            return
        text = behaviour.text if isinstance(behaviour, Reply) else "".join(behaviour.chunks)
        usage = _usage(body, text, getattr(behaviour, "usage", None))
        if body.get("stream"):
            chunks = (behaviour.chunks if isinstance(behaviour, BrokenStream)
                      else behaviour.chunks or split_tokens(behaviour.text))
            self._stream(chunks, body, model, usage,
                         broken=behaviour if isinstance(behaviour, BrokenStream) else None)
            return
        message = {"role": "assistant", "content": text}
        self._send_json(200, _completion(model, message, "stop", usage))

    def _send_structured(self, behaviour: Structured, body: dict[str, Any], model: str) -> None:
        payload = behaviour.payload
        arguments = payload if isinstance(payload, str) else json.dumps(payload)
        tools = body.get("tools") or []
        if tools:
            choice = body.get("tool_choice")
            name = (choice.get("function", {}).get("name") if isinstance(choice, dict)
                    else tools[0]["function"]["name"])
            message = {"role": "assistant", "content": None, "tool_calls": [{
                "id": "call_scripted", "type": "function",
                "function": {"name": name, "arguments": arguments}}]}
            finish = "tool_calls"
        else:
            message = {"role": "assistant", "content": arguments}
            finish = "stop"
        self._send_json(200, _completion(model, message, finish, _usage(body, arguments, None)))

    def _stream(self, chunks: list[str], body: dict[str, Any], model: str,
                usage: dict[str, int], *, broken: BrokenStream | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(payload: dict[str, Any] | str) -> None:
            data = payload if isinstance(payload, str) else json.dumps(payload)
            frame = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(frame):x}\r\n".encode() + frame + b"\r\n")
            self.wfile.flush()

        base = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk",
                "created": int(time.time()), "model": model}
        event({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                    "finish_reason": None}]})
        for piece in chunks:
            event({**base, "choices": [{"index": 0, "delta": {"content": piece},
                                        "finish_reason": None}]})
        if broken and broken.clean_close:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            return
        if broken:
            # Cut the connection mid-body: no final chunk, no [DONE], no chunked terminator.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            event({**base, "choices": [], "usage": usage})
        event("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def _usage(body: dict[str, Any], text: str, given: dict[str, int] | None) -> dict[str, int]:
    if given:
        return {"total_tokens": given["prompt_tokens"] + given["completion_tokens"], **given}
    prompt = sum(len(str(m.get("content") or "").split()) + 4 for m in body.get("messages", []))
    completion = max(1, len(text.split()))
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "total_tokens": prompt + completion}


def _completion(model: str, message: dict[str, Any], finish: str,
                usage: dict[str, int]) -> dict[str, Any]:
    return {"id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "message": message, "logprobs": None,
                                         "finish_reason": finish}],
            "usage": usage}


def settings_for(server: ScriptedLLMServer | None, **overrides: Any):
    """Settings for the openai-compatible backend pointed at `server` (data dir from the
    environment, which the autouse fixture points at tmp_path)."""
    from simulator.settings import get_settings

    values: dict[str, Any] = {"llm_backend": "openai-compatible", "llm_model": "gpt-4o-mini"}
    if server is not None:
        values["llm_base_url"] = server.url
    return get_settings(**{**values, **overrides})


def refused_url() -> str:
    """A loopback URL where nothing listens (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def llm_server():
    """A started ScriptedLLMServer, stopped after the test."""
    with ScriptedLLMServer() as server:
        yield server
