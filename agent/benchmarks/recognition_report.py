"""The figures of `voxctl bench recognition` (recognition.py): per split, overall and per voice, and their
printout with every clip lost.
"""

from __future__ import annotations

from typing import Any

from voxctl.agent.benchmarks.stats import stats


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures of a split: overall and per voice."""

    def figures(rs: list[dict[str, Any]]) -> dict[str, Any]:
        cmds = [r for r in rs if r["kind"] == "command"]
        non = [r for r in rs if r["kind"] != "command"]
        rec = [r["recognition_ms"] for r in rs if "recognition_ms" in r]
        ref = [r["full_window_ms"] for r in rs if "full_window_ms" in r]
        paired = [r for r in rs if "recognition_ms" in r and "full_window_ms" in r]
        short = [r for r in paired if r["kind"] == "command" and 1.0 <= r["speech_s"] <= 3.0]
        exact = sum(r["exact"] for r in cmds)
        out: dict[str, Any] = {
            "commands": len(cmds), "exact": exact,
            "exact_pct": round(100 * exact / len(cmds), 1) if cmds else None,
            "non_commands": len(non), "false_actions": sum(r["false_action"] for r in non),
            "high_risk_false_actions": sum(r["high_risk"] for r in non),
            "duplicated": sum(r["duplicated"] for r in rs), "gated": sum(bool(r.get("gated")) for r in rs),
            "errors": sum("error" in r for r in rs),
            "recognition_ms": stats(rec), "full_window_ms": stats(ref),
        }
        if paired:
            out["ratio_total"] = round(sum(r["recognition_ms"] for r in paired)
                                       / max(1e-9, sum(r["full_window_ms"] for r in paired)), 3)
        if short:
            out["ratio_1_3s_commands"] = stats([r["recognition_ms"] / r["full_window_ms"] for r in short], 3)
        return out

    voices = sorted({r["voice"] for r in rows})
    per_voice = {v: figures([r for r in rows if r["voice"] == v]) for v in voices}
    pct = [f["exact_pct"] for f in per_voice.values() if f["exact_pct"] is not None]
    return {"overall": {**figures(rows), "worst_voice_exact_pct": min(pct) if pct else None},
            "voices": per_voice,
            "wrong": [r for r in rows if r.get("exact") is False or r.get("false_action") or r["duplicated"]
                      or "error" in r]}


def _print(split: str, s: dict[str, Any]) -> None:
    o = s["overall"]
    ratio = o.get("ratio_1_3s_commands", {})
    print(f"  [{split}] exact plans {o['exact']}/{o['commands']} = {o['exact_pct']}% (worst voice "
          f"{o['worst_voice_exact_pct']}%); false actions {o['false_actions']}/{o['non_commands']} (high risk "
          f"{o['high_risk_false_actions']}); duplicated {o['duplicated']}; errors {o['errors']}; recognition p50 "
          f"{o['recognition_ms'].get('p50')} ms vs full window p50 {o['full_window_ms'].get('p50')} ms: ratio "
          f"{o.get('ratio_total')} overall, 1-3 s commands p50 {ratio.get('p50')} / p95 {ratio.get('p95')}")
    for v, f in s["voices"].items():
        exact = f"{f['exact']}/{f['commands']} = {f['exact_pct']}%" if f["commands"] else "-"
        print(f"    {v:14} exact {exact:16} false {f['false_actions']}/{f['non_commands']}  dup "
              f"{f['duplicated']}  rec p50 {f['recognition_ms'].get('p50')} ms  full p50 "
              f"{f['full_window_ms'].get('p50')} ms")
    for r in s["wrong"]:  # every clip lost: what was said, what the recogniser read, what ran
        why = "false action" if r.get("false_action") else "duplicated" if r["duplicated"] else \
            "error" if "error" in r else "wrong plan" if r["actions"] else "no plan"
        ran = "; ".join(f"{a['tool']} {a.get('args', {})}" for a in r["actions"]) or r.get("reason", "")
        why += f" ({r['source']})" if r.get("source") not in (None, "grammar") and r["actions"] else ""
        print(f"    x {r['voice']:14} {why:12} said {r['say']!r} heard {r.get('heard', '')!r}"
              f"{' free ' + repr(r['free_text']) if r.get('free_text', r.get('heard')) != r.get('heard') else ''}"
              f" -> {ran[:160]}")
