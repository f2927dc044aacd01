"""Web tools: open a web address in the default browser ("go to wikipedia dot org").

A page is opened by the platform's own opener (a new process through the Desktop's `launch`, as open_app
starts an app), never by keystrokes into whatever window has the focus: Ctrl+L, the address and Enter typed
into a terminal would run the address as a command. Only http and https addresses are opened; a bare name
with a dot ("example.com") is taken as https.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from voxctl.tools.base import Args, Outcome, Risk, ToolResult, ToolSpec
from voxctl.tools.bindings import platform_name
from voxctl.tools.context import ToolContext, fail

# The program that opens an address in the user's default browser, per platform.
OPENERS = {"linux": ["xdg-open"], "mac": ["open"], "windows": ["explorer"]}
# A host name: one to four names of at most 24 characters, then a top-level domain (letters only, 2-12); an optional
# port, then an optional path. Written without flags or shorthand classes: it is also the argument's JSON-schema
# `pattern`, which constrained decoding (LLM backends) holds a model's output to, and its bounds let an answer
# cut short by the token budget still close ("en.wikipedia.org", "docs.google.co.uk" fit).
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,22}[A-Za-z0-9])?[.]){1,4}[A-Za-z]{2,12}"
_LOCAL = r"localhost|[0-9]{1,3}(?:[.][0-9]{1,3}){3}"  # this machine or the network: http, not https
PATTERN = rf"^(?:[Hh][Tt][Tt][Pp][Ss]?://)?(?:{_HOST}|{_LOCAL})(?::[0-9]{{1,5}})?(?:[/?#][^ \t\r\n]{{0,300}})?$"
ADDRESS = re.compile(PATTERN)
LOCAL = re.compile(rf"^(?:{_LOCAL})(?:[:/?#]|$)", re.IGNORECASE)


def web_address(text: str) -> str | None:
    """`text` as an address to open (https added when no scheme is given; http for localhost or an IP
    address), or None when it is not one: not http(s), a space in it, no host with a top-level domain."""
    t = text.strip().rstrip(".")
    if not ADDRESS.match(t):
        return None
    scheme, sep, rest = t.partition("://")
    if not sep:
        return ("http://" if LOCAL.match(t) else "https://") + t
    return f"{scheme.lower()}://{rest}"


class OpenUrl(Args):
    """Open a web address in the default browser: "wikipedia.org", "https://example.com/docs"."""

    url: str = Field(min_length=4, max_length=400, pattern=PATTERN)

    @field_validator("url")
    @classmethod
    def _address(cls, v: str) -> str:
        address = web_address(v)
        if address is None:
            raise ValueError(f"{v!r} is not a web address (http or https, a host with a top-level domain)")
        return address


def run_open_url(a: OpenUrl, ctx: ToolContext) -> Outcome:
    opener = OPENERS.get(platform_name())
    if opener is None:
        return fail("open_url", "no browser opener on this platform")
    pid = ctx.desktop.launch([*opener, a.url])
    return ToolResult("open_url", f"opened {a.url} (pid {pid})", {"pid": pid, "url": a.url})


SPECS = (
    ToolSpec("open_url", OpenUrl, Risk.MEDIUM, run_open_url, family="apps", examples=("go to wikipedia dot org",),
             describe=lambda a: f"open the web page {a.url}", primitives=frozenset({"launch"})),
)
