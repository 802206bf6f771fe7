"""Near-duplicate documents: the same story syndicated by many sites, with another headline, other
boilerplate, or cut short.

Each document gets a MinHash signature (datasketch) over its 5-word shingles. Signatures are split
into bands; two documents that share a band are candidates, and a candidate is a copy when the
estimated Jaccard similarity is high, or when nearly all of the shorter text is contained in the
longer one (a copy cut short). The bands live in the database (``document_bands``), so a copy is
recognised whenever its original was ingested.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
BAND_ROWS = 3  # 42 bands of 3 rows: a pair with Jaccard 0.5 is a candidate 99.6% of the time, with
# 0.02 (two unrelated news stories) 0.03% of the time
SHINGLE_WORDS = 5
MIN_SHINGLES = 20  # shorter texts are too short to call copies by shingles
SAME_JACCARD = 0.8
SAME_CONTAINMENT = 0.8
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    signature: bytes  # NUM_PERM little-endian uint32 minimum hashes
    shingles: int  # how many distinct shingles the text has

    def bands(self) -> list[int]:
        """One 63-bit key per band (fits a signed BIGINT), band number included so bands never mix."""
        values = np.frombuffer(self.signature, dtype="<u4")
        keys = []
        for band, start in enumerate(range(0, NUM_PERM - NUM_PERM % BAND_ROWS, BAND_ROWS)):
            digest = hashlib.blake2b(values[start : start + BAND_ROWS].tobytes() + bytes([band]), digest_size=8)
            keys.append(int.from_bytes(digest.digest(), "little") >> 1)
        return keys

    def jaccard(self, other: Fingerprint) -> float:
        return float(np.mean(np.frombuffer(self.signature, "<u4") == np.frombuffer(other.signature, "<u4")))

    def is_copy_of(self, other: Fingerprint) -> bool:
        if min(self.shingles, other.shingles) < MIN_SHINGLES:
            return False
        jaccard = self.jaccard(other)
        if jaccard >= SAME_JACCARD:
            return True
        # |A ∩ B| = J / (1 + J) * (|A| + |B|); a copy cut short is mostly contained in the original.
        shared = jaccard / (1 + jaccard) * (self.shingles + other.shingles)
        return shared / min(self.shingles, other.shingles) >= SAME_CONTAINMENT


def fingerprint(text: str) -> Fingerprint:
    # Imported here: datasketch pulls in SciPy (~0.5 s), which commands that only read never need.
    from datasketch import MinHash

    words = WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch(list(shingles))
    return Fingerprint(signature=minhash.hashvalues.astype("<u4").tobytes(), shingles=len(shingles))
