"""`voxctl train`: build the understanding model's data and train it (agent/interpret/understand/train.py),
and fine-tune the configured LLM backend with LoRA (agent/interpret/lora.py).

It learns the shipped templates and negatives, the grammar's expansions, the user's macros and the
user's own examples (`--examples` or interpreter.understand_examples: a YAML list of {say, plan}, and for
LoRA an optional `audio:` recording). `--tiny` trains on the user's examples and macros plus a handful of
negatives only (seconds). `--from-history` also learns the commands that failed and were then said another
way (agent/interpret/understand/history_examples.py); `--dry-run` lists those pairs and trains nothing.
`--heard FILE` trains on that recogniser noise (heard.py's transcripts of synthesized speech) instead of
the shipped data/heard.yaml; `--heard none` on typed text only.
`--lora`: auto (the default) fine-tunes interpreter.cascade / audio_llm's model when it is the backend in
use and a CUDA GPU is present; on (also on the CPU), off, or only (the LLM, not the understanding model).
Exit codes: 0 trained (or listed); 2 a bad examples file, a missing package, an unusable history file, or a
model that cannot be fine-tuned.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from voxctl.agent.config import Config

TINY_NEGATIVES = ["the weather is nice today", "i will call you later", "that type of thing happens a lot",
                  "open the door for the guests", "we need to save money"]
HISTORY_RUNS = 5000  # the newest runs read for rephrasings


def default_out() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("voxctl")) / "understand"


def _fail(message: str) -> int:
    print(f"voxctl: {message}", file=sys.stderr)
    return 2


def user_items(path: str | None) -> list[dict[str, Any]]:
    """The items of the user's examples file ([] without one); ValueError when it is not a list of items."""
    if not path:
        return []
    data = yaml.safe_load(Path(path).expanduser().read_text(encoding="utf-8")) or []
    items = data.get("examples", []) if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) and "say" in i for i in items):
        raise ValueError(f"{path}: expected a list of {{say: ..., plan: [...]}} items")
    return items


def history_pairs(config: Config, macros: dict[str, Any], items: list[dict[str, Any]]) -> list[Any]:
    """The rephrasings in the history file; a phrasing the examples file already teaches is left to it."""
    from voxctl.agent.audit import AuditLog, history_path
    from voxctl.agent.interpret.understand.history_examples import rephrasings

    path = history_path(config)
    if not path.exists():
        return []
    log = AuditLog(path)
    try:
        entries = log.recent(HISTORY_RUNS)
    finally:
        log.close()
    taught = {" ".join(str(s).lower().split()) for i in items for s in ([i["say"]] if isinstance(i["say"], str)
                                                                         else i["say"])}
    return [p for p in rephrasings(entries, macros=macros) if " ".join(p.said.lower().split()) not in taught]


def _with_history(examples: str | None, items: list[dict[str, Any]], learned: list[dict[str, Any]],
                  folder: str) -> str | None:
    """The examples file the understanding model reads: the user's, plus the learned pairs after its items
    (so an error in the user's items keeps its index)."""
    if not learned:
        return examples
    merged = Path(folder) / "examples.yaml"
    merged.write_text(yaml.safe_dump([*items, *learned], sort_keys=False, allow_unicode=True), encoding="utf-8")
    return str(merged)


def _lora_backend(args: Any, config: Config) -> tuple[str | None, str]:
    """(backend to fine-tune, or None; a line to print, or "")."""
    from voxctl.agent.interpret.lora import tunable_backend

    mode = args.lora
    if mode == "off":
        return None, ""
    backend = tunable_backend(config.interpreter)
    if backend is None:
        if mode == "auto":
            return None, ""
        raise ValueError("--lora needs a local LLM backend: interpreter.backend cascade or audio_llm (or hybrid "
                         "with that llm_backend) and its model")
    if mode == "auto":
        import torch

        if not torch.cuda.is_available():
            return None, (f"not fine-tuning interpreter.{backend}.model: no CUDA GPU here "
                          "(--lora on runs it on the CPU, slowly)")
    return backend, ""


def run(args: Any, config: Config) -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from voxctl.agent.audit import HistoryError
    from voxctl.agent.macros import MacroError
    from voxctl.agent.session import Session

    try:
        session = Session.build(config)
    except MacroError as e:
        return _fail(str(e))
    icfg = config.interpreter
    examples = args.examples or icfg.understand_examples
    macros = dict(session.macros.items())
    try:
        items = user_items(examples)
    except (OSError, ValueError, yaml.YAMLError) as e:
        return _fail(f"cannot read the examples file: {str(e).splitlines()[0]}")
    from voxctl.agent.interpret.understand.history_examples import as_examples, describe

    pairs: list[Any] = []
    if args.from_history or args.dry_run:
        try:
            pairs = history_pairs(config, session.macros.table(), items)
        except HistoryError as e:
            return _fail(str(e))
        if args.dry_run:
            print(describe(pairs))
            return 0
        print(f"from history: {sum(p.learned for p in pairs)} rephrasing(s) learned"
              + (f", {sum(not p.learned for p in pairs)} not (high risk or unclear)" if any(not p.learned for p in pairs)
                 else "")
              + "; `voxctl train --from-history --dry-run` lists them")
    learned = as_examples(pairs)
    try:
        backend, note = _lora_backend(args, config)
    except ValueError as e:
        return _fail(str(e))
    if note:
        print(note)
    with tempfile.TemporaryDirectory(prefix="voxctl-train-") as scratch:
        if args.lora != "only":
            code = _train_understanding(args, config, session, macros,
                                        _with_history(examples, items, learned, scratch), examples)
            if code:
                return code
    if backend is not None:
        base = Path(examples).expanduser().parent if examples else None
        return _train_lora(args, config, backend, [*items, *learned], session.macros, base)
    return 0


def _train_understanding(args: Any, config: Config, session: Any, macros: dict[str, Any], examples: str | None,
                         user_file: str | None) -> int:
    from voxctl.agent.interpret.grammar import GrammarInterpreter
    from voxctl.agent.interpret.understand.encoder import EncoderMissing
    from voxctl.agent.interpret.understand.train import train
    from voxctl.agent.interpret.understand.understander import shipped_model

    icfg = config.interpreter
    out = Path(args.out or icfg.understand_model or default_out()).expanduser()
    grammar = None if args.tiny else GrammarInterpreter(config, macros, spec=session.grammar)
    kw: dict[str, Any] = {"templates": {"intents": {}}, "negatives": TINY_NEGATIVES} if args.tiny else {}
    if getattr(args, "heard", None):
        try:
            kw["heard"] = [] if args.heard == "none" else list(
                yaml.safe_load(Path(args.heard).expanduser().read_text(encoding="utf-8")) or [])
        except (OSError, yaml.YAMLError) as e:
            return _fail(f"cannot read --heard {args.heard}: {e}")
    if getattr(args, "written", None):
        from voxctl.agent.interpret.understand.data_phrasings import read_lines

        try:
            kw["written"] = read_lines(args.written)
        except (OSError, ValueError) as e:
            return _fail(f"cannot read --written: {e}")
    try:
        figures = train(out, session.grammar, grammar, seed=args.seed, macros=macros, examples_path=examples,
                        epochs=args.epochs, **kw)
    except EncoderMissing as e:
        return _fail(str(e))
    except (OSError, ValueError, KeyError, TypeError) as e:
        why = str(e) if examples == user_file or not user_file else str(e).replace(str(examples), user_file)
        return _fail(f"cannot train: {why}")
    in_use = out.resolve() == Path(icfg.understand_model or shipped_model()).expanduser().resolve()
    print(f"wrote {out} in {figures['seconds']} s"
          + ("" if in_use else f"; to use it, set interpreter.understand_model: {out} in config.yaml"))
    return 0


def _train_lora(args: Any, config: Config, backend: str, items: list[dict[str, Any]], macros: Any,
                base: Path | None) -> int:
    import platformdirs

    from voxctl.agent.interpret.llm_loading import LlmLoadError
    from voxctl.agent.interpret.lora import LoraError, LoraOptions, lora_examples, train_lora

    cfg = getattr(config.interpreter, backend)
    out = Path(args.lora_out or cfg.adapter or Path(platformdirs.user_data_dir("voxctl")) / f"lora-{backend}")
    out = out.expanduser()
    try:
        examples = lora_examples(items, macros, base)
        figures = train_lora(backend, cfg, examples, out,
                             LoraOptions(epochs=args.lora_epochs, lr=args.lora_lr, seed=args.seed))
    except (LoraError, LlmLoadError) as e:
        return _fail(str(e))
    except (KeyError, TypeError) as e:
        return _fail(f"cannot read the examples file: {e!r} in an item")
    in_use = bool(cfg.adapter) and Path(cfg.adapter).expanduser().resolve() == out.resolve()
    print(f"wrote the LoRA adapter {out} in {figures['seconds']} s"
          + ("" if in_use else f"; to use it, set interpreter.{backend}.adapter: {out} in config.yaml"))
    return 0
