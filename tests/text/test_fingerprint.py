from __future__ import annotations

import re

import numpy as np

from storytrace.text.fingerprint import (
    MinHasher,
    _word_bytes,
    content_hash,
    estimate_jaccard,
    lsh_candidates,
    lsh_params,
)

BASE = (
    "the port authority said on monday that the new canal would carry eighteen million tonnes of cargo a year "
    "once it opens in april and that about twelve hundred workers would build it over five years"
)


def _true_jaccard(a: str, b: str, n: int = 3) -> float:
    def sh(t: str) -> set[str]:
        w = re.findall(r"\w+", t.lower())
        return {" ".join(w[i : i + n]) for i in range(len(w) - n + 1)}

    x, y = sh(a), sh(b)
    return len(x & y) / len(x | y)


def test_minhash_estimates_jaccard() -> None:
    hasher = MinHasher(num_perm=256)
    variants = [
        BASE,
        BASE.replace("monday", "tuesday"),
        BASE.replace("twelve hundred", "nine hundred") + " today",
        "a completely different text about football results in the league this weekend and the cup",
    ]
    sigs = hasher.signatures(variants)
    for k in range(1, len(variants)):
        assert abs(estimate_jaccard(sigs[0], sigs[k]) - _true_jaccard(BASE, variants[k])) < 0.1


def test_minhash_is_deterministic_and_batch_independent() -> None:
    a = MinHasher().signatures([BASE, "short text"])
    b = MinHasher().signatures(["short text"])
    assert np.array_equal(a[1], b[0])
    assert a.dtype == np.uint32 and a.shape == (2, 128)


def test_lsh_finds_near_duplicates_not_unrelated() -> None:
    docs = [
        BASE,
        BASE.replace("monday", "tuesday"),
        "football results from the league and the cup final on sunday "
        "as the home side won three goals to one in front of a record crowd at the old stadium",
        "",
    ]
    sigs = MinHasher().signatures(docs)
    bands, rows = lsh_params(0.5, 128)
    assert bands * rows <= 128
    assert lsh_candidates(sigs, bands, rows) == {(0, 1)}


def test_content_hash_ignores_case_and_punctuation() -> None:
    assert content_hash("The port, reopened!") == content_hash("the  port reopened")
    assert content_hash("The port reopened") != content_hash("The port closed")


def test_fingerprints_are_independent_of_batch_and_chunking() -> None:
    from storytrace.text import fingerprint

    texts = [f"{BASE} number {i} " * (3 + i % 7) for i in range(400)]
    hasher = MinHasher(num_perm=64, shingle_size=5)
    whole = hasher.fingerprints(texts)
    assert sum(map(len, texts)) > fingerprint._CHUNK_BYTES  # several chunks
    alone = hasher.fingerprints(texts[123:124])
    assert np.array_equal(whole.signatures[123], alone.signatures[0])
    assert whole.exact[123] == alone.exact[0]
    assert whole.tokens[123] == len(re.findall(r"\w+", texts[123]))


def test_exact_hash_ignores_case_punctuation_and_unicode_quotes() -> None:
    fp = MinHasher().fingerprints(
        [
            "\u201cThe port reopened,\u201d she said \u2014 at last.",
            'the PORT reopened" she   said - at last',
            "The port reopened, she said at last.",
            "The port closed, she said at last.",
            "",
        ]
    )
    assert fp.exact[0] == fp.exact[1] == fp.exact[2] != fp.exact[3]
    assert fp.exact[4] == 0 and fp.tokens[4] == 0
    assert np.all(fp.signatures[4] == 0xFFFFFFFF)


def test_short_texts_are_one_shingle_and_still_comparable() -> None:
    hasher = MinHasher(shingle_size=5)
    sigs = hasher.signatures(["port reopened", "Port reopened!", "port closed"])
    assert estimate_jaccard(sigs[0], sigs[1]) == 1.0
    assert estimate_jaccard(sigs[0], sigs[2]) < 0.1


def test_band_keys_equal_exactly_when_bands_equal() -> None:
    from storytrace.text.fingerprint import band_keys

    sigs = MinHasher().signatures([BASE, BASE.replace("monday", "tuesday"), BASE])
    keys = band_keys(sigs, 16, 8)
    assert np.array_equal(keys[0], keys[2])
    same_band = np.all(sigs[0].reshape(16, 8) == sigs[1].reshape(16, 8), axis=1)
    assert np.array_equal(keys[0] == keys[1], same_band)


def test_word_bytes_are_ascii_letters_digits_underscore_and_every_non_ascii_byte() -> None:
    every = np.arange(256, dtype=np.uint8)
    expected = [bytes([b]).isalnum() or b == ord("_") or b >= 0x80 for b in range(256)]
    assert _word_bytes(every).tolist() == expected
    text = "Zoë's_2nd take—on ‘it’".encode()
    marks = "".join("w" if w else "." for w in _word_bytes(np.frombuffer(text, dtype=np.uint8)))
    # ë is two bytes; the dash and curly quotes (three bytes each) are word bytes here and are taken
    # out afterwards as Unicode punctuation
    assert marks == "wwww" + "." + "wwwww" + "." + "wwww" + "www" + "ww" + "." + "www" + "ww" + "www"
