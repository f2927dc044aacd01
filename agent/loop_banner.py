"""What `voxctl listen` says at start-up: the banner of what is in use (config, macros, backend, speech and
where it runs, the names in Whisper's hint, the chords, the microphone, the desktop, how to confirm) and the
line that says it is ready. A part of `ListenLoop` (agent/loop.py): it reads the parts `start` made.
"""

from __future__ import annotations

import sys
from pathlib import Path


class LoopBanner:
    """`ListenLoop._banner` and the line on the hint's names (`_names_line`)."""

    def _banner(self, notes: list[str]) -> None:
        from voxctl.agent.listen.mic_devices import input_devices

        cfg = self.config
        mic = next((d["name"] for d in input_devices()
                    if d["index"] == self.recorder.device or (self.recorder.device is None and d["default"])),
                   "default input")
        from voxctl.agent.interpret.backends import BACKENDS

        backend = cfg.interpreter.backend
        llm_name = backend if BACKENDS[backend].llm else cfg.interpreter.llm_backend if backend == "hybrid" else None
        llm = getattr(cfg.interpreter, llm_name) if llm_name else None
        if llm is not None and llm.model:
            backend += f" ({llm.model})"
        asr = "Whisper tiny.en (bundled)" if cfg.asr.model == "bundled" else cfg.asr.model
        from voxctl.agent.config import source_of
        from voxctl.agent.macros import default_macros_path

        macros = Path(cfg.interpreter.macros_file or default_macros_path()).expanduser()
        n = len(self.agent.session.macros)
        # Where recognition really runs (asr.device auto resolves to the GPU when CUDA is seen).
        t = self.transcriber
        runs_on = f"{'GPU (CUDA)' if t.device == 'cuda' else 'CPU'}, {t.compute_type}" if t is not None else "?"
        asks = ", ".join(cfg.policy.confirm_tiers)
        owned = ("grabbed: only voxctl sees it" if self.hotkeys.backend == "x11 grab" else
                 "watched: the focused app sees it too")
        how = [w for w, on in (("voice", cfg.confirm.by_voice), ("Enter/Escape", cfg.confirm.by_keys),
                                ("console", sys.stdin.isatty())) if on]
        self.feedback.banner([
            ("config", source_of(cfg) or "none found: the defaults"),
            ("macros", f"{macros} ({n} macro{'s' if n != 1 else ''})" if macros.is_file() else
             f"none ({macros} does not exist)"),
            ("backend", backend), ("speech", f"{asr} on {runs_on}"), ("names", self._names_line()),
            ("talk", f"{cfg.hotkey.talk} ({cfg.hotkey.mode}; {owned})"), ("stop", cfg.hotkey.stop),
            ("microphone", f"{mic} ({self.recorder.rate} Hz)"),
            ("desktop", "dry run (nothing is touched)" if self.agent.dry_run else "real"),
            ("confirm", f"{asks} risk; answer by {', '.join(how)}; {cfg.confirm.timeout_s:g} s, then no"),
            ("history", str(self.agent.path)),
            *([("hands-free", self.voice.describe())] if self.voice is not None else []),
        ])
        for note in notes:
            self.feedback.note(note)
        left = self.agent.audit.unfinished()
        if left:
            self.feedback.note(f"{len(left)} run(s) were left unfinished by an earlier voxctl: see `voxctl resume`")
        if cfg.hotkey.mode == "always":
            self.feedback.console.print(f"Ready: listening; say {cfg.handsfree.sleep_phrases[0]!r} to pause, "
                                        f"{cfg.hotkey.talk} turns the microphone off and on. Ctrl+C quits.")
            return
        verb = "hold" if cfg.hotkey.mode == "hold" else "press"
        self.feedback.console.print(f"Ready: {verb} {cfg.hotkey.talk} and speak. Ctrl+C quits.")

    def _names_line(self) -> str:
        """The banner's line on the names given to Whisper's hint (hint_names)."""
        if not self.config.asr.vocabulary_bias:
            return "none (asr.vocabulary_bias: false)"
        apps, macros = self.vocabulary.get("apps", []), self.vocabulary.get("macros", [])
        shown = ", ".join(apps[:6]) + (", …" if len(apps) > 6 else "")
        titles = "; the open windows' titles, after each plan" if self.config.asr.hint_window_titles else ""
        return f"apps {shown or 'none'}; {len(macros)} macro{'s' if len(macros) != 1 else ''}{titles} (Whisper's hint)"
