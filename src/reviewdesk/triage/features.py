"""Feature code shared by training and inference, so what is trained is exactly what runs.

Pure numpy/scipy: no sklearn vectorizer at run time, no hashing collisions, no jieba. A text becomes
character 1..n grams (Chinese has no spaces; char n-grams carry most of the signal and need no
segmenter), looked up in a fixed vocabulary, weighted by sublinear TF-IDF and L2-normalised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from reviewdesk.triage.lexicons import LexiconEntry

MAX_CHARS = (
    2000  # a handful of reviews run to thousands of characters; the head carries the verdict
)

# Full-width ASCII (！-～) and the ideographic space fold to half-width; length is preserved, so
# offsets found in the normalised text are offsets in the original (evidence highlighting relies on it).
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalize(text: str) -> str:
    return text[:MAX_CHARS].translate(_FOLD).lower()


def char_ngrams(text: str, n_max: int) -> list[str]:
    """All 1..n_max grams, ordered by n then position (callers recover positions from the order)."""
    size = len(text)
    return [text[i : i + n] for n in range(1, n_max + 1) for i in range(size - n + 1)]


def gram_position(index: int, size: int) -> tuple[int, int]:
    """(start, n) of the gram at `index` in `char_ngrams(text, ·)` for a text of `size` chars."""
    n = 1
    while index >= size - n + 1:
        index -= size - n + 1
        n += 1
    return index, n


@dataclass
class NgramSpace:
    """Vocabulary + IDF. `transform` gives the L2-normalised sublinear TF-IDF matrix."""

    vocab: np.ndarray  # unicode strings, index = feature id
    idf: np.ndarray  # float32, same length
    n_max: int

    def __post_init__(self) -> None:
        self.index: dict[str, int] = {g: i for i, g in enumerate(self.vocab.tolist())}
        self.idf = self.idf.astype(np.float32)

    @property
    def size(self) -> int:
        return len(self.vocab)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """`texts` must already be `normalize`d."""
        get = self.index.get
        indptr = [0]
        cols: list[int] = []
        for text in texts:
            ids = [j for j in map(get, char_ngrams(text, self.n_max)) if j is not None]
            cols.extend(ids)
            indptr.append(len(cols))
        col = np.asarray(cols, dtype=np.int32)
        data = np.ones(len(col), dtype=np.float32)
        matrix = sp.csr_matrix(
            (data, col, np.asarray(indptr, dtype=np.int64)), shape=(len(texts), self.size)
        )
        matrix.sum_duplicates()  # counts per (doc, gram)
        matrix.data = (1.0 + np.log(matrix.data)) * self.idf[matrix.indices]
        return l2_normalize(matrix)


def l2_normalize(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scale = np.repeat(1.0 / norms, np.diff(matrix.indptr)).astype(np.float32)
    matrix.data = matrix.data * scale
    return matrix


def build_space(texts: Iterable[str], *, n_max: int, min_df: int, max_features: int) -> NgramSpace:
    """Grams in >= `min_df` documents, the `max_features` most frequent; smooth IDF as sklearn's."""
    df: Counter[str] = Counter()
    n_docs = 0
    for text in texts:
        df.update(set(char_ngrams(text, n_max)))
        n_docs += 1
    kept = [(g, c) for g, c in df.items() if c >= min_df]
    kept.sort(key=lambda gc: (-gc[1], gc[0]))  # deterministic: by frequency, then the gram
    kept = kept[:max_features]
    vocab = np.array([g for g, _ in kept], dtype=f"<U{n_max}")
    counts = np.array([c for _, c in kept], dtype=np.float64)
    idf = np.log((1.0 + n_docs) / (1.0 + counts)) + 1.0
    return NgramSpace(vocab=vocab, idf=idf.astype(np.float32), n_max=n_max)


class LexiconMatcher:
    """Weighted term lists -> dense features per label, and the hits for evidence.

    Features per label: log1p(sum of weights of terms present) and earliness (1 - first position /
    length), because the guideline's main cause is "usually first or longest".
    """

    def __init__(self, entries: Sequence[LexiconEntry], labels: Sequence[str], n_max: int) -> None:
        self.labels = list(labels)
        self.n_max = n_max
        self.short: dict[str, list[tuple[int, float]]] = {}
        self.long: list[tuple[str, int, float]] = []
        for e in entries:
            k = self.labels.index(e.label)
            if len(e.term) <= n_max:
                self.short.setdefault(e.term, []).append((k, e.weight))
            else:
                self.long.append((e.term, k, e.weight))

    @property
    def width(self) -> int:
        return 2 * len(self.labels)

    def hits(self, text: str) -> list[tuple[int, int, str, int, float]]:
        """(start, end, term, label index, weight) for each distinct term in a normalised text."""
        found: dict[str, int] = {}
        get = self.short.get
        size = len(text)
        for index, gram in enumerate(char_ngrams(text, self.n_max)):
            if get(gram) is not None and gram not in found:
                found[gram] = gram_position(index, size)[0]
        for term, _, _ in self.long:
            at = text.find(term)
            if at >= 0 and term not in found:
                found[term] = at
        out = [
            (at, at + len(t), t, k, w) for t, at in found.items() for k, w in self.short.get(t, [])
        ]
        out += [(found[t], found[t] + len(t), t, k, w) for t, k, w in self.long if t in found]
        return out

    def features(self, texts: Sequence[str]) -> np.ndarray:
        k = len(self.labels)
        out = np.zeros((len(texts), 2 * k), dtype=np.float32)
        for row, text in enumerate(texts):
            size = max(len(text), 1)
            first = [1.0] * k
            for start, _, _, label, weight in self.hits(text):
                out[row, label] += weight
                first[label] = min(first[label], start / size)
            out[row, k:] = [1.0 - f for f in first]
        out[:, :k] = np.log1p(out[:, :k])
        return out


def softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -30, 30))))
