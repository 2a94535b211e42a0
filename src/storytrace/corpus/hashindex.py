"""hashindex: the numpy containers of the streaming deduplicator (:mod:`storytrace.corpus.dedup`):
an open-addressing hash table vectorised over batches of keys, and growable arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt


class HashIndex:
    """An open-addressing hash table from non-zero integer keys to integer values, in numpy.

    Operations are vectorised over a whole batch of keys; linear probing, grown at 70% load.
    """

    def __init__(self, key_dtype: type[np.unsignedinteger[Any]] = np.uint64, capacity: int = 1 << 16) -> None:
        cap = 1 << max(4, (capacity - 1).bit_length())
        self.key_dtype = key_dtype
        self.keys = np.zeros(cap, dtype=key_dtype)
        self.values = np.full(cap, -1, dtype=np.int32 if key_dtype == np.uint32 else np.int64)
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def get_or_put(self, keys: npt.NDArray[Any], values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """For each key, the value already stored for it, or the value of an earlier equal key in
        this call; -1 where the key is new, in which case its value is stored."""
        keys = keys.astype(self.key_dtype, copy=True)
        keys[keys == 0] = 1  # 0 marks an empty slot
        n = keys.size
        result = np.full(n, -1, dtype=np.int64)
        if n == 0:
            return result
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        self._reserve(self.size + uniq.size)
        found = self._probe(uniq, values[first].astype(np.int64))
        result = found[inverse]
        # repeats of a key that was new in this call get the value of its first occurrence
        repeat = (found[inverse] == -1) & (np.arange(n) != first[inverse])
        result[repeat] = values[first[inverse[repeat]]]
        return result

    def _reserve(self, needed: int) -> None:
        if needed <= 0.7 * self.keys.size:
            return
        cap = self.keys.size
        while needed > 0.7 * cap:
            cap *= 2
        used = self.keys != 0
        old_keys, old_values = self.keys[used], self.values[used]
        self.keys = np.zeros(cap, dtype=self.key_dtype)
        self.values = np.full(cap, -1, dtype=self.values.dtype)
        self.size = 0
        self._probe(old_keys, old_values.astype(np.int64))

    def _probe(self, keys: npt.NDArray[Any], values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        mask = self.keys.size - 1
        mixed = keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        slot = (mixed >> np.uint64(20)).astype(np.int64) & mask
        out = np.full(keys.size, -1, dtype=np.int64)
        pending = np.arange(keys.size)
        while pending.size:
            s = slot[pending]
            present = self.keys[s]
            hit = present == keys[pending]
            out[pending[hit]] = self.values[s[hit]]
            empty = present == 0
            claim_slots, claim_first = np.unique(s[empty], return_index=True)
            winners = pending[empty][claim_first]
            self.keys[claim_slots] = keys[winners]
            self.values[claim_slots] = values[winners]
            self.size += winners.size
            settled = hit.copy()
            settled[np.flatnonzero(empty)[claim_first]] = True
            move = ~hit & ~empty  # occupied by another key: next slot
            slot[pending[move]] = (s[move] + 1) & mask
            pending = pending[~settled]
        return out


class Rows:
    """A growable matrix kept as fixed-size blocks (no copying when it grows)."""

    def __init__(self, width: int, dtype: type[np.generic], block: int = 1 << 16) -> None:
        self.width, self.dtype, self.block = width, dtype, block
        self.blocks: list[npt.NDArray[Any]] = []
        self.size = 0

    def append(self, rows: npt.NDArray[Any]) -> None:
        start = 0
        while start < rows.shape[0]:
            if not self.blocks or self.size == len(self.blocks) * self.block:
                self.blocks.append(np.empty((self.block, self.width), dtype=self.dtype))
            offset = self.size % self.block
            take = min(self.block - offset, rows.shape[0] - start)
            self.blocks[-1][offset : offset + take] = rows[start : start + take]
            self.size += take
            start += take

    def take(self, index: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
        out = np.empty((index.size, self.width), dtype=self.dtype)
        which = index // self.block
        for b in np.unique(which):
            sel = which == b
            out[sel] = self.blocks[int(b)][index[sel] % self.block]
        return out


class Column:
    """A growable 1-d array."""

    def __init__(self, dtype: type[np.generic], fill: float | int = 0) -> None:
        self.data = np.full(1 << 12, fill, dtype=dtype)
        self.fill = fill
        self.size = 0

    def extend(self, values: npt.NDArray[Any]) -> None:
        need = self.size + values.size
        if need > self.data.size:
            bigger = np.full(max(need, 2 * self.data.size), self.fill, dtype=self.data.dtype)
            bigger[: self.size] = self.data[: self.size]
            self.data = bigger
        self.data[self.size : need] = values
        self.size = need

    def view(self) -> npt.NDArray[Any]:
        return self.data[: self.size]
