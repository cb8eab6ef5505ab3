"""A minimal column store for one chunk of generated records: named numpy arrays of equal length.

Codes are held as indexes into their code list (-1 = empty), dates as days (see dates.py),
facilities as indexes into the country's facility list.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class Frame:
    def __init__(self, **columns: np.ndarray) -> None:
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of unequal length: { {k: len(v) for k, v in columns.items()} }")
        self.columns: dict[str, np.ndarray] = {k: np.asarray(v) for k, v in columns.items()}

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __setitem__(self, name: str, values: np.ndarray) -> None:
        self.columns[name] = values

    def take(self, rows: np.ndarray) -> Frame:
        """The rows selected by a boolean mask or an index array."""
        return Frame(**{k: v[rows] for k, v in self.columns.items()})

    def sorted_by(self, *keys: str) -> Frame:
        """Rows ordered by `keys`, the first key most significant (stable)."""
        order = np.lexsort(tuple(self.columns[k] for k in reversed(keys)))
        return self.take(order)

    @staticmethod
    def concat(frames: Iterable[Frame]) -> Frame:
        frames = [f for f in frames if f.columns]
        if not frames:
            return Frame()
        names = list(frames[0].columns)
        return Frame(**{n: np.concatenate([f.columns[n] for f in frames]) for n in names})


def pick(rng: np.random.Generator, n: int, weights: dict[int, float] | list[float]) -> np.ndarray:
    """`n` draws of an index (or of the keys of `weights`) with the given relative weights."""
    if isinstance(weights, dict):
        keys = np.array(list(weights), dtype=np.int64)
        p = np.array(list(weights.values()), dtype=float)
    else:
        keys = np.arange(len(weights), dtype=np.int64)
        p = np.array(weights, dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def labels(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Identifiers such as C0000123: the prefix and the number padded with zeros to `width`."""
    if not len(numbers):
        return np.array([], dtype=str)
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width))
