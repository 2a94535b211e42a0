"""fingerprint: exact content hashes, and MinHash signatures with LSH banding, vectorised in numpy.

Tokens are hashed once (CRC32, stable across processes and machines); word n-gram shingles are
combined by a rolling polynomial in uint64; the K permutations ``(a*x + b) mod (2^61 - 1)`` are
applied to a whole batch of documents at once and reduced per document with
``np.minimum.reduceat``. Candidate pairs come from LSH bands grouped by sorting, never from
comparing all pairs.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_WORD = re.compile(r"\w+")
_EMPTY = np.uint64(0xFFFFFFFF)

Signatures = npt.NDArray[np.uint32]


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and whitespace normalised (exact duplicates)."""
    norm = " ".join(_WORD.findall(text.lower()))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class MinHasher:
    """MinHash over word n-gram shingles. Same seed, same signatures, everywhere."""

    num_perm: int = 128
    shingle_size: int = 3
    seed: int = 1

    def __post_init__(self) -> None:
        rng = np.random.RandomState(self.seed)
        a = rng.randint(1, 1 << 31, size=self.num_perm, dtype=np.int64).astype(np.uint64)
        b = rng.randint(0, 1 << 31, size=self.num_perm, dtype=np.int64).astype(np.uint64)
        object.__setattr__(self, "_a", a[:, None])
        object.__setattr__(self, "_b", b[:, None])
        object.__setattr__(self, "_vocab", {})

    def token_hashes(self, text: str) -> npt.NDArray[np.uint64]:
        vocab: dict[str, int] = self._vocab  # type: ignore[attr-defined]
        out = []
        for tok in _WORD.findall(text.lower()):
            h = vocab.get(tok)
            if h is None:
                h = zlib.crc32(tok.encode("utf-8"))
                if len(vocab) < 2_000_000:
                    vocab[tok] = h
            out.append(h)
        return np.asarray(out, dtype=np.uint64)

    def shingles(self, text: str) -> npt.NDArray[np.uint64]:
        """32-bit hashes of the word n-grams of ``text`` (the whole text if shorter than n)."""
        toks = self.token_hashes(text)
        n = self.shingle_size
        if toks.size == 0:
            return toks
        if toks.size < n:
            n = toks.size
        count = toks.size - n + 1
        acc = np.zeros(count, dtype=np.uint64)
        mult = np.uint64(1_000_003)
        with np.errstate(over="ignore"):
            for i in range(n):
                acc = acc * mult + toks[i : i + count]
            acc ^= acc >> np.uint64(32)
        return np.unique(acc & _MAX32)

    def signatures(self, texts: Sequence[str]) -> Signatures:
        """MinHash signatures, one row of ``num_perm`` uint32 per text (a batch at once)."""
        shingle_sets = [self.shingles(t) for t in texts]
        return self.signatures_from_shingles(shingle_sets)

    def signatures_from_shingles(self, shingle_sets: Sequence[npt.NDArray[np.uint64]]) -> Signatures:
        out = np.full((len(shingle_sets), self.num_perm), 0xFFFFFFFF, dtype=np.uint32)
        nonempty = [i for i, s in enumerate(shingle_sets) if s.size]
        if not nonempty:
            return out
        # process in chunks of about 2M shingles to bound memory
        start = 0
        while start < len(nonempty):
            stop, total = start, 0
            while stop < len(nonempty) and (
                total == 0 or total + shingle_sets[nonempty[stop]].size <= 2_000_000
            ):
                total += shingle_sets[nonempty[stop]].size
                stop += 1
            chunk = nonempty[start:stop]
            flat = np.concatenate([shingle_sets[i] for i in chunk])
            offsets = np.cumsum([0] + [shingle_sets[i].size for i in chunk[:-1]])
            with np.errstate(over="ignore"):
                hashed = ((self._a * flat[None, :] + self._b) % _MERSENNE) & _MAX32  # type: ignore[attr-defined]
            mins = np.minimum.reduceat(hashed, offsets, axis=1)
            out[chunk] = mins.T.astype(np.uint32)
            start = stop
        return out


def estimate_jaccard(a: Signatures, b: Signatures) -> float:
    return float(np.mean(a == b))


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows minimising false positives plus false negatives around ``threshold``."""
    best, best_err = (1, num_perm), float("inf")
    xs = np.linspace(0.0, 1.0, 201)
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        if rows < 1:
            break
        prob = 1.0 - (1.0 - xs**rows) ** bands
        fp = float(np.trapezoid(np.where(xs < threshold, prob, 0.0), xs))
        fn = float(np.trapezoid(np.where(xs >= threshold, 1.0 - prob, 0.0), xs))
        if fp + fn < best_err:
            best, best_err = (bands, rows), fp + fn
    return best


def lsh_candidates(
    signatures: Signatures, bands: int, rows: int, max_bucket: int = 500
) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, that share at least one LSH band."""
    n = signatures.shape[0]
    pairs: set[tuple[int, int]] = set()
    if n < 2:
        return pairs
    empty = np.all(signatures == 0xFFFFFFFF, axis=1)
    for band in range(bands):
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        keys = np.frombuffer(block.tobytes(), dtype=np.dtype((np.void, block.itemsize * rows))).copy()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        boundaries = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
        for group in np.split(order, boundaries):
            if len(group) < 2 or len(group) > max_bucket:
                continue
            members = sorted(int(g) for g in group if not empty[g])
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    pairs.add((i, j))
    return pairs


def jaccard_pairs(signatures: Signatures, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], float]:
    return {(i, j): estimate_jaccard(signatures[i], signatures[j]) for i, j in pairs}
