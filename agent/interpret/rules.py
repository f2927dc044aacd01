"""Loading grammar.yaml: the spoken forms as data, checked at load so a bad edit fails with one message.

`load_grammar()` reads the bundled file (cached); `load_grammar(path)` another one. Everything the
matcher needs is precomputed here: compiled patterns, the first words that can start each rule, the
key lexicon (tools/keys.yaml), slot specifications, and the edit actions' spoken forms resolved to the
keys the platform binds them to (tools/bindings.yaml): a grammar is loaded for one platform.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from voxctl.agent.interpret.app_actions import AppAction
from voxctl.agent.interpret.app_actions import known as app_action_known
from voxctl.agent.interpret.normalize import Rewrites, phrase_table, tokenize
from voxctl.agent.interpret.patterns import (
    PatternError,
    Seq,
    compile_pattern,
    first_words,
    slots_of,
    spellings,
)
from voxctl.tools.bindings import BindingError, chord, platform_name
from voxctl.tools.keys import KEY_NAMES, SPOKEN_ONLY, SYNONYMS, normalize_key
from voxctl.tools.registry import TOOLS

DEFAULT_PATH = Path(__file__).with_name("grammar.yaml")
SIMPLE_KINDS = ("number", "keys", "chord", "modifier", "text", "macro", "action", "url")
SLOT_REF = re.compile(r"\$([a-z_][a-z0-9_]*)")  # "$text" in a rule's `do:` (and "$engine$query": chain.py)


class GrammarError(Exception):
    """A grammar file that cannot be used; str() names the file and the problem."""


@dataclass(frozen=True)
class SlotSpec:
    name: str
    kind: str  # number | keys | chord | modifier | text | macro | url | label | choice (an `action` slot is loaded as a choice)
    choices: dict[tuple[str, ...], Any] = field(default_factory=dict)
    drop_front: tuple[str, ...] = ()
    drop_back: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    only_known: bool = False  # a label that is one of `known` or nothing ("go to firefox"; "go to sleep" is no window)


@dataclass(frozen=True)
class Rule:
    index: int
    say: tuple[str, ...]
    patterns: tuple[Seq, ...]
    do: tuple[dict[str, Any], ...]
    error: str | None
    first: frozenset[str] | None  # None: may start with any word
    shown: str | None = None  # "grid": a command only while the grid is shown, or when the screen does not say;
    # "window": only where the screen lists the open windows (its {title} must name one of them: grounded.py)
    exact: bool = False  # a command only when heard word for word (no near-miss): a macro's name said alone
    alone: bool = False  # a command only when it is all that is said, fillers apart ("back"; "back in five" is talk)


@dataclass(frozen=True)
class GrammarSpec:
    path: str
    fillers_start: tuple[tuple[str, ...], ...]
    fillers_end: tuple[tuple[str, ...], ...]
    fillers_amount: tuple[tuple[str, ...], ...]  # among fillers_end: how much, after a command that has an amount
    fillers_paused: tuple[tuple[str, ...], ...]  # said first before a pause ("great, scroll down"): acknowledged.py
    connectives: tuple[tuple[str, ...], ...]
    weak_connectives: tuple[tuple[str, ...], ...]
    type_triggers: frozenset[str]
    rewrites: Rewrites
    misheard: Rewrites
    slots: dict[str, SlotSpec]
    keys: dict[tuple[str, ...], str]
    bare_keys: frozenset[str]
    apps: tuple[str, ...]
    rules: tuple[Rule, ...]
    actions: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # edit action -> spoken forms
    app_actions: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # an app's own action -> forms
    platform: str = "linux"  # the platform the actions' keys were bound for
    type_particles: tuple[tuple[str, ...], ...] = ()  # said after a trigger, not typed: "type in", "write for me"
    url_words: dict[str, str] = field(default_factory=dict)  # said inside a web address: "dot" -> "."
    url_tlds: frozenset[str] = frozenset()  # where a heard full stop may end an address ("github. com")
    file_extensions: frozenset[str] = frozenset()  # "notes dot txt" in a name is "notes.txt"
    not_dictation: tuple[tuple[str, ...], ...] = ()  # said first, talk: "write down the number"
    keys_after_text: tuple[tuple[str, ...], ...] = ()  # a key said last after a pause ends dictation: "type exit, enter"
    shell_programs: frozenset[str] = frozenset()  # "run git diff": a command line typed and entered (dictating.py)
    shell_triggers: frozenset[str] = frozenset()  # the word said before such a program ("run")
    topic_things: frozenset[str] = frozenset()  # what may be named first and taken up with "it" (topic.py)
    cautious_triggers: frozenset[str] = frozenset()  # type triggers said first or after a command only ("write")
    cautious_leads: tuple[tuple[str, ...], ...] = ()  # what may come before a cautious trigger said first
    writing_windows: tuple[re.Pattern[str], ...] = ()  # focused, a cautious trigger dictates unless the words decide
    sounded_triggers: dict[str, str] = field(default_factory=dict)  # "right" heard for "write" (sounded.py)
    sounded_not_before: frozenset[str] = frozenset()  # "right now": the homophone is its own word


def _phrases(raw: Any, where: str, path: Path) -> tuple[tuple[str, ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise GrammarError(f"{path}: {where}: expected a list of phrases")
    # Written as speech is tokenized ("move one word left" -> "move 1 word left"), or a phrase with a number
    # word would never match; "*" (any one word, where a list says so: not_dictation) is kept. Longest first, so
    # "and then" wins over "and".
    def words(x: str) -> tuple[str, ...]:
        return tuple(w for k, part in enumerate(x.split("*")) for w in (["*"] if k else []) + [t.word for t in tokenize(part)])

    return tuple(sorted({words(x) for phrase in raw for x in _alternatives(phrase)}, key=len, reverse=True))


def _alternatives(phrase: str) -> list[str]:
    """A phrase with "(a|b)" groups written out: "type of * (is|was)" -> "type of * is", "type of * was"."""
    m = re.search(r"\(([^()]*)\)", phrase)
    if m is None:
        return [phrase]
    return [x for alt in m.group(1).split("|") for x in _alternatives(phrase[:m.start()] + alt + phrase[m.end():])]


def _key_lexicon() -> dict[tuple[str, ...], str]:
    """Spoken words of every key (tools/keys.yaml), longest phrases matched first by the slot matcher."""
    lex: dict[tuple[str, ...], str] = {}
    for spoken, key in SYNONYMS.items():
        words = tuple(spoken.lower().split())
        if words and all(w[0].isalnum() for w in words):
            lex.setdefault(words, key)
    for key in KEY_NAMES:
        lex[(key,)] = key
    for spoken, key in SPOKEN_ONLY.items():
        lex[tuple(spoken.lower().replace("-", " ").split())] = key
    return lex


def _actions(raw: Any, path: Path, section: str = "actions") -> dict[str, tuple[tuple[str, ...], ...]]:
    """Spoken forms of the edit actions (`actions:`, keys per platform in tools/bindings.yaml) or of the apps'
    own actions (`app_actions:`, keys per app in tools/app_keys.yaml)."""
    if not isinstance(raw, dict):
        raise GrammarError(f"{path}: {section}: expected a mapping of action -> spoken forms")
    out = {}
    for action, phrases in raw.items():
        if section == "app_actions":
            if not app_action_known(str(action)):
                raise GrammarError(f"{path}: app_actions: {action!r} is no app's action in tools/app_keys.yaml")
        else:
            try:
                chord(str(action))
            except BindingError as e:
                raise GrammarError(f"{path}: actions: {e}") from None
        said = phrases if isinstance(phrases, list) else [phrases]
        try:  # a form may be written as a pattern: "save (my|the) (essay|report)"
            said = [p for form in said for p in (spellings(form) if isinstance(form, str) and ("(" in form or "[" in form) else [form])]
        except PatternError as e:
            raise GrammarError(f"{path}: {section}.{action}: {e}") from None
        out[str(action)] = _phrases(said, f"{section}.{action}", path)
    return out


def _bind(slot: SlotSpec, actions: dict[str, tuple[tuple[str, ...], ...]], platform: str, path: Path,
          app_actions: dict[str, tuple[tuple[str, ...], ...]] | None = None) -> SlotSpec:
    """An `action` slot as the choice of every action's spoken forms, each worth the keys `platform` binds;
    an app's own action is worth its `AppAction`, resolved by the focused window when said (app_actions.py)."""
    if not actions:
        raise GrammarError(f"{path}: slots: {slot.name}: an action slot needs an `actions:` section")
    choices: dict[tuple[str, ...], Any] = {}
    for action, phrases in actions.items():
        keys = chord(action, platform)
        for p in phrases:
            choices.setdefault(p, keys)
    for action, phrases in (app_actions or {}).items():
        for p in phrases:
            choices.setdefault(p, AppAction(action))
    return SlotSpec(slot.name, "choice", choices=choices)


def _bare_keys(raw: Any, path: Path) -> frozenset[str]:
    out = set()
    for k in raw:
        canon = normalize_key(str(k))
        if canon is None:
            raise GrammarError(f"{path}: bare_keys: {k!r} is not a key name")
        out.add(canon)
    return frozenset(out)


def _slot(name: str, raw: Any, path: Path) -> SlotSpec:
    where = f"{path}: slots: {name}"
    if isinstance(raw, str):
        if raw not in SIMPLE_KINDS:
            raise GrammarError(f"{where}: unknown slot type {raw!r} (known: {', '.join(SIMPLE_KINDS)}, "
                               "label, or a mapping of choices)")
        return SlotSpec(name, raw)
    if not isinstance(raw, dict) or not raw:
        raise GrammarError(f"{where}: expected a slot type or a mapping")
    if raw.get("type") == "label":
        unknown = set(raw) - {"type", "drop_front", "drop_back", "known", "only_known"}
        if unknown:
            raise GrammarError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("drop_front", "drop_back"):
            if not all(isinstance(w, str) for w in raw.get(key) or ()):  # YAML reads on/off/yes/no as booleans
                raise GrammarError(f"{where}: {key}: every word must be a string (quote on, off, yes, no)")
        return SlotSpec(name, "label", drop_front=tuple(raw.get("drop_front") or ()),
                        drop_back=tuple(raw.get("drop_back") or ()),
                        known=(raw.get("known"),) if raw.get("known") else (),
                        only_known=bool(raw.get("only_known")) and bool(raw.get("known")))
    choices: dict[tuple[str, ...], Any] = {}
    for spoken, value in raw.items():
        if isinstance(value, list):  # a key chord: check every key now, not when someone says it
            keys = [normalize_key(str(k)) for k in value]
            if None in keys:
                raise GrammarError(f"{where}: {spoken!r}: {value!r} has a name that is not a key")
            value = keys
        choices[tuple(str(spoken).lower().split())] = value
    return SlotSpec(name, "choice", choices=choices)


def _action_keys(act: dict[str, Any], actions: dict[str, Any], platform: str, where: str) -> dict[str, Any]:
    """`act` with each "@action" argument replaced by the keys `platform` binds for that edit action: a rule can
    repeat "word_left" without naming a per-platform chord ("go back three words")."""
    args = {}
    for k, v in (act.get("args") or {}).items():
        if isinstance(v, str) and v.startswith("@"):
            if v[1:] in actions:
                v = list(chord(v[1:], platform))
            elif app_action_known(v[1:]):
                v = AppAction(v[1:])  # the focused app's keys, when said (app_actions.py)
            else:
                raise GrammarError(f"{where}: {v!r} is not an edit action of `actions:` nor an app's action")
        args[k] = v
    return {**act, "args": args} if "args" in act else act


def _rule(index: int, raw: Any, slots: dict[str, SlotSpec], path: Path, actions: dict[str, Any],
          platform: str) -> Rule:
    where = f"{path}: rules[{index}]"
    if not isinstance(raw, dict) or "say" not in raw or (("do" in raw) == ("error" in raw)):
        raise GrammarError(f"{where}: a rule needs `say:` and one of `do:` or `error:`")
    say = raw["say"] if isinstance(raw["say"], list) else [raw["say"]]
    patterns, first = [], set()
    any_start = False
    for s in say:
        try:
            seq = compile_pattern(str(s))
        except PatternError as e:
            raise GrammarError(f"{where}: {e}") from None
        unknown = slots_of(seq) - set(slots)
        if unknown:
            raise GrammarError(f"{where}: {s!r} uses undeclared slot(s) {', '.join(sorted(unknown))}")
        patterns.append(seq)
        fw = first_words(seq, lambda name: {p[0] for p in slots[name].choices} or None)
        if fw is None:
            any_start = True
        else:
            first |= fw
    do = raw.get("do") or []
    do = do if isinstance(do, list) else [do]
    for act in do:
        if not isinstance(act, dict) or act.get("tool") not in TOOLS:
            raise GrammarError(f"{where}: unknown tool in {act!r} (known: {', '.join(TOOLS)})")
    refs = set(SLOT_REF.findall(str(do))) - set(slots)
    if refs:
        raise GrammarError(f"{where}: `do` refers to undeclared slot(s) {', '.join(sorted(refs))}")
    do = [_action_keys(act, actions, platform, where) for act in do]
    shown = raw.get("shown")
    if shown not in (None, "grid", "window"):
        raise GrammarError(f"{where}: `shown:` is grid, window or absent, not {shown!r}")
    return Rule(index, tuple(map(str, say)), tuple(patterns), tuple(do), raw.get("error"),
                None if any_start else frozenset(first), shown, bool(raw.get("exact", False)), bool(raw.get("alone", False)))


def parse_grammar(data: Any, path: Path, platform: str | None = None) -> GrammarSpec:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise GrammarError(f"{path}: expected a mapping with a `rules:` list")
    platform = platform_name(platform)
    actions = _actions(data.get("actions") or {}, path)
    app_actions = _actions(data.get("app_actions") or {}, path, "app_actions")
    slots = {str(n): _slot(str(n), raw, path) for n, raw in (data.get("slots") or {}).items()}
    slots = {n: _bind(s, actions, platform, path, app_actions) if s.kind == "action" else s for n, s in slots.items()}
    fillers = data.get("fillers") or {}
    return GrammarSpec(
        path=str(path),
        fillers_start=_phrases(fillers.get("start"), "fillers.start", path),
        fillers_end=_phrases([*(fillers.get("end") or ()), *(fillers.get("amount") or ())], "fillers.end", path),
        fillers_amount=_phrases(fillers.get("amount"), "fillers.amount", path),
        fillers_paused=_phrases(fillers.get("before_pause"), "fillers.before_pause", path),
        connectives=_phrases(data.get("connectives"), "connectives", path),
        weak_connectives=_phrases(data.get("weak_connectives"), "weak_connectives", path),
        type_triggers=frozenset(w.lower() for w in data.get("type_triggers") or ()),
        rewrites=phrase_table(data.get("rewrites") or {}),
        misheard=phrase_table(data.get("misheard") or {}),
        slots=slots,
        keys=_key_lexicon(),
        bare_keys=_bare_keys(data.get("bare_keys") or (), path),
        apps=tuple(str(a).lower() for a in data.get("apps") or ()),
        rules=tuple(_rule(i, r, slots, path, actions, platform) for i, r in enumerate(data["rules"])),
        actions=actions,
        app_actions=app_actions,
        platform=platform,
        type_particles=_phrases(data.get("type_particles"), "type_particles", path),
        url_words={str(k).lower(): str(v) for k, v in (data.get("url_words") or {}).items()},
        url_tlds=frozenset(str(t).lower() for t in data.get("url_tlds") or ()),
        file_extensions=frozenset(str(t).lower() for t in data.get("file_extensions") or ()),
        not_dictation=_phrases(data.get("not_dictation"), "not_dictation", path),
        keys_after_text=_phrases(data.get("keys_after_text"), "keys_after_text", path),
        shell_programs=frozenset(str(w).lower() for w in data.get("shell_programs") or ()),
        shell_triggers=frozenset(str(w).lower() for w in data.get("shell_triggers") or ()),
        topic_things=frozenset(str(w).lower() for w in data.get("topic_things") or ()),
        cautious_triggers=frozenset(w.lower() for w in data.get("cautious_triggers") or ()),
        cautious_leads=_phrases(data.get("cautious_leads"), "cautious_leads", path),
        writing_windows=tuple(re.compile(str(p), re.IGNORECASE) for p in data.get("writing_windows") or ()),
        sounded_triggers={str(k).lower(): str(v).lower() for k, v in (data.get("sounded_triggers") or {}).items()},
        sounded_not_before=frozenset(str(w).lower() for w in data.get("sounded_not_before") or ()),
    )


def load_grammar(path: str | Path | None = None, platform: str | None = None) -> GrammarSpec:
    """The grammar from `path` (default: the bundled grammar.yaml), its edit actions bound for `platform`
    (a `sys.platform` value or linux/windows/mac; default: this machine). Raises GrammarError."""
    return _load(str(path) if path is not None else None, platform_name(platform))


@functools.lru_cache(maxsize=8)
def _load(path: str | None, platform: str) -> GrammarSpec:
    p = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise GrammarError(f"{p}: cannot read grammar: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise GrammarError(f"{p}: not valid YAML: {e}") from None
    return parse_grammar(data, p, platform)
