"""Lexicon terms found in a whole batch at once, from the n-gram occurrences already extracted.

A term that is a vocabulary gram is found through its feature id (one gather over the
occurrences); a longer or unseen term through `str.find` over the batch's joined text. The result
is three arrays (doc, start, term) with each distinct term once per document at its first position,
from which the per-label lexicon features and the lexicon evidence are computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reviewdesk.triage.features import MAX_CHARS, NgramSpace, Occurrences, find_all
from reviewdesk.triage.lexicons import LexiconEntry


@dataclass
class LexiconHits:
    doc: np.ndarray  # int64
    pos: np.ndarray  # int32
    term: np.ndarray  # int32 index into LexiconIndex.terms


class LexiconIndex:
    """Weighted term lists of several heads over one n-gram space.

    Columns: the labels of every head in order (cause labels, then severity labels). Features per
    head, as before: log1p(sum of weights of distinct terms present) per label, then earliness
    (1 - first position / length) per label, because the guideline's main cause is "usually first".
    """

    def __init__(
        self, space: NgramSpace, heads: Sequence[tuple[Sequence[LexiconEntry], Sequence[str]]]
    ) -> None:
        self.terms: list[str] = []
        index: dict[str, int] = {}
        self.slices: list[slice] = []
        cells: dict[tuple[int, int], float] = {}
        column = 0
        for entries, labels in heads:
            for e in entries:
                t = index.setdefault(e.term, len(index))
                if t == len(self.terms):
                    self.terms.append(e.term)
                cells[(t, column + list(labels).index(e.label))] = (
                    cells.get((t, column + list(labels).index(e.label)), 0.0) + e.weight
                )
            self.slices.append(slice(column, column + len(labels)))
            column += len(labels)
        self.width = column
        if len(self.terms) >= 1 << 20 or MAX_CHARS >= 1 << 16:
            raise ValueError("lexicon too large for the hits' sort key")
        self.weights = np.zeros((len(self.terms), column), dtype=np.float32)
        for (t, c), w in cells.items():
            self.weights[t, c] = w
        self.has_label = self.weights > 0
        # output columns per head: its label sums, then its label earliness
        sum_columns: list[int] = []
        first_columns: list[int] = []
        for sl in self.slices:
            at = len(sum_columns) + len(first_columns)
            sum_columns += range(at, at + sl.stop - sl.start)
            first_columns += range(at + sl.stop - sl.start, at + 2 * (sl.stop - sl.start))
        self._sum_columns = np.asarray(sum_columns, dtype=np.intp)
        self._first_columns = np.asarray(first_columns, dtype=np.intp)
        self.term_length = [len(t) for t in self.terms]
        vocab = {g: i for i, g in enumerate(space.vocab.tolist())}
        self.term_of_fid = np.full(space.size, -1, dtype=np.int32)
        self.unseen: list[tuple[int, str]] = []  # terms not in the vocabulary: found by str.find
        for t, term in enumerate(self.terms):
            fid = vocab.get(term)
            if fid is None:
                self.unseen.append((t, term))
            else:
                self.term_of_fid[fid] = t

    def hits(self, occ: Occurrences) -> LexiconHits:
        term = self.term_of_fid[occ.fid]
        at = np.flatnonzero(term >= 0)
        docs, poss, terms = [occ.doc[at]], [occ.pos[at]], [term[at]]
        for t, text in self.unseen:
            doc, pos = find_all(occ.joined, occ.starts, text)
            if len(doc):
                docs.append(doc)
                poss.append(pos)
                terms.append(np.full(len(doc), t, dtype=np.int32))
        doc, pos, term = np.concatenate(docs), np.concatenate(poss), np.concatenate(terms)
        # by doc, term, position: one int64 key (terms < 2^20, positions < 2^16)
        order = np.argsort((doc << 36) | (term.astype(np.int64) << 16) | pos)
        doc, pos, term = doc[order], pos[order], term[order]
        first = np.ones(len(doc), dtype=bool)
        first[1:] = (doc[1:] != doc[:-1]) | (term[1:] != term[:-1])
        return LexiconHits(doc[first], pos[first].astype(np.int32), term[first])

    def features(self, hits: LexiconHits, lengths: np.ndarray) -> np.ndarray:
        """(n_docs, 2 * width) float32: per head [log1p(weight sums), earliness].

        `hits` are sorted by doc and distinct per (doc, term), so both are per-doc reductions
        over the hits' rows (no sparse matrix: its construction dominated a single review)."""
        out = np.zeros((len(lengths), 2 * self.width), dtype=np.float32)
        if not len(hits.doc):
            return out
        new = np.ones(len(hits.doc), dtype=bool)
        new[1:] = hits.doc[1:] != hits.doc[:-1]
        starts = np.flatnonzero(new)
        docs = hits.doc[starts][:, None]
        sums = np.add.reduceat(self.weights[hits.term], starts, axis=0)
        rel = hits.pos / np.maximum(lengths[hits.doc], 1)
        val = np.where(self.has_label[hits.term], rel[:, None], 1.0).astype(np.float32)
        first = np.minimum.reduceat(val, starts, axis=0)  # all <= 1: no hit of a label is 1
        out[docs, self._sum_columns] = np.log1p(sums)
        out[docs, self._first_columns] = 1.0 - first
        return out
