"""The intent head on top of the sentence encoder: features, training, and the saved artifact.

Features of a sentence: its all-MiniLM-L6-v2 embedding (what it means) next to hashed word and word-pair
counts (which exact words it has: "zoom in" and "zoom out" embed close together). A small MLP maps them
to intent probabilities. The artifact is a folder: `head.npz` (the weights of an ensemble of 3 MLPs, ~2 MB) and
`meta.json` (intent names, the user's taught intents, slot frames, the calibrated threshold, and the
figures measured when it was trained), and `heard/` (a second head of the same shape, trained on the
recogniser's readings too: spoken.py says when it counts). Training and inference are numpy.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HASH_DIM = 1024
HIDDEN = 256
FORMAT = 2
ENSEMBLE = 3  # heads trained from different seeds: steadier, better calibrated
HEARD = "heard"  # the subfolder of the heard head: trained on the recogniser's readings too (data/heard.yaml)


def bag(words: list[str]) -> np.ndarray:
    v = np.zeros(HASH_DIM, dtype=np.float32)
    for w in words:
        v[zlib.crc32(w.encode()) % HASH_DIM] = 1.0
    for a, b in zip(words, words[1:], strict=False):
        v[zlib.crc32(f"{a} {b}".encode()) % HASH_DIM] = 1.0
    return v


EMBED_SCALE = 10.0  # unit-length embeddings next to 0/1 word features: scaled so that both count


def features(embeddings: np.ndarray, sentences_words: list[list[str]]) -> np.ndarray:
    return np.concatenate([embeddings * EMBED_SCALE, np.stack([bag(w) for w in sentences_words])], axis=1)


@dataclass
class Head:
    """An ensemble of MLPs (trained from different seeds); its probabilities are their average."""

    nets: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]  # (w1, b1, w2, b2) each
    labels: list[str]
    meta: dict[str, Any] = field(default_factory=dict)

    def probs(self, x: np.ndarray) -> np.ndarray:
        total = np.zeros((x.shape[0], len(self.labels)), dtype=np.float32)
        for w1, b1, w2, b2 in self.nets:
            z = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
            z = np.exp(z - z.max(-1, keepdims=True))
            total += z / z.sum(-1, keepdims=True)
        return total / len(self.nets)

    @property
    def threshold(self) -> float:
        return float(self.meta.get("threshold", 0.6))

    def save(self, folder: str | Path) -> Path:
        d = Path(folder)
        d.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for i, (w1, b1, w2, b2) in enumerate(self.nets):
            arrays.update({f"w1_{i}": w1.astype(np.float16), f"b1_{i}": b1, f"w2_{i}": w2.astype(np.float16),
                           f"b2_{i}": b2})
        np.savez_compressed(d / "head.npz", **arrays)
        (d / "meta.json").write_text(json.dumps({"format": FORMAT, "labels": self.labels, **self.meta}, indent=1,
                                                sort_keys=True) + "\n", encoding="utf-8")
        return d

    @classmethod
    def load(cls, folder: str | Path) -> Head:
        d = Path(folder)
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{d}: an understanding model of another format ({meta.get('format')}); run `voxctl train`")
        with np.load(d / "head.npz") as z:
            nets = [tuple(z[f"{n}_{i}"].astype(np.float32) for n in ("w1", "b1", "w2", "b2"))
                    for i in range(sum(1 for k in z.files if k.startswith("w1_")))]
        labels = meta.pop("labels")
        meta.pop("format", None)
        return cls(nets, labels, meta)  # type: ignore[arg-type]


def train_head(x: np.ndarray, y: np.ndarray, labels: list[str], seed: int = 0, epochs: int = 40,
               weights: np.ndarray | None = None, members: int = ENSEMBLE) -> Head:
    """ENSEMBLE MLPs, each from its own seed."""
    nets = [_train_one(x, y, len(labels), seed * 1000 + i, epochs, weights) for i in range(members)]
    return Head(nets, list(labels))


def _train_one(x: np.ndarray, y: np.ndarray, k: int, seed: int, epochs: int, weights: np.ndarray | None,
               batch: int = 64, lr: float = 2e-3) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fit one MLP: minibatch Adam on weighted cross-entropy, with dropout, in numpy (no torch needed)."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(seed)
    n, d = x.shape
    params = {"w1": rng.normal(0, np.sqrt(2 / d), (d, HIDDEN)).astype(np.float32), "b1": np.zeros(HIDDEN, np.float32),
              "w2": rng.normal(0, np.sqrt(1 / HIDDEN), (HIDDEN, k)).astype(np.float32), "b2": np.zeros(k, np.float32)}
    m = {p: np.zeros_like(v) for p, v in params.items()}
    v2 = {p: np.zeros_like(v) for p, v in params.items()}
    w = np.ones(n, np.float32) if weights is None else weights.astype(np.float32)
    x = x.astype(np.float32)
    step = 0
    with threadpool_limits(1, user_api="blas"):
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, batch):
                idx = order[start:start + batch]
                xb = x[idx] * (rng.random((len(idx), d)) > 0.1) / 0.9  # input dropout
                h = xb @ params["w1"] + params["b1"]
                mask = (h > 0) * (rng.random(h.shape) > 0.2) / 0.8  # ReLU, then dropout
                a = h * mask
                z = a @ params["w2"] + params["b2"]
                p = np.exp(z - z.max(1, keepdims=True))
                p /= p.sum(1, keepdims=True)
                p[np.arange(len(idx)), y[idx]] -= 1.0
                gz = (p * w[idx, None] / len(idx)).astype(np.float32)
                ga = gz @ params["w2"].T * mask
                grads = {"w2": a.T @ gz, "b2": gz.sum(0), "w1": xb.T @ ga, "b1": ga.sum(0)}
                step += 1
                for name, g in grads.items():
                    g = g + 1e-4 * params[name] if name.startswith("w") else g
                    m[name] = 0.9 * m[name] + 0.1 * g
                    v2[name] = 0.999 * v2[name] + 0.001 * g * g
                    mh = m[name] / (1 - 0.9 ** step)
                    vh = v2[name] / (1 - 0.999 ** step)
                    params[name] -= (lr * mh / (np.sqrt(vh) + 1e-8)).astype(np.float32)
    return params["w1"], params["b1"], params["w2"], params["b2"]
