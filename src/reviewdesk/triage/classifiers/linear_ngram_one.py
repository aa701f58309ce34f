"""One review through `LinearNgramClassifier` without the batch machinery.

`classify_batch` makes ~300 numpy calls per batch whatever its size: ~1 ms for one review, most of
it call overhead. `classify_one` computes the same result for one text with about a third of them
(82 against 275 numpy functions per text, ufunc operators not counted), and plain Python where a
review has only a handful of items (the grams of a short text: one dictionary lookup each;
lexicon hits; evidence candidates; risk and cause rules).

The result is bit for bit `classify_batch([text], [context])[0]`, because every float comes from
the same operations on the same values in the same order:
- float32 products and sums, exp, log1p, softmax and the scipy/BLAS products stay numpy calls on
  arrays of the same shapes and dtypes as in a batch of one;
- the per-document sums of `np.bincount(..., weights=...)` (sequential, in float64) are the same
  call over one document (`_seqsum`), never `np.sum` (pairwise) or `math.fsum`;
- 1 / sqrt in float64 rounded to float32 (`_inv_sqrt`), divisions and comparisons in float64, as
  numpy does them on float64 arrays; Python floats are IEEE doubles;
- orderings (evidence ranking, lexicon hits) reproduce the stable sorts of the batch code.
Skipped work never feeds the result: the contrast clause of a review rated good (the
hidden-complaint rule replaces it), evidence of nothing.

`tests/triage/test_classify_one.py` compares both paths on realistic texts and contexts, floats
included. A change to the batch arithmetic must be made here too; that test says where.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from reviewdesk.triage.classifiers.linear_ngram import (
    _BAD_RESULTS,
    _EMPTY,
    CAUSE_RULES,
    CONTRAST,
    EVIDENCE_GRAMS,
    EVIDENCE_SHARE,
    HEADS,
    _guideline_severity,
)
from reviewdesk.triage.features import (
    MAX_CHARS,
    MAX_N,
    SEPARATOR,
    csr_dot,
    normalize_one,
    softmax,
)
from reviewdesk.triage.hidden_complaints import DROPPED_PRAISE
from reviewdesk.triage.types import Span, TriageContext, TriageResult

# Texts up to this length are read with a dictionary lookup per gram (`trie_dict`), longer ones
# with numpy's trie lookup, faster beyond ~130-150 characters on this machine (docs/triage.md).
DICT_MAX_CHARS = 140

if TYPE_CHECKING:
    from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier


@dataclass
class _Text:
    """One scored text: `LinearNgramClassifier.score` for a batch of one, as Python values."""

    raw: str
    joined: str  # normalised text + SEPARATOR, as the batch's joined text
    length: int  # characters of the normalised (cut) text
    pos: list[int]  # per occurrence: start
    n: list[int]  # per occurrence: gram length
    fid: np.ndarray  # per occurrence: feature id (int32)
    idf2: np.ndarray  # per occurrence: IDF^2 (float32 product)
    norm2: float
    data: np.ndarray  # per occurrence: TF-IDF value (float32)
    hits: list[tuple[int, int]]  # (lexicon term, first start), by term
    heads: list[list[float]]  # per head (HEADS order): probabilities
    table: np.ndarray  # per occurrence: its row of the sentiment table (m, 4) float32
    row: int  # row of the sentiment tables (0: shared weights)
    contrib: np.ndarray  # per occurrence: contribution to the complaint logit (float32)
    logit: float
    complaint: float
    tail: float = -1.0  # P(complaint) of the clause after the last contrast word, or -1
    tail_start: int = -1


def _seqsum(values: np.ndarray) -> float:
    """The weights' sum as `np.bincount` makes a document's (sequential, float64)."""
    doc = _ZEROS[: len(values)] if len(values) <= len(_ZEROS) else np.zeros(len(values), np.intp)
    return float(np.bincount(doc, weights=values, minlength=1)[0])


_ZEROS = np.zeros(MAX_CHARS * MAX_N, dtype=np.intp)  # every occurrence of a text in document 0


def _inv_sqrt(norm2: float) -> np.float32:
    """`linear_ngram._inv_sqrt` of one value."""
    return np.float32(1.0 / math.sqrt(norm2 if norm2 != 0 else 1.0))


def _sigmoid(x: float) -> float:
    """`features.sigmoid` of a batch of one: numpy's exp on a float64 array of length 1."""
    clipped = min(max(x, -30.0), 30.0)
    return 1.0 / (1.0 + float(np.exp(np.array([-clipped]))[0]))


def _span(start: int, end: int, text: str, reason: str, source: str) -> Span:
    return tuple.__new__(Span, (start, end, text, reason, source))


def _last_contrast(joined: str) -> tuple[int, int] | None:
    last = None
    for last in CONTRAST.finditer(joined):  # noqa: B007 - the last match is wanted
        pass
    return None if last is None else last.span()


def classify_one(
    clf: LinearNgramClassifier, text: str, context: TriageContext | None
) -> TriageResult:
    """`clf.classify_batch([text], [context])[0]`."""
    ctx = context or _EMPTY
    raw = text or ""
    known = clf.category_index(ctx.category)
    good = ctx.result == "good"
    main = _score(clf, raw, known, contrast=not good)
    if good:
        p = _good(clf, main)
        from_tail = main.tail_start >= 0
    else:
        p = max(main.complaint, main.tail)
        from_tail = main.tail > main.complaint
    own = p if good else main.complaint
    labels = [h.index(max(h)) for h in main.heads]  # the first maximum, as argmax
    probs = [h[k] for h, k in zip(main.heads, labels, strict=True)]
    rule = _cause_rule(main.joined)
    cause_k = clf._cause_index
    if rule is not None:
        labels[0] = cause_k[rule[0]]
        probs[0] = main.heads[0][labels[0]]
    side = None
    switch = False
    if ctx.followup:
        side = _score(clf, ctx.followup, known, contrast=not good)
        pf = _good(clf, side) if good else max(side.complaint, side.tail)
        better = pf > p
        switch = better and pf >= 0.5 and own < 0.5
        if better:
            from_tail = False
        p = max(p, pf)
        if switch:
            labels = [h.index(max(h)) for h in side.heads]
            probs = [h[k] for h, k in zip(side.heads, labels, strict=True)]
    is_complaint = p >= 0.5 or ctx.result in _BAD_RESULTS
    flags = clf._risk.flags_one(
        raw=raw,
        joined=main.joined,
        context=ctx,
        is_complaint=is_complaint,
        fu_joined=None if side is None else side.joined,
    )
    ev = _evidence(clf, ctx, main, side if switch else None, labels, from_tail=from_tail)
    if rule is not None and not switch:
        start, end = rule[1], rule[2]
        ev["cause"].append(_span(start, end, raw[start:end], f"rule:{rule[0]}", "review"))
    cause_names, sev_names = clf._labels
    cause = cause_names[labels[0]]
    for flag, flag_spans in flags.items():
        ev[f"risk:{flag}"] = flag_spans
    return TriageResult(
        is_complaint=is_complaint,
        complaint_probability=p,
        cause=cause,
        cause_probability=probs[0],
        severity=_guideline_severity(flags, cause, sev_names[labels[1]]),
        severity_probability=probs[1],
        risk_flags=sorted(flags),
        evidence=ev,
        model_name=clf.name,
        model_version=clf.version,
    )


def _cause_rule(joined: str) -> tuple[str, int, int] | None:
    """(cause, start, end) of the first CAUSE_RULES match (first rule wins), or None."""
    for name, pattern in CAUSE_RULES:
        m = pattern.search(joined)
        if m is not None:
            return name, m.start(), m.end()
    return None


# -- scoring -----------------------------------------------------------------------------------
def _score(clf: LinearNgramClassifier, raw: str, known: int, *, contrast: bool) -> _Text:
    """`clf.score([raw], categories=[known] or None, contrast=contrast)` (`known` -1: unknown)."""
    space = clf.model.space
    norm = normalize_one(raw)
    if len(norm) <= DICT_MAX_CHARS:
        pos, ns, fid_list = space.occurrences_one_dict(norm)
        fid = np.array(fid_list, dtype=np.int32)
    else:
        pos, ns, fid = space.occurrences_one(norm)
    idf = np.take(space.idf, fid)
    idf2 = idf * idf
    norm2 = _seqsum(idf2)
    inv_a = _inv_sqrt(norm2)
    data = idf * inv_a
    joined = norm + SEPARATOR
    hits = _hits(clf, joined, pos, fid)
    lex = _lexicon_features(clf, hits, len(norm))
    indptr = np.array([0, len(fid)], dtype=np.int32)
    scores = csr_dot(indptr, fid, data, clf._w_text) + lex @ clf._w_lex + clf._head_bias
    sent_cat = known
    if clf._has_category_head:
        if known >= 0:  # the one-hot of the known category replaces the head's probabilities
            cat_probs = np.zeros((1, len(clf.categories)), dtype=np.float32)
            cat_probs[0, known] = 1.0
        else:
            cat_probs = softmax(scores[:, clf._cat_cols])
            threshold = clf._estimate_threshold
            if threshold is not None:
                estimate = cat_probs[0].tolist()
                top = max(estimate)
                sent_cat = estimate.index(top) if top >= threshold else -1
        scores[:, : clf._cat_cols.start] += cat_probs @ clf._w_cat
    heads = [softmax(scores[:, c])[0].tolist() for c in clf._cols.values()]
    row = clf.sentiment_row(sent_cat)
    keys = fid if row == 0 else fid.astype(np.int64) + row * clf._size
    table = np.take(clf._sent_table, keys, axis=0)
    inv_lr = inv_a if row == 0 else inv_a * clf._lr_scale[row]
    inv_b = _inv_sqrt(_seqsum(table[:, 2]))
    contrib = table[:, 0] * inv_lr + table[:, 1] * inv_b
    logit = _seqsum(contrib) + float(clf._bias)
    out = _Text(
        raw=raw,
        joined=joined,
        length=len(norm),
        pos=pos,
        n=ns,
        fid=fid,
        idf2=idf2,
        norm2=norm2,
        data=data,
        hits=hits,
        heads=heads,
        table=table,
        row=row,
        contrib=contrib,
        logit=logit,
        complaint=_sigmoid(logit),
    )
    if contrast and out.complaint < 0.5:
        found = _last_contrast(joined)
        if found is not None and out.length - found[1] >= 2:
            out.tail_start = found[0]
            out.tail = _sigmoid(_clause_logit(clf, out, bisect_left(pos, found[0])))
    return out


def _clause_logit(
    clf: LinearNgramClassifier, s: _Text, first: int, keep: np.ndarray | None = None
) -> float:
    """`_group_logit` of the occurrences from index `first` on (a clause: occurrences are in
    position order), adding up only those in `keep` (None: all)."""
    inv_a = _inv_sqrt(_seqsum(s.idf2[first:]))
    if s.row:
        inv_a = inv_a * clf._lr_scale[s.row]
    t = s.table[first:]
    inv_b = _inv_sqrt(_seqsum(t[:, 2]))
    part = t[:, 0] * inv_a + t[:, 1] * inv_b
    if keep is not None:
        part = part[keep[first:]]
    return _seqsum(part) + float(clf._bias)


def _good(clf: LinearNgramClassifier, s: _Text) -> float:
    """`hidden_complaints.good_scores` for a review rated good: P(complaint); sets
    `s.tail_start` to the deciding clause (or -1) and zeroes the dropped grams' contributions."""
    start, end = clf._scope.spans(s.joined)
    dropped = np.zeros(len(s.pos), dtype=bool)
    if len(start):
        pos = np.array(s.pos, dtype=np.int64)
        k = np.searchsorted(start, pos + np.array(s.n, dtype=np.int64), side="left") - 1
        dropped = (k >= 0) & (np.take(end, np.maximum(k, 0)) > pos)
    bias = float(clf._bias)
    shift = clf.good_shift
    lost = _seqsum(s.contrib[dropped])
    lost_mass = _seqsum(s.idf2[dropped])
    share = 1.0 - (lost_mass / s.norm2 if s.norm2 > 0 else 0.0)
    best = s.logit - lost - bias + (bias - shift) * share - DROPPED_PRAISE * (1.0 - share)
    s.tail_start = -1
    found = _last_contrast(s.joined)
    if found is not None and s.length - found[1] >= 2:
        first = bisect_left(s.pos, found[0])
        total = _seqsum(s.idf2[first:])
        gone = _seqsum(s.idf2[first:][dropped[first:]])
        c_share = 1.0 - (gone / total if total > 0 else 0.0)
        kept = _clause_logit(clf, s, first, ~dropped) - bias
        tail = kept + (bias - shift) * c_share - DROPPED_PRAISE * (1.0 - c_share)
        if tail > best:
            best = tail
            s.tail_start = found[0]
    s.contrib[dropped] = 0.0
    return _sigmoid(best)


# -- lexicon -----------------------------------------------------------------------------------
def _hits(
    clf: LinearNgramClassifier, joined: str, pos: list[int], fid: np.ndarray
) -> list[tuple[int, int]]:
    """`LexiconIndex.hits` of one text: (term, first start) by term."""
    first: dict[int, int] = {}
    terms = np.take(clf.lexicon.term_of_fid, fid)
    at = np.flatnonzero(terms >= 0)
    if len(at):
        for i, t in zip(at.tolist(), terms[at].tolist(), strict=True):
            if t not in first:
                first[t] = pos[i]
    if clf._any_unseen is not None and clf._any_unseen.search(joined):
        for t, term in clf.lexicon.unseen:
            found = joined.find(term)
            if found >= 0:
                first[t] = found
    return sorted(first.items())


def _lexicon_features(
    clf: LinearNgramClassifier, hits: list[tuple[int, int]], length: int
) -> np.ndarray:
    """`LexiconIndex.features` of one text's hits: (1, 2 * width) float32. The label sums and
    their log1p stay numpy's (float32); the earliness is float32(position / length), its minimum
    per label and 1 - it, each exact in float64 and rounded once to float32, as numpy does."""
    lexicon = clf.lexicon
    out = np.zeros((1, 2 * lexicon.width), dtype=np.float32)
    if not hits:
        return out
    terms = [t for t, _ in hits]
    sums = np.add.reduceat(lexicon.weights[terms], _FIRST, axis=0)
    scale = max(length, 1)
    rel = array("f", [p / scale for _, p in hits]).tolist()  # rounded to float32
    first = [1.0] * lexicon.width
    columns = clf._label_columns
    for t, r in zip(terms, rel, strict=True):
        for c in columns[t]:
            first[c] = min(first[c], r)
    out[0, lexicon._sum_columns] = np.log1p(sums)[0]
    out[0, lexicon._first_columns] = [1.0 - f for f in first]
    return out


_FIRST = np.zeros(1, dtype=np.intp)


# -- evidence ----------------------------------------------------------------------------------
def _evidence(
    clf: LinearNgramClassifier,
    ctx: TriageContext,
    main: _Text,
    side: _Text | None,
    labels: list[int],
    *,
    from_tail: bool,
) -> dict[str, list[Span]]:
    """`_evidence_all` of a batch of one with every review wanted; `side`: the follow-up when it
    became the source of cause and severity."""
    raw = main.raw
    ev: dict[str, list[Span]] = {"complaint": [], "cause": [], "severity": []}
    if from_tail:
        start = main.tail_start
        ev["complaint"].append(
            _span(start, len(raw), raw[start:], "complaint after contrast", "review")
        )
    complains = main.complaint >= 0.5
    reason = "complaint" if complains else "not_complaint"
    columns = [clf._cols[h].start + k for h, k in zip(HEADS, labels, strict=True)]
    # one ranking pass over the decisions of a text: complaint (+ cause, severity) values
    own = main.contrib if complains else -main.contrib
    if side is None:
        values = np.empty((1 + len(HEADS), len(own)), dtype=np.float32)
        values[0] = own
        values[1:] = _head_values(clf, main, columns)
        per_decision = _top_spans(values, main)
        head_spans = per_decision[1:]
    else:
        per_decision = _top_spans(own[None, :], main)
        head_spans = _top_spans(_head_values(clf, side, columns), side)
    for s, e in per_decision[0]:
        ev["complaint"].append(_span(s, e, raw[s:e], reason, "review"))
    if ctx.result in _BAD_RESULTS:
        ev["complaint"].append(_span(0, 0, "", f"result={ctx.result}", "context"))
    source, text = (main, raw) if side is None else (side, ctx.followup or "")
    where = "review" if side is None else "followup"
    names = [h[k] for h, k in zip(clf._labels, labels, strict=True)]
    for h, found, name in zip(HEADS, head_spans, names, strict=True):
        for s, e in found:
            ev[h].append(_span(s, e, text[s:e], name, where))
    _lexicon_evidence(clf, ev, source, columns, names, text=text, where=where)
    return ev


def _head_values(clf: LinearNgramClassifier, s: _Text, columns: list[int]) -> np.ndarray:
    """(heads, occurrences): each occurrence's contribution to each head's chosen label
    (float32 products, as `_head_values` of the batch)."""
    width = clf._w_text.shape[1]
    at = (s.fid * width)[:, None] + np.array(columns, dtype=np.int64)
    values: np.ndarray = (np.take(clf._w_text_flat, at) * s.data[:, None]).T
    return values


def _top_spans(values: np.ndarray, s: _Text) -> list[list[tuple[int, int]]]:
    """`_top_spans` of one text, per row of `values` (a decision; float32 per occurrence): the
    (start, end) of the merged spans of the at most EVIDENCE_GRAMS distinct grams with the
    largest positive values (>= EVIDENCE_SHARE of the largest, the share computed in float64 as
    the batch does), the first occurrence of a gram standing for it, ties to the earlier one.

    Candidates (values >= 95% of the share floor: a margin for the float32 comparison; in a long
    text at first only the _NARROW largest, ties included) are ranked by value (descending), then
    occurrence: distinct float32 values give distinct float64 shares (v / top is monotonic and
    rounds far finer than float32), so this is the batch's order by share, then occurrence, and
    a gram's first occurrence comes first."""
    rows, size = values.shape
    if not size:
        return [[] for _ in range(rows)]
    tops = values.max(axis=1).tolist()
    floors = [0.95 * EVIDENCE_SHARE * t if t > 0 else math.inf for t in tops]
    if size <= _NARROW:
        chosen = _choose(values, s, tops, floors, exhausted_ok=[True] * rows)
    else:
        kth = np.partition(values, size - _NARROW, axis=1)[:, size - _NARROW].tolist()
        narrow = [max(f, k) for f, k in zip(floors, kth, strict=True)]
        chosen = _choose(
            values, s, tops, narrow, exhausted_ok=[k <= f for f, k in zip(floors, kth, strict=True)]
        )
        again = [
            math.inf if found is not None else f for found, f in zip(chosen, floors, strict=True)
        ]
        if any(f < math.inf for f in again):  # more than _NARROW candidates were needed
            wider = _choose(values, s, tops, again, exhausted_ok=[True] * rows)
            chosen = [c if c is not None else w for c, w in zip(chosen, wider, strict=True)]
    return [_merged(c, s) if c else [] for c in chosen]


_NARROW = 12  # candidates per decision of a long text, before widening


def _choose(
    values: np.ndarray,
    s: _Text,
    tops: list[float],
    floors: list[float],
    *,
    exhausted_ok: list[bool],
) -> list[list[int] | None]:
    """Per row the occurrences of the best distinct grams among the values >= its floor (inf:
    none); None where the candidates ran out before EVIDENCE_GRAMS grams or a value below the
    share floor and `exhausted_ok` is False (a wider floor is needed)."""
    floor = np.array([[f] for f in floors], dtype=np.float32)
    row, at = np.nonzero(values >= floor)
    ranked: list[list[tuple[float, int, int]]] = [[] for _ in range(len(values))]
    candidates = zip(
        row.tolist(), at.tolist(), values[row, at].tolist(), s.fid[at].tolist(), strict=True
    )
    for r, i, v, f in candidates:
        ranked[r].append((-v, i, f))
    out: list[list[int] | None] = []
    for r, found in enumerate(ranked):
        found.sort()
        top = tops[r]
        seen: set[int] = set()
        chosen: list[int] = []
        complete = exhausted_ok[r]
        for v, i, f in found:
            if -v / top < EVIDENCE_SHARE:
                complete = True
                break
            if f not in seen:
                seen.add(f)
                chosen.append(i)
                if len(chosen) == EVIDENCE_GRAMS:
                    complete = True
                    break
        out.append(chosen if complete else None)
    return out


def _merged(chosen: list[int], s: _Text) -> list[tuple[int, int]]:
    """(start, end) of the occurrences `chosen`, overlapping or touching ones merged, by start."""
    spans = sorted((s.pos[i], s.pos[i] + s.n[i]) for i in chosen)
    merged = [list(spans[0])]
    for start, end in spans[1:]:
        last = merged[-1]
        if start > last[1]:
            merged.append([start, end])
        elif end > last[1]:
            last[1] = end
    return [(a, b) for a, b in merged]


def _lexicon_evidence(
    clf: LinearNgramClassifier,
    ev: dict[str, list[Span]],
    s: _Text,
    columns: list[int],
    names: list[str],
    *,
    text: str,
    where: str,
) -> None:
    """The lexicon terms of each head's chosen label (`columns`), in hit (term) order."""
    if not s.hits:
        return
    has_label = clf.lexicon.has_label
    term_length = clf.lexicon.term_length
    for h, col, name in zip(HEADS, columns, names, strict=True):
        reason = f"lexicon:{name}"
        for t, p in s.hits:
            if has_label[t, col]:
                end = p + term_length[t]
                ev[h].append(_span(p, end, text[p:end], reason, where))
