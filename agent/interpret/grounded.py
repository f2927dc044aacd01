"""Open slots grounded in what exists: a reading names an app, a window or a target, or it is no command.

The grammar's open slots ({app}, {title}, {target}) take any words, so everyday speech that holds a
command word reads as a command: "open the door for the delivery guy" -> open_app "door for the delivery
guy", "switch to the other team next season" -> focus_window, "click your seatbelt before we leave" ->
click. Each was an action nobody asked for (issue #11's hands-free mode; docs/BENCHMARKS.md). A value of an
open slot must therefore name something:

- an app (`open_app`): one of the grammar's apps or the configured aliases (near-misses were mapped onto
  them by the slot already), else an app the platform lists: a .desktop entry on Linux, a program on PATH
  elsewhere (tools/apps.resolve_app, the tool's own lookup; never a system program such as /usr/sbin/reboot);
- a window (`focus_window`, `maximize_window`, ...): a window that is open (the titles of the ScreenState,
  matched as focus_window and the title fitting match them) or an app name; when no titles are known (a
  typed command, a benchmark without a screen), a short name: at most MAX_TITLE_WORDS words;
- a click target: at most MAX_TARGET_WORDS words (on-screen text is not known when the speech is read), none
  of them a word said to a person (ENDEARMENTS), and not "I" and "you" together ("the link i sent you"), not
  ending in a word that waits for more (normalize.WAITS_FOR_MORE: "you get me to").

And no value of an open slot holds a clause word (CLAUSE_WORDS): a third-person or "we" pronoun, a modal
or past auxiliary, a subordinating conjunction; nor, among other words, a word of time (TIME_WORDS). Names
on screens are noun phrases and imperatives ("add to cart", "I agree", "your library"); "before we leave",
"will switch", "when he rings" are sentences.
A reading that fails is no command, with the reason why; the recogniser's other readings get their turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from voxctl.agent.interpret.fuzzy import best_match, similarity
from voxctl.agent.interpret.normalize import WAITS_FOR_MORE
from voxctl.agent.interpret.slots import ABBREVIATIONS, SENTENCE_ENDS
from voxctl.tools.base import OpenSlot
from voxctl.tools.registry import TOOLS
from voxctl.tools.words import words_in

MAX_TITLE_WORDS = 3  # a window named without a screen to check it against ("switch to scratch box")
MAX_TARGET_WORDS = 4  # "add to shopping cart", "sign in with google"
MAX_APP_WORDS = 4  # longer never names an installed app; not looked up (each lookup reads the disk)
# Closed-class words that make a clause, never a name on a screen. Not "i", "you", "my", "your", "do",
# "have", "is": UI labels say "I agree", "your library", "my drive", "do not disturb", "what is new". "are" is:
# "click bait headlines are everywhere" clicked the text "bait headlines are everywhere".
CLAUSE_WORDS = frozenset("""
    we he she they him us them his her their we're we'll we've we'd they're they'll they've they'd
    he's she's he'll she'll he'd she'd
    will would shall should could might must can are was were been being won't wouldn't shouldn't
    couldn't can't didn't wasn't weren't hasn't hadn't that'll it'll i'll you'll there'll
    before because if unless until although though whether whenever while when
    """.split())
# When something happened or will: no name on a screen says it with other words ("weird link yesterday", "build start
# yet" were click targets of talk; "they switched offices last month" focused a window "offices last month").
# Alone it may be a label ("Yesterday" in a calendar): only with other words.
# "let's switch seats after lunch" (read "let's switch to seats after lunch.", en-us+m1) focused "seats after lunch".
# Not "later": "Maybe later" and "Remind me later" are buttons.
TIME_WORDS = frozenset("yesterday yet ago already tonight tomorrow month months weeks years lunch dinner "
                       "breakfast weekend".split())
# Words that point rather than name ("paste it in here", "switch to it"): alone they name no window.
# "other": "switch to other window" (blind probe set 12) is the other window, none called "other"
POINTING_WORDS = frozenset("it this that here there them these those one 1 other".split())  # "this one" is read "this 1"
COURTESY = frozenset({"please"})  # said to someone, inside no name of a macro
POSSESSIVES = frozenset("my your his her their our".split())
PERSONS = frozenset("me you him her us myself yourself".split())  # nobody names a new macro so
# Words said to a person: no name on a screen holds one ("click your seatbelt in sweetie", blind probe set 10), and
# no instruction to the desktop (understand/no_instruction.py).
# Not "buddy" or "mate" (fillers after a command: grammar.yaml), nor "love" (a reaction button).
ENDEARMENTS = frozenset("sweetie sweetheart honey darling kiddo babe guys sweetpea bro bruv dude fam homie mija mijo baba".split())  # bro...: set 21; mija: 42; baba: 58
_ME = frozenset("i i'm i've i'll i'd".split())
# A thing of the room opened or shut, never the screen's ("it's gone cold in here, can you shut that door": the model's
# close_window, blind probe set 28; "open the door for the delivery guy"; a click target "close the door")
ROOM_THING = re.compile(r"\b(?:open|close|shut|lock|unlock)(?: up)? (?:the|that|this|your|my|our|his|her) (?:front |back |garage |"
                        r"car |fridge |kitchen |bathroom |bedroom |office )?(?:door|doors|gate|curtains|blinds|fridge|oven|"
                        r"garage|boot|trunk|shutter|shutters|cupboard|drawer|hatch)\b")


def installed(name: str) -> bool:
    """True when open_app would find `name` without an alias as an app the platform lists: a .desktop entry on
    Linux ("open size", "open yes" named programs on PATH: /usr/bin/size, /usr/bin/yes), a program on PATH where
    there are no desktop entries (Windows, macOS). tools/apps.py keeps the answer while its folders stay as they
    were."""
    from voxctl.tools.apps import resolve_app

    return resolve_app(name, {}, listed_only=True) is not None


def open_slot(tool: str, arg: str) -> OpenSlot | None:
    """What argument `arg` of `tool` must name when it holds an open slot (ToolSpec.open_slots), else None."""
    spec = TOOLS.get(tool)
    return spec.open_slots.get(arg) if spec is not None else None


@contextmanager
def taken_back() -> Iterator[None]:
    """Within it, a command's values need not name anything that exists: it is the command before a correction,
    taken back ("open notion, no wait, open slack", "open skype, no, thunderbird" with neither notion nor skype
    installed: blind probe sets 55, 56 ran nothing, the first command naming no app)."""
    token = _TAKEN_BACK.set(True)
    try:
        yield
    finally:
        _TAKEN_BACK.reset(token)


_TAKEN_BACK: ContextVar[bool] = ContextVar("taken_back", default=False)


def ungrounded(tool: str, arg: str, value: Any, apps: Sequence[str], titles: Sequence[str],
               threshold: float) -> str | None:
    """Why `value` (the open slot `arg` of `tool`) names nothing, or None when it names something (or when it is
    said in a command taken back: `taken_back`). `apps`: the app names known to the grammar and the configuration;
    `titles`: the open windows' titles ((): not known)."""
    what = open_slot(tool, arg)
    if what is None or not isinstance(value, str) or _TAKEN_BACK.get():
        return None
    words = value.casefold().split()
    clause = [w for w in words if w in CLAUSE_WORDS or (w in TIME_WORDS and len(words) > 1)]
    if what == "app":
        name = " ".join(words)
        if name in apps:
            return None
        if clause or len(words) > MAX_APP_WORDS or not installed(name):
            return f"no app called {value!r}"
        return None
    if what == "name":
        # "stop recording me, I look terrible today" (en-us+m1, blind probe set 8) was read "start recording me." and
        # began recording a macro "me"; the grammar also read its name on past the full stop
        if set(words) <= POINTING_WORDS | PERSONS:
            return f"{value!r} points at someone or something: no name"
        if {"your", "yours"} & set(words):  # "start recording your observations in the table" (to a class: set 24)
            return f"{value!r} is the listener's: said to a person"
        if re.search(r"[.!?]\s+\S", value):
            return f"{value!r} runs on past the end of a sentence: a name is one phrase"
        if COURTESY & set(words):  # "start recording the meeting please sam" (slt, blind probe set 14)
            return f"{value!r} asks someone: no name"
        if words[0] == "the":  # "start recording the meeting": a thing that exists, not a new macro's name
            return f"{value!r} is a thing, not a name"
        return None
    if what == "window":
        if " ".join(words) in apps:
            return None
        if set(words) <= POINTING_WORDS | POSSESSIVES:  # "maximize your window" (said to a person)
            return f"{value!r} points at a window but names none"
        if titles:
            if not clause and fitted_title(value, titles, threshold) is not None:
                return None
            return f"no window called {value!r}"
        if clause or len(words) > MAX_TITLE_WORDS:
            return f"{value!r} is not the name of a window"
        if words[0] == "your":  # "switch to your branch and run make again" (blind probe set 16): none is listed so
            return f"{value!r} is the listener's, said to a person: no window named"
        return None
    if clause or len(words) > MAX_TARGET_WORDS or ENDEARMENTS & set(words):
        return f"{value!r} is not something on the screen to click"
    if len(words) > 1 and words[-1] in WAITS_FOR_MORE:
        return f"{value!r} stops at {words[-1]!r}: cut off or misheard, not something on the screen to click"
    if _ME & set(words) and "you" in words:
        # one person to another ("click the link i sent you"): "I agree", "forgot your password?" have one of them
        return f"{value!r} is said to a person, not something on the screen to click"
    if ROOM_THING.search(" ".join(words)):
        # "honey close the door please" heard "click close the door." (en-us+m3, blind probe set 55)
        return f"{value!r} is a thing in the room, not something on the screen to click"
    if words[0] == "at" and any(w.isdigit() for w in words):
        # a place heard wrong, no name: "Right, click at 12080." was 120 80 run together (slt, blind probe set 8)
        return f"{value!r} is a place heard wrong, not something on the screen to click"
    return None


def fitted_title(title: str, titles: Sequence[str], threshold: float) -> str | None:
    """The name `title` gives an open window: itself when it is part of one of `titles`, else the nearest
    word of one when it is a near-miss ("derminal" -> "terminal"), else None."""
    from voxctl.tools.windows import title_matches

    if any(title_matches(title, t) for t in titles):
        return title
    words = {w for t in titles for w in t.casefold().replace("-", " ").split() if len(w) >= 3}
    hit = best_match(title.casefold(), sorted(words), threshold)
    return hit[0] if hit else None


def screen_titles(screen: Any) -> tuple[str, ...]:
    """The window titles a ScreenState lists (the active one first); () when it listed none: then nothing
    is known of the other windows, and a title is judged by its words alone."""
    listed = tuple(getattr(screen, "window_titles", ()) or ())
    return tuple(t for t in (getattr(screen, "active_window", ""), *listed) if t) if listed else ()


def _names(actions: Sequence[Any]) -> Iterator[tuple[str, str, str]]:
    """(tool, argument, value) of every open slot a plan fills with a name (an app, a window, a target)."""
    for call in actions:
        args = call.args.model_dump() if hasattr(call.args, "model_dump") else dict(call.args)
        for arg, value in args.items():
            if open_slot(call.tool, arg) is not None and isinstance(value, str):
                yield call.tool, arg, value


def plan_ungrounded(actions: Sequence[Any], apps: Sequence[str], screen: Any, threshold: float) -> str | None:
    """Why a plan another backend made (the understanding model, an LLM) names an app, window or target that
    does not exist, or a place off the screen, held to the grammar's own test; None when every open slot names
    something. "open the tab for table five" heard "open the temp 14." was open_app "temp 14" from the model."""
    titles = screen_titles(screen)
    return next((why for tool, arg, value in _names(actions)
                 if (why := ungrounded(tool, arg, value, apps, titles, threshold))), None) or next(
        (why for call in actions if (why := off_screen(call, screen))), None)


_POINTS = (("x", "y"), ("to_x", "to_y"), ("from_x", "from_y"))  # the mouse tools' places (tools/mouse.py)


def off_screen(call: Any, screen: Any) -> str | None:
    """Why a place `call` names is off the screen it was said at (ScreenState.screen_size), or None: a place
    nobody can point at was heard wrong ("right click at 1200 640" read "right. click at 1,2640.": (1, 2640)).
    None when the screen's size is not known (`screen` None)."""
    size = getattr(screen, "screen_size", None)
    if not size:
        return None
    w, h = size
    for px, py in _POINTS:
        x, y = getattr(call.args, px, None), getattr(call.args, py, None)
        if isinstance(x, int) and isinstance(y, int) and not (0 <= x < w and 0 <= y < h):
            return f"({x}, {y}) is off the screen ({w}x{h}): a place heard wrong"
    return None


# How like the name a stretch of the free reading must sound for another reading to name it: "open fire fox" ->
# firefox (1.0), "switch to turn middle" -> terminal (0.56), "launch game" -> gimp (0.50); not "start the car and
# wait for me" -> "start the code ..." (open_app code: 0.29; "power", the next reading, 0.44).
NAME_HEARD = 0.5


def unheard_name(actions: Sequence[Any], free: str) -> str | None:
    """The name (an app, a window, a click target) a plan from another reading of the audio gives that nothing
    in the likeliest (free) reading sounds like, or None: another reading may fix how a name was heard, not
    put another name in its place."""
    heard = words_in(free)
    spans = {"".join(heard[i:j]) for i in range(len(heard)) for j in range(i + 1, min(i + 4, len(heard)) + 1)}
    for _, _, value in _names(actions):
        name = "".join(words_in(value))
        if name and not any(similarity(name, s) >= NAME_HEARD for s in spans):
            return value
    return None


def name_across_a_break(actions: Sequence[Any], free: str) -> str | None:
    """The name (an app, a window, a click target) of a plan from another reading of the audio whose words the
    likeliest (free) reading heard with a sentence's end inside, or None; a word of it may be heard otherwise
    ("bends" / "pens"). A name ends where a sentence does (slots.py); another reading without that full stop is no
    new hearing of it: "the kids love to click their pens in class" (en-us+m5) read "... click there. pens in
    class." first, then "click there pens in class." by the beam, which clicked the text "there pens in class"
    (recognition dev set, 2026-12-05)."""
    heard = [(m.group(1).lower(), m.group(2) in SENTENCE_ENDS and m.group(1).lower() not in ABBREVIATIONS)
             for m in re.finditer(r"([A-Za-z0-9']+)([^A-Za-z0-9'\s]*)", free)]
    for _, _, value in _names(actions):
        words = [w.lower() for w in words_in(value)]
        n = len(words)
        if n < 2:  # a name of one word has no sentence end inside
            continue
        for i in range(len(heard) - n + 1):
            window = heard[i:i + n]
            alike = sum(w == h or similarity(w, h) >= 0.6 for w, (h, _) in zip(words, window, strict=True))
            if alike >= n - 1 and window[0][0] == words[0] and any(end for _, end in window[:-1]):
                return value
    return None
