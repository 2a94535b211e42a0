"""fingerprint: exact content hashes, and MinHash signatures with LSH banding, vectorised in numpy.

Everything works on a whole batch of documents at once, with no Python-level work per token:

1. the lowercased UTF-8 bytes of the batch are laid end to end in one ``uint8`` array; word
   bytes (ASCII letters, digits, ``_`` and non-ASCII letters; Unicode punctuation such as curly
   quotes and dashes is not a word byte) are found with one table lookup, token boundaries with
   one comparison of neighbours;
2. every token gets a polynomial hash of its bytes from one cumulative sum over the whole buffer
   (``sum b_j P^j``, taken modulo 2^32 and shifted back with the inverse power of ``P``), so a
   token hashes the same wherever it occurs;
3. word n-gram shingles combine ``n`` neighbouring token hashes with per-position multipliers and
   a 64-bit finaliser (murmur3 ``fmix64``);
4. signatures use one-permutation hashing with optimal densification (Shrivastava, ICML 2017):
   each shingle hash picks one of ``num_perm`` bins and keeps the minimum of its low 32 bits there
   (``np.minimum.at``); an empty bin copies the value of the first non-empty bin in a fixed
   pseudo-random probe sequence. Two signatures agree in a position with probability close to
   the Jaccard similarity of the shingle sets, as with ``num_perm`` independent permutations, at
   the cost of one hash per shingle instead of ``num_perm``.

Candidate pairs come from LSH bands, never from comparing all pairs. The scheme is deterministic:
same seed, same signatures, on every machine and in every batch.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"\w+")
_EMPTY = 0xFFFFFFFF
_MASK32 = np.uint64(0xFFFFFFFF)
_P = 0x01000193  # odd, so invertible modulo 2^32
_P_INV = pow(_P, -1, 1 << 32)
#: bytes a batch buffer holds before it is split (bounds memory: about 14 bytes per text byte)
_CHUNK_BYTES = 1 << 18
#: version of the signature scheme, stored with persisted signatures
SCHEME = "oph-densified-1"

Signatures = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

def _word_bytes(data: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Which bytes of UTF-8 ``data`` belong to words: ASCII letters, digits and "_", and every
    byte of a non-ASCII character (its punctuation is taken out afterwards); a few comparisons,
    about twice as fast as a 256-entry table lookup."""
    word: npt.NDArray[np.bool_] = (data | np.uint8(0x20)) - np.uint8(ord("a")) < np.uint8(26)  # letters
    word |= data - np.uint8(ord("0")) < np.uint8(10)
    word |= data == np.uint8(ord("_"))
    word |= data >= np.uint8(0x80)
    return word


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and whitespace normalised (exact duplicates)."""
    norm = " ".join(_WORD.findall(text.lower()))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=16).hexdigest()


def _fmix64(x: U64) -> U64:
    """murmur3's 64-bit finaliser, in place."""
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(33)
        x *= np.uint64(0xFF51AFD7ED558CCD)
        x ^= x >> np.uint64(33)
        x *= np.uint64(0xC4CEB9FE1A85EC53)
        x ^= x >> np.uint64(33)
    return x


class _Powers:
    """Powers of ``P`` and of its inverse modulo 2^32, grown on demand and shared."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pow = np.ones(0, dtype=np.uint32)
        self.inv = np.ones(0, dtype=np.uint32)

    def get(self, n: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
        if self.pow.size < n:
            with self.lock:
                size = max(n, 2 * self.pow.size, 4 * _CHUNK_BYTES)
                # pow[k] = P^(k+1); inv[k] = P^-k
                self.pow = np.cumprod(np.full(size, _P, dtype=np.uint32), dtype=np.uint32)
                inv = np.cumprod(np.full(size, _P_INV, dtype=np.uint32), dtype=np.uint32)
                self.inv = np.concatenate([np.ones(1, dtype=np.uint32), inv[:-1]])
        return self.pow, self.inv


_POWERS = _Powers()


@dataclass(frozen=True)
class Fingerprints:
    """Fingerprints of a batch of texts, row ``i`` for text ``i``."""

    #: MinHash signatures, ``num_perm`` uint32 per text (all ``0xFFFFFFFF`` for a text without words)
    signatures: Signatures
    #: 64-bit hash of the normalised word sequence (case, punctuation and spacing ignored); 0 if empty
    exact: U64
    #: number of word tokens
    tokens: npt.NDArray[np.int64]


@dataclass(frozen=True)
class MinHasher:
    """MinHash over word n-gram shingles. Same seed, same signatures, everywhere."""

    num_perm: int = 128
    shingle_size: int = 3
    seed: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.num_perm <= 1 << 15:
            raise ValueError(f"num_perm={self.num_perm!r} is invalid: expected 1 to 32768")
        if not 1 <= self.shingle_size <= 64:
            raise ValueError(f"shingle_size={self.shingle_size!r} is invalid: expected 1 to 64")
        rng = np.random.default_rng([self.seed, 0x5EED])
        mult = rng.integers(1, 1 << 63, size=self.shingle_size + 3, dtype=np.uint64) | np.uint64(1)
        object.__setattr__(self, "_mult", mult)
        # densification: probe sequence of bins for every bin, the same for all documents
        attempts = 64
        probes = rng.integers(0, self.num_perm, size=(attempts, self.num_perm), dtype=np.int64)
        object.__setattr__(self, "_probes", probes)

    # -- tokens and shingles ----------------------------------------------------------------

    def _tokenize(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
        """Token hashes of all texts laid end to end, and each text's first token index."""
        # bytes.lower() lowercases ASCII; only non-ASCII texts need str.lower()
        encoded = [t.encode("utf-8") if t.isascii() else t.lower().encode("utf-8") for t in texts]
        buf = (b"\n" + b"\n".join(encoded) + b"\n").lower()
        data = np.frombuffer(buf, dtype=np.uint8)
        word = _word_bytes(data)
        if data.max(initial=0) >= 0x80:
            _unicode_punctuation(data, word)
        edges = np.flatnonzero(word[1:] != word[:-1])
        starts, ends = edges[0::2], edges[1::2]  # byte before the token, last byte of the token
        pw, inv = _POWERS.get(data.size)
        with np.errstate(over="ignore"):
            acc = np.multiply(data, pw[: data.size], dtype=np.uint32)
            np.cumsum(acc, out=acc)
            tokens = (acc[ends] - acc[starts]) * inv[starts + 1]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        doc_starts = np.ones(len(encoded) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=doc_starts[1:])
        doc_starts[1:] += 1
        first = np.searchsorted(starts + 1, doc_starts[:-1] if len(encoded) else doc_starts)
        bounds = np.append(first, tokens.size) if len(encoded) else np.zeros(1, dtype=np.int64)
        return tokens, bounds.astype(np.int64)

    def _shingles(
        self, tokens: npt.NDArray[np.uint32], bounds: npt.NDArray[np.int64]
    ) -> tuple[U64, npt.NDArray[np.int64]]:
        """Shingle hashes of every document (in document order) and the count per document."""
        n = self.shingle_size
        mult: U64 = self._mult  # type: ignore[attr-defined]
        counts = np.diff(bounds)
        t64 = tokens.astype(np.uint64)
        total = t64.size
        with np.errstate(over="ignore"):
            if total >= n:
                width = total - n + 1
                sh = t64[:width] * mult[0]
                for k in range(1, n):
                    sh += t64[k : k + width] * mult[k]
                keep = np.ones(width, dtype=bool)
                for k in range(1, n):  # drop shingles that run into the next document
                    pos = bounds[1:] - k
                    ok = (pos >= bounds[:-1]) & (pos < width)
                    keep[pos[ok]] = False
                sh = sh[keep]
            else:
                sh = np.zeros(0, dtype=np.uint64)
            per_doc = np.maximum(counts - n + 1, 0)
            short = np.flatnonzero((counts > 0) & (counts < n))
            if short.size:  # a text shorter than n words is one shingle
                extra = np.zeros(short.size, dtype=np.uint64)
                for row, d in enumerate(short):
                    part = t64[bounds[d] : bounds[d + 1]]
                    extra[row] = np.sum(part * mult[: part.size], dtype=np.uint64)
                insert_at = np.cumsum(per_doc)[short] - per_doc[short]
                sh = np.insert(sh, insert_at, extra)
                per_doc[short] = 1
            sh += mult[n]
        return _fmix64(sh), per_doc

    def shingles(self, text: str) -> U64:
        """The distinct 64-bit shingle hashes of ``text`` (word n-grams; the whole text if shorter)."""
        tokens, bounds = self._tokenize([text])
        sh, _ = self._shingles(tokens, bounds)
        return np.unique(sh)

    # -- signatures -------------------------------------------------------------------------

    def signatures(self, texts: Sequence[str]) -> Signatures:
        """MinHash signatures, one row of ``num_perm`` uint32 per text (a batch at once)."""
        return self.fingerprints(texts).signatures

    def fingerprints(self, texts: Sequence[str]) -> Fingerprints:
        """Signatures, exact hashes and token counts of a batch of texts."""
        sigs = np.empty((len(texts), self.num_perm), dtype=np.uint32)
        exact = np.zeros(len(texts), dtype=np.uint64)
        ntok = np.zeros(len(texts), dtype=np.int64)
        if not texts:
            return Fingerprints(sigs, exact, ntok)
        # chunks of about _CHUNK_BYTES characters keep the working arrays in cache
        ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
        start = 0
        while start < len(texts):
            base = int(ends[start - 1]) if start else 0
            stop = max(start + 1, int(np.searchsorted(ends, base + _CHUNK_BYTES, side="right")))
            chunk = texts[start:stop]
            tokens, bounds = self._tokenize(chunk)
            sh, per_doc = self._shingles(tokens, bounds)
            sigs[start:stop] = self._from_shingle_hashes(sh, per_doc)
            exact[start:stop] = _sequence_hash(tokens, bounds)
            ntok[start:stop] = np.diff(bounds)
            start = stop
        return Fingerprints(sigs, exact, ntok)

    def signatures_from_shingles(self, shingle_sets: Sequence[U64]) -> Signatures:
        """Signatures from precomputed shingle hashes (as returned by :meth:`shingles`)."""
        per_doc = np.fromiter((s.size for s in shingle_sets), dtype=np.int64, count=len(shingle_sets))
        flat = np.concatenate(list(shingle_sets)) if shingle_sets else np.zeros(0, np.uint64)
        return self._from_shingle_hashes(flat.astype(np.uint64), per_doc)

    def _from_shingle_hashes(self, sh: U64, per_doc: npt.NDArray[np.int64]) -> Signatures:
        k = self.num_perm
        ndocs = per_doc.size
        out = np.full(ndocs * k, _EMPTY, dtype=np.uint32)
        if sh.size:
            with np.errstate(over="ignore"):
                bins = ((sh >> np.uint64(32)) * np.uint64(k)) >> np.uint64(32)
                docs = np.repeat(np.arange(ndocs, dtype=np.uint64), per_doc)
                slot = (docs * np.uint64(k) + bins).astype(np.intp)
            values = np.minimum(sh & _MASK32, np.uint64(_EMPTY - 1)).astype(np.uint32)
            np.minimum.at(out, slot, values)
        sigs = out.reshape(ndocs, k)
        self._densify(sigs, per_doc > 0)
        return sigs

    def _densify(self, sigs: Signatures, nonempty: npt.NDArray[np.bool_]) -> None:
        """Fill empty bins from the first non-empty bin of each bin's probe sequence (in place)."""
        k = self.num_perm
        flat = sigs.reshape(-1)
        where = np.flatnonzero(flat == _EMPTY)
        rows = where // k
        keep = nonempty[rows]
        where, rows = where[keep], rows[keep]
        if where.size == 0:
            return
        bins = where - rows * k
        base = rows * k
        orig = flat.copy()
        probes: npt.NDArray[np.int64] = self._probes  # type: ignore[attr-defined]
        for block in (probes[:4], probes[4:]):  # most bins are filled by the first probes
            values = orig[base[:, None] + block.T[bins]]
            ok = values != _EMPTY
            found = ok.any(axis=1)
            first = ok.argmax(axis=1)
            flat[where[found]] = values[found, first[found]]
            miss = ~found
            where, base, bins = where[miss], base[miss], bins[miss]
            if where.size == 0:
                return
        # very sparse texts: the next non-empty bin to the right, cyclically
        for pos, row_start, b in zip(where.tolist(), base.tolist(), bins.tolist(), strict=True):
            row = orig[row_start : row_start + k]
            full = np.flatnonzero(row != _EMPTY)
            flat[pos] = row[full[np.searchsorted(full, b) % full.size]]


def _sequence_hash(tokens: npt.NDArray[np.uint32], bounds: npt.NDArray[np.int64]) -> U64:
    """An order-sensitive 64-bit hash of each document's token sequence (0 for no tokens)."""
    ndocs = bounds.size - 1
    out = np.zeros(ndocs, dtype=np.uint64)
    if tokens.size == 0:
        return out
    counts = np.diff(bounds)
    docs = np.repeat(np.arange(ndocs), counts)
    pos = (np.arange(tokens.size, dtype=np.int64) - bounds[:-1][docs]).astype(np.uint64)
    with np.errstate(over="ignore"):
        x = tokens.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + pos * np.uint64(0xD6E8FEB86659FD93)
        _fmix64(x)
        nonempty = counts > 0
        sums = np.add.reduceat(x, bounds[:-1][nonempty]) if nonempty.any() else x[:0]
        out[nonempty] = sums + counts[nonempty].astype(np.uint64)
        _fmix64(out)
    out[~nonempty] = 0
    return out


def _unicode_punctuation(data: npt.NDArray[np.uint8], word: npt.NDArray[np.bool_]) -> None:
    """Mark UTF-8 sequences of Unicode punctuation (U+0080-U+00BF, U+2000-U+206F) as non-word."""
    lead = np.flatnonzero(data[:-2] == 0xE2)
    lead = lead[(data[lead + 1] == 0x80) | (data[lead + 1] == 0x81)]
    for k in range(3):
        word[lead + k] = False
    lead = np.flatnonzero(data[:-1] == 0xC2)
    for k in range(2):
        word[lead + k] = False


def estimate_jaccard(a: Signatures, b: Signatures) -> float:
    return float(np.mean(a == b))


def estimate_jaccard_rows(a: Signatures, b: Signatures) -> npt.NDArray[np.float64]:
    """Row-wise Jaccard estimates of two equally shaped signature matrices."""
    return np.asarray(np.count_nonzero(a == b, axis=1) / a.shape[1], dtype=np.float64)


def lsh_params(threshold: float, num_perm: int, fn_weight: float = 1.0) -> tuple[int, int]:
    """Bands and rows minimising false positives plus ``fn_weight`` times false negatives."""
    best, best_err = (1, num_perm), float("inf")
    xs = np.linspace(0.0, 1.0, 201)
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        if rows < 1:
            break
        prob = 1.0 - (1.0 - xs**rows) ** bands
        fp = float(np.trapezoid(np.where(xs < threshold, prob, 0.0), xs))
        fn = float(np.trapezoid(np.where(xs >= threshold, 1.0 - prob, 0.0), xs))
        if fp + fn_weight * fn < best_err:
            best, best_err = (bands, rows), fp + fn_weight * fn
    return best


def band_keys(signatures: Signatures, bands: int, rows: int) -> U64:
    """One 64-bit key per (text, band): equal keys mean equal bands (up to hash collisions)."""
    n = signatures.shape[0]
    out = np.zeros((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            acc = np.full(n, np.uint64(band + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for r in range(rows):
                acc = (acc ^ signatures[:, band * rows + r].astype(np.uint64)) * np.uint64(0x100000001B3)
            out[:, band] = _fmix64(acc)
    return out


def lsh_candidates(
    signatures: Signatures, bands: int, rows: int, max_bucket: int = 500
) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, that share at least one LSH band."""
    n = signatures.shape[0]
    pairs: set[tuple[int, int]] = set()
    if n < 2:
        return pairs
    empty = np.all(signatures == _EMPTY, axis=1)
    keys = band_keys(signatures, bands, rows)
    for band in range(bands):
        order = np.argsort(keys[:, band], kind="stable")
        sorted_keys = keys[order, band]
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
