"""Feature code shared by training and inference, so what is trained is exactly what runs.

Pure numpy/scipy: no sklearn vectorizer at run time, no jieba, no Python loop over n-grams. A batch
of texts is joined into one string, encoded as code points and mapped to small character ids; the
1..n grams of every position are packed into 64-bit integers (13 bits per character) and looked up
in an exact hash table (`GramTable`: a few open tables probed once each, keys compared in full, so
no hashing collisions). The result is one array of *occurrences* (doc, start, n, feature id) in
document order, from which the TF-IDF matrix, the lexicon hits and the evidence spans are all
derived without touching the texts again.

Weighting ("occurrence TF-IDF"): every occurrence of a gram contributes its IDF, so a document's
vector is raw count x IDF; it is divided by sqrt(sum over occurrences of IDF^2). This norm is
additive over occurrences, which lets the classifier score any suffix of a text (the clause after
"但是") from the occurrences it already has, without a second extraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import scipy.sparse as sp

try:  # the kernel behind scipy's CSR x dense product, without the matrix's construction checks
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover - a scipy that moved it: the public path below
    _csr_matvecs = None
FAST_CSR_KERNEL: Final = _csr_matvecs is not None

MAX_CHARS: Final = 2000  # a handful of reviews run to thousands of characters; the head decides
CHAR_BITS: Final = 13  # bits per character id in a packed gram key: 8,191 distinct characters
MAX_N: Final = 4  # 4 x 13 = 52 bits
SEPARATOR: Final = "\n"  # joins texts in a batch; normalisation removes it from the texts

# Full-width ASCII (！-～) and the ideographic space fold to half-width, line breaks and tabs to a
# space; length is preserved, so offsets found in the normalised text are offsets in the original
# (evidence highlighting relies on it).
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {
    0x3000: 0x20,
    0x0A: 0x20,
    0x0D: 0x20,
    0x09: 0x20,
    0x0B: 0x20,
    0x0C: 0x20,
    0x85: 0x20,
    0x2028: 0x20,
    0x2029: 0x20,
}
_HASH_MULTIPLIERS: Final = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD,
    0xC4CEB9FE1A85EC53,
)


def _fold_table() -> np.ndarray:
    table = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        c = chr(_FOLD.get(cp, cp))
        low = c.lower()
        table[cp] = ord(low) if len(low) == 1 else ord(c)  # "İ".lower() is two characters
    return table


FOLD_TABLE: Final = _fold_table()  # code point -> normalised code point (BMP; others unchanged)


@cache
def _fold_list() -> list[int]:
    """FOLD_TABLE for `str.translate` (one text: faster than the numpy round trip). A code point
    above the BMP raises IndexError, a LookupError, so translate leaves it unchanged, as
    fold_codes does."""
    table: list[int] = FOLD_TABLE.tolist()
    return table


def fold_codes(codes: np.ndarray) -> np.ndarray:
    return np.where(codes > 0xFFFF, codes, FOLD_TABLE[codes & 0xFFFF])


def normalize(text: str) -> str:
    """Half-width, lower case, one line; same length as `text[:MAX_CHARS]`."""
    codes = np.frombuffer(text[:MAX_CHARS].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return fold_codes(codes).tobytes().decode("utf-32-le", "surrogatepass")


_ONE_TO: Final = [list(range(1, k + 1)) for k in range(MAX_N + 1)]


def normalize_one(text: str) -> str:
    """`normalize` for one text with plain Python: the same string, without numpy calls."""
    return text[:MAX_CHARS].translate(_fold_list())


def pack_grams(ids: np.ndarray, n_max: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """For n = 1..n_max: (key of the n-gram starting at each position, valid mask).

    Used when building a vocabulary. `ids` are character ids with 0 for "no character" (separator,
    unknown); a gram is valid when none of its characters is 0. Keys of different n never collide
    because ids are >= 1.
    """
    ids64 = ids.astype(np.int64)
    out = [(ids64, ids64 > 0)]
    key, valid = ids64, ids64 > 0
    base = valid
    for n in range(2, n_max + 1):
        key = key[:-1] | (ids64[n - 1 :] << (CHAR_BITS * (n - 1)))
        valid = valid[:-1] & base[n - 1 :]
        out.append((key, valid))
    return out


class GramTable:
    """Exact lookup of (prefix feature id, next character id) -> feature id, vectorised.

    The vocabulary is a trie: an n-gram is found from the id of its (n-1)-gram prefix and its last
    character, packed in 32 bits. Keys hash (multiplicatively) to a bucket of `SLOTS` keys stored
    next to their ids in one 32-byte row, so a lookup is one gather and a compare; keys that
    overflow a full bucket go to a smaller table with another multiplier. Stored keys are compared
    in full, so the answer is exact.
    """

    SLOTS: Final = 4
    EMPTY: Final = 0xFFFFFFFF

    def __init__(self, keys: np.ndarray, ids: np.ndarray) -> None:
        keys = keys.astype(np.uint32)
        # per table: multiplier, shift, rows, and per row whether a key hashed there went on to
        # the next table (so a missing key stops at the first table whose row did not overflow)
        self.tables: list[tuple[np.uint64, np.uint64, np.ndarray, np.ndarray]] = []
        remaining = np.arange(len(keys), dtype=np.int64)
        for mult in _HASH_MULTIPLIERS:
            if len(remaining) == 0:
                break
            bits = max(int(np.ceil(np.log2(len(remaining) / 2))), 2)  # ~0.25-0.5 keys per slot
            m, shift = np.uint64(mult), np.uint64(64 - bits)
            buckets = self._bucket(keys[remaining], m, shift)
            order = np.argsort(buckets, kind="stable")  # earlier (more frequent) grams first
            sorted_b = buckets[order]
            rank = np.arange(len(order)) - np.searchsorted(sorted_b, sorted_b, side="left")
            fits = rank < self.SLOTS
            rows = np.full((1 << bits, 2 * self.SLOTS), self.EMPTY, dtype=np.uint32)
            placed = remaining[order[fits]]
            rows[sorted_b[fits], rank[fits]] = keys[placed]
            rows[sorted_b[fits], self.SLOTS + rank[fits]] = ids[placed]
            overflow = np.zeros(1 << bits, dtype=bool)
            overflow[sorted_b[~fits]] = True
            self.tables.append((m, shift, rows, overflow))
            remaining = np.sort(remaining[order[~fits]])
        if len(remaining):
            raise ValueError(f"{len(remaining)} gram keys could not be placed")

    @staticmethod
    def _bucket(keys: np.ndarray, mult: np.uint64, shift: np.uint64) -> np.ndarray:
        return ((keys.astype(np.uint64) * mult) >> shift).astype(np.intp)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Feature ids (int32, -1 when absent) of uint32 keys."""
        out = np.full(len(keys), -1, dtype=np.int32)
        rest: np.ndarray | None = None  # positions in `keys` of `k` (None: all of them)
        k = keys
        for mult, shift, table, overflow in self.tables:
            if len(k) == 0:
                break
            bucket = self._bucket(k, mult, shift)
            rows = np.take(table, bucket, axis=0)  # faster than table[bucket]
            found_u = np.full(len(k), self.EMPTY, dtype=np.uint32)
            for slot in range(self.SLOTS):  # column-wise: numpy reduces short rows slowly
                np.copyto(found_u, rows[:, self.SLOTS + slot], where=rows[:, slot] == k)
            found = found_u.view(np.int32)
            hit = found >= 0
            go_on = np.flatnonzero(~hit & np.take(overflow, bucket))
            if rest is None:
                out, rest = found, go_on
            else:
                out[rest[hit]] = found[hit]
                rest = rest[go_on]
            k = k[go_on]
        return out


@dataclass
class Occurrences:
    """Every vocabulary gram found in a batch, in document order (doc, then position, then n)."""

    n_docs: int
    starts: np.ndarray  # (n_docs,) offset of each document in `joined`
    lengths: np.ndarray  # (n_docs,) characters per (normalised) document
    joined: str  # the normalised texts, each followed by SEPARATOR
    doc: np.ndarray  # (m,) int64
    pos: np.ndarray  # (m,) int32 start offset inside its document
    n: np.ndarray  # (m,) int8 gram length
    fid: np.ndarray  # (m,) int32 feature id

    def indptr(self) -> np.ndarray:
        """(n_docs + 1,) int64: doc d's occurrences are [indptr[d], indptr[d + 1]) (`doc` is
        sorted: a binary search per document, not a pass over the occurrences)."""
        return np.searchsorted(self.doc, np.arange(self.n_docs + 1), side="left").astype(np.int64)


class NgramSpace:
    """Vocabulary + IDF over character 1..n_max grams, with the vectorised extractor."""

    def __init__(self, vocab: np.ndarray, idf: np.ndarray, n_max: int) -> None:
        if n_max > MAX_N:
            raise ValueError(f"n_max is at most {MAX_N}")
        self.vocab = vocab
        self.idf = idf.astype(np.float32)
        self.n_max = n_max
        grams = vocab.tolist()
        if len(grams) >= (1 << (32 - CHAR_BITS)) - 1:
            raise ValueError("vocabulary too large for 32-bit trie keys")
        chars = sorted({c for g in grams for c in g if ord(c) <= 0xFFFF})
        self._trie_dict: tuple[dict[int, int], list[int], list[int]] | None = None
        if len(chars) >= 1 << CHAR_BITS:
            raise ValueError("too many distinct characters for the gram key")
        self.char_ids = np.zeros(0x10000, dtype=np.int32)
        for i, c in enumerate(chars, start=1):
            self.char_ids[ord(c)] = i
        self.unigram = np.full(len(chars) + 1, -1, dtype=np.int32)  # char id -> feature id
        index = {g: i for i, g in enumerate(grams)}
        keys, ids = [], []
        for i, g in enumerate(grams):
            last = ord(g[-1]) if g else 0
            if not g or last > 0xFFFF or len(g) > n_max:
                continue
            if len(g) == 1:
                self.unigram[self.char_ids[last]] = i
                continue
            prefix = index.get(g[:-1])
            if prefix is None:
                raise ValueError(f"vocabulary is not prefix-closed: {g!r}")
            keys.append(prefix << CHAR_BITS | int(self.char_ids[last]))
            ids.append(i)
        self.table = GramTable(np.asarray(keys, dtype=np.uint32), np.asarray(ids, dtype=np.int32))

    @property
    def size(self) -> int:
        return len(self.vocab)

    def encode(self, texts: Sequence[str]) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
        """(joined normalised text, character ids, document starts, document lengths).

        Texts are cut at MAX_CHARS and normalised here, in one pass over the batch.
        """
        cut = [t[:MAX_CHARS] for t in texts]
        lengths = np.fromiter(map(len, cut), dtype=np.int64, count=len(cut))
        starts = np.zeros(len(cut), dtype=np.int64)
        if len(cut) > 1:
            np.cumsum(lengths[:-1] + 1, out=starts[1:])
        codes = fold_codes(
            np.frombuffer(
                (SEPARATOR.join(cut) + SEPARATOR).encode("utf-32-le", "surrogatepass"),
                dtype=np.uint32,
            )
        )
        codes[starts + lengths] = ord(SEPARATOR)
        joined = codes.tobytes().decode("utf-32-le", "surrogatepass")
        ids = self.char_ids[codes & 0xFFFF]
        ids[codes > 0xFFFF] = 0
        return joined, ids, starts, lengths

    def trie_dict(self) -> tuple[dict[int, int], list[int], list[int]]:
        """The trie as Python objects, for `occurrences_one_dict`: (key -> feature id of every
        key in `table`, unigram feature id per character id, character id per BMP code point).
        Built on first use (~0.5 s, ~25 MB): only processes that classify single reviews pay."""
        if self._trie_dict is None:
            keys, ids = [], []
            for _, _, rows, _ in self.table.tables:
                used = rows[:, : GramTable.SLOTS] != GramTable.EMPTY
                keys.append(rows[:, : GramTable.SLOTS][used])
                ids.append(rows[:, GramTable.SLOTS :][used])
            key, fid = np.concatenate(keys), np.concatenate(ids)
            # by feature id, i.e. by document frequency: the entries (and int objects) of the
            # common grams end up next to each other in memory (5-10% faster lookups)
            order = np.argsort(fid, kind="stable")
            found = dict(zip(key[order].tolist(), fid[order].tolist(), strict=True))
            self._trie_dict = (found, self.unigram.tolist(), self.char_ids.tolist())
        return self._trie_dict

    def occurrences_one_dict(self, norm: str) -> tuple[list[int], list[int], list[int]]:
        """`occurrences_one` with a dictionary lookup per gram instead of numpy calls: faster for
        a short text. The same trie walk: an n-gram is looked up (key: its (n-1)-gram's id and
        its last character's id) where its prefix was found and its last character is known."""
        keys, unigram, char_ids = self.trie_dict()
        ids = list(map(ord, norm.translate(char_ids)))
        if len(norm.encode("utf-16-le", "surrogatepass")) > 2 * len(
            norm
        ):  # characters beyond the BMP: id 0
            ids = [c if c < 1 << CHAR_BITS else 0 for c in ids]
        get = keys.get
        pos: list[int] = []
        ns: list[int] = []
        fids: list[int] = []
        add = fids.append
        longer = self.n_max - 1
        for i, c in enumerate(ids):
            f = unigram[c]
            if f < 0:
                continue
            add(f)
            k = 1  # grams found at i: n = 1..k (a prefix chain)
            for last in ids[i + 1 : i + 1 + longer]:
                if not last:
                    break
                found = get(f << CHAR_BITS | last)
                if found is None:
                    break
                f = found
                add(f)
                k += 1
            pos += [i] * k
            ns += _ONE_TO[k]
        return pos, ns, fids

    def occurrences_one(self, norm: str) -> tuple[list[int], list[int], np.ndarray]:
        """(start list, n list, feature ids int32) of every vocabulary gram of one normalised text
        (`normalize_one`), in the order of `occurrences` (position, then n): the same trie
        lookups as `occurrences` for a batch of one, in fewer numpy calls."""
        size = len(norm)
        codes = np.frombuffer(norm.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if (
            len(norm.encode("utf-16-le", "surrogatepass")) > 2 * size
        ):  # characters beyond the BMP: id 0
            ids = np.take(self.char_ids, codes & 0xFFFF)
            ids[codes > 0xFFFF] = 0
        else:
            ids = np.take(self.char_ids, codes)
        fids = np.full((size, self.n_max), -1, dtype=np.int32)
        current = np.take(self.unigram, ids)
        fids[:, 0] = current
        next_char = ids.astype(np.uint32)
        for n in range(2, min(self.n_max, size) + 1):
            where = np.flatnonzero((current[: size - n + 1] >= 0) & (next_char[n - 1 :] > 0))
            if not len(where):
                break
            keys = (np.take(current, where).astype(np.uint32) << CHAR_BITS) | np.take(
                next_char, where + (n - 1)
            )
            current = np.full(size, -1, dtype=np.int32)
            current[where] = self.table.lookup(keys)
            fids[:, n - 1] = current
        flat = fids.ravel()
        at = np.flatnonzero(flat >= 0)
        position, n_minus_1 = np.divmod(at, self.n_max)
        return position.tolist(), (n_minus_1 + 1).tolist(), np.take(flat, at)

    def occurrences(self, texts: Sequence[str]) -> Occurrences:
        """All vocabulary grams of `texts` (normalised here)."""
        joined, ids, starts, lengths = self.encode(texts)
        size = len(ids)
        fids = np.full((size, self.n_max), -1, dtype=np.int32)
        current = self.unigram[ids]
        current[ids == 0] = -1
        fids[:, 0] = current
        next_char = ids.astype(np.uint32)
        for n in range(2, self.n_max + 1):
            where = np.flatnonzero(current[: size - n + 1] >= 0)
            where = where[next_char[where + n - 1] > 0]
            keys = (current[where].astype(np.uint32) << CHAR_BITS) | next_char[where + n - 1]
            current = np.full(size, -1, dtype=np.int32)
            current[where] = self.table.lookup(keys)
            fids[:, n - 1] = current
        flat = fids.ravel()
        at = np.flatnonzero(flat >= 0)
        position, n_minus_1 = np.divmod(at, self.n_max)
        doc_of_char = np.repeat(np.arange(len(texts), dtype=np.int64), lengths + 1)
        doc = doc_of_char[position]
        return Occurrences(
            n_docs=len(texts),
            starts=starts,
            lengths=lengths,
            joined=joined,
            doc=doc,
            pos=(position - starts[doc]).astype(np.int32),
            n=(n_minus_1 + 1).astype(np.int8),
            fid=flat[at],
        )

    def matrix(
        self, occ: Occurrences, *, scale: np.ndarray | None = None, merge: bool = False
    ) -> sp.csr_matrix:
        """Occurrence TF-IDF (optionally x `scale` per feature, as NB-LR wants), each row divided by
        sqrt(sum over its occurrences of value^2); `merge` sums duplicate (doc, gram) entries."""
        value = self.idf[occ.fid] if scale is None else self.idf[occ.fid] * scale[occ.fid]
        norm2 = np.bincount(occ.doc, weights=value.astype(np.float64) ** 2, minlength=occ.n_docs)
        norm2[norm2 == 0] = 1.0
        data = (value / np.sqrt(norm2)[occ.doc]).astype(np.float32)
        indices = occ.fid.copy() if merge else occ.fid  # sum_duplicates sorts them in place
        x = sp.csr_matrix((data, indices, occ.indptr()), shape=(occ.n_docs, self.size))
        if merge:
            x.sum_duplicates()
        return x

    def transform(self, norm_texts: Sequence[str]) -> sp.csr_matrix:
        return self.matrix(self.occurrences(norm_texts), merge=True)


def build_space(
    norm_texts: Sequence[str],
    *,
    n_max: int,
    min_df: int,
    max_features: int,
    extra_grams: Sequence[str] = (),
) -> NgramSpace:
    """Grams in >= `min_df` documents, the `max_features` most frequent (ties by key), plus
    `extra_grams` (lexicon terms, so their hits come out of the same lookup); smooth IDF as sklearn.
    """
    chars = sorted({c for t in norm_texts for c in t if ord(c) <= 0xFFFF and c != " "})
    probe = NgramSpace(np.array(chars, dtype="<U1"), np.ones(len(chars)), 1)
    _, ids, _, lengths = probe.encode(norm_texts)
    doc_of_char = np.repeat(np.arange(len(norm_texts), dtype=np.int64), lengths + 1)
    all_keys, all_df = [], []
    for key, valid in pack_grams(ids, n_max):
        where = np.flatnonzero(valid)
        k, d = key[where], doc_of_char[where]
        order = np.lexsort((d, k))
        k, d = k[order], d[order]
        first = np.ones(len(k), dtype=bool)
        first[1:] = (k[1:] != k[:-1]) | (d[1:] != d[:-1])
        keys, df = np.unique(k[first], return_counts=True)
        keep = df >= min_df
        all_keys.append(keys[keep])
        all_df.append(df[keep])
    keys = np.concatenate(all_keys)
    df = np.concatenate(all_df)
    n_of = np.concatenate([np.full(len(k), n, dtype=np.int64) for n, k in enumerate(all_keys, 1)])
    # df(gram) <= df(its prefix) and the prefix is shorter, so this order keeps the vocabulary
    # prefix-closed (the trie lookup needs every prefix of a kept gram)
    order = np.lexsort((keys, n_of, -df))[:max_features]
    grams = _unpack(keys[order], chars)
    df = df[order]
    present = set(grams)
    with_prefixes = [t[:i] for t in extra_grams for i in range(1, len(t) + 1)]
    extra = [
        g
        for g in dict.fromkeys(with_prefixes)
        if g not in present and 0 < len(g) <= n_max and set(g) <= set(chars)
    ]
    if extra:
        grams += extra
        df = np.concatenate([df, np.asarray(_document_frequency(extra, norm_texts), np.int64)])
    n_docs = len(norm_texts)
    idf = np.log((1.0 + n_docs) / (1.0 + df.astype(np.float64))) + 1.0
    width = max((len(g) for g in grams), default=1)
    return NgramSpace(vocab=np.array(grams, dtype=f"<U{width}"), idf=idf, n_max=n_max)


def _unpack(keys: np.ndarray, chars: Sequence[str]) -> list[str]:
    mask = (1 << CHAR_BITS) - 1
    out = []
    for packed in keys.tolist():
        gram = []
        rest = packed
        while rest:
            gram.append(chars[(rest & mask) - 1])
            rest >>= CHAR_BITS
        out.append("".join(gram))
    return out


def _document_frequency(terms: Sequence[str], texts: Sequence[str]) -> list[int]:
    joined = SEPARATOR.join(texts)
    starts = np.cumsum([0] + [len(t) + 1 for t in texts])
    out = []
    for term in terms:
        docs: set[int] = set()
        at = joined.find(term)
        while at >= 0:
            docs.add(int(np.searchsorted(starts, at, side="right")) - 1)
            at = joined.find(term, at + 1)
        out.append(len(docs))
    return out


def find_all(joined: str, starts: np.ndarray, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(doc, offset in doc) of every occurrence of `term` in a batch's joined text."""
    found = []
    at = joined.find(term)
    while at >= 0:
        found.append(at)
        at = joined.find(term, at + 1)
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    where = np.asarray(found, dtype=np.int64)
    doc = np.searchsorted(starts, where, side="right") - 1
    return doc, (where - starts[doc]).astype(np.int32)


def csr_dot(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, dense: np.ndarray
) -> np.ndarray:
    """(rows, k) float32 = CSR(indptr, indices, data) @ dense (float32, C order).

    Calls scipy's own CSR kernel directly: building a `csr_matrix` validates its arrays, which
    cost ~35 us, more than the product for one review. Same kernel, so the same floats."""
    n_rows = len(indptr) - 1
    out = np.zeros((n_rows, dense.shape[1]), dtype=np.float32)
    if _csr_matvecs is not None and dense.dtype == np.float32 and dense.flags.c_contiguous:
        try:
            _csr_matvecs(
                n_rows,
                dense.shape[0],
                dense.shape[1],
                indptr.astype(indices.dtype, copy=False),
                indices,
                data.astype(np.float32, copy=False),
                dense.ravel(),
                out.ravel(),
            )
            return out
        except (TypeError, ValueError):  # pragma: no cover - signature changed: public path
            pass
    x = sp.csr_matrix((data, indices, indptr), shape=(n_rows, dense.shape[0]))
    return np.asarray(x @ dense, dtype=np.float32)


def softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -30, 30))))
