"""Summary figures of a list of timings, as the benchmarks report them."""

from __future__ import annotations

import statistics


def stats(values: list[float], digits: int = 1) -> dict[str, float]:
    """mean, p50, p95 and p99 (nearest rank), rounded to `digits`; {} for no samples."""
    if not values:
        return {}
    s = sorted(values)

    def rank(q: float) -> float:
        return round(s[min(len(s) - 1, int(q * len(s)))], digits)

    return {"mean": round(statistics.fmean(s), digits), "p50": rank(0.5), "p95": rank(0.95), "p99": rank(0.99),
            "n": len(s)}
