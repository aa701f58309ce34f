"""The default classifier: char n-gram TF-IDF with linear heads, lexicon features, rule flags.

Sentiment: LR + NB-LR ensemble over char 1-4 grams. Cause and severity: multinomial LR over the
same grams plus the shipped cause/severity lexicons as features (1,100 labelled rows are too few
for grams alone). Risk flags: `triage.risk` rules. Everything is linear, so each decision's
evidence is the grams (and lexicon terms) with the largest contributions to it.

A batch is scored in one vectorised pass (`features.NgramSpace.occurrences`): the n-gram
occurrences give the sentiment logit (per-occurrence contributions summed per document), the TF-IDF
matrix for the heads (one sparse x dense product), the lexicon hits, the score of the clause after a
contrast word (a suffix of the same occurrences) and the evidence spans (occurrence positions). Only
the assembly of `TriageResult`s is per review.

Evidence modes (`classify_batch(..., evidence=...)`): "all" builds evidence for every review;
"complaints" only for reviews classified as complaints (a non-complaint's stored result then has
`evidence == {}` apart from any risk-flag evidence); "none" never builds gram evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise, repeat
from pathlib import Path
from typing import Literal, cast

import numpy as np

from reviewdesk.triage import weights as weights_io
from reviewdesk.triage.features import MAX_CHARS, Occurrences, csr_dot, sigmoid, softmax
from reviewdesk.triage.hidden_complaints import (
    GOOD_PRIOR_SHIFT,
    GoodScores,
    ScopeRules,
    good_scores,
)
from reviewdesk.triage.lexicon_index import LexiconHits, LexiconIndex
from reviewdesk.triage.lexicons import load_weighted
from reviewdesk.triage.risk import BatchRisk
from reviewdesk.triage.types import (
    CAUSES,
    SEVERITIES,
    Span,
    TriageContext,
    TriageResult,
    category_key,
)

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "linear_ngram"
EVIDENCE_GRAMS = 4
EVIDENCE_SHARE = 0.2  # a gram is evidence when it contributes >= 20% of the row's strongest gram
Evidence = Literal["all", "complaints", "none"]
# "质量不错，就是物流太慢" is labelled positive in the data but is a complaint for the shop
# (the issue: a good review that complains counts). The clause after the last contrast word is
# scored on its own.
CONTRAST = re.compile(r"但是|但|就是|只是|不过|可惜|美中不足|唯一|缺点|遗憾的是")
_BAD_RESULTS = frozenset({"neutral", "bad"})
HEADS = ("cause", "severity")
# High-precision cause rules (CAUSE_GUIDELINE: "fake claims always win"; wrong or missing items),
# applied to the normalised review text after the head: when one fires, its cause replaces the
# head's (first rule wins). Written from the guideline, not fitted; 5-fold CV on causes_dev.csv:
# they change 4 of 1,100 predictions, all to the annotated cause (docs/triage.md).
CAUSE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "fake_goods",
        re.compile(
            r"假货|不是正品|非正品|翻新|二手|山寨|水货|高仿|仿冒|盗版|是假的|是不是假|像假|不知真假"
            r"|假冒|用过的|拆过|被拆"
        ),
    ),
    (
        "wrong_or_missing",
        re.compile(
            r"发错|错发|少发|漏发|缺斤|少两|没有赠品|赠品没|没送赠品|没有送赠品|不是我要的|不是我买的"
            r"|分量不足|发成了"
        ),
    ),
)


@dataclass
class Scores:
    """Model outputs for a batch of normalised texts."""

    occ: Occurrences
    logit: np.ndarray  # (n,) whole-text complaint logit
    complaint: np.ndarray  # (n,) P(complaint) of the whole text
    tail: np.ndarray  # (n,) P(complaint) of the clause after the last contrast word, or -1
    tail_start: np.ndarray  # (n,) offset of that clause, or -1
    contrib: np.ndarray  # per occurrence: contribution to the complaint logit
    norm2: np.ndarray  # (n,) sum of IDF^2 over the doc's occurrences (the LR part's norm)
    data: np.ndarray  # per occurrence: its TF-IDF value
    heads: dict[str, np.ndarray]  # head -> (n, K) probabilities
    hits: LexiconHits
    key: np.ndarray  # per occurrence: its index in the flat sentiment tables (gram id if row 0)
    row: np.ndarray | None  # (n,) row of the sentiment tables (0: unknown category), None: all 0


class LinearNgramClassifier:
    name = "linear_ngram"

    def __init__(self, model: weights_io.ModelWeights | None = None) -> None:
        self.model = model if model is not None else weights_io.load(DEFAULT_MODEL_DIR)
        self.version = str(self.model.recipe.get("version", "dev"))
        m = self.model
        idf = m.space.idf
        self._size = m.space.size
        self._idf2 = (idf * idf).astype(np.float64)
        self._set_sentiment_tables(m.sentiment)
        self.lexicon = LexiconIndex(
            m.space, [(load_weighted("cause"), CAUSES), (load_weighted("severity"), SEVERITIES)]
        )
        heads = [m.heads[h] for h in HEADS]
        self._labels = [h.labels for h in heads]
        bounds = np.cumsum([0] + [len(h.labels) for h in heads])
        self._cols = {
            h: slice(int(a), int(b)) for h, a, b in zip(HEADS, bounds, bounds[1:], strict=False)
        }
        width = int(bounds[-1])
        text = [h.w_text for h in heads]
        lex = [h.w_lex * h.lex_scale for h in heads]
        bias = [h.bias for h in heads]
        # The category head shares the sparse x dense product: its columns follow the heads'.
        cat = m.category
        self.categories: tuple[str, ...] = cat.labels if cat is not None else m.sentiment.categories
        self._has_category_head = cat is not None
        self._cat_cols = slice(width, width + (len(cat.labels) if cat is not None else 0))
        self._w_cat = np.zeros((len(self.categories), width), dtype=np.float32)
        # category index -> row of the sentiment tables (0: shared weights only)
        sent = {name: 1 + i for i, name in enumerate(m.sentiment.categories)}
        self._sent_row = np.array([sent.get(c, 0) for c in self.categories], dtype=np.int64)
        if cat is not None:
            text.append(cat.w_text)
            lex.append(np.zeros((lex[0].shape[0], len(cat.labels)), np.float32))
            bias.append(cat.bias)
            for h, head in zip(HEADS, heads, strict=True):
                if head.w_cat is not None:
                    self._w_cat[:, self._cols[h]] = head.w_cat
        self._w_text = np.ascontiguousarray(np.hstack(text), np.float32)
        self._w_text_flat = self._w_text.ravel()
        self._w_lex = np.hstack(lex).astype(np.float32)
        self._head_bias = np.concatenate(bias).astype(np.float32)
        self._risk = BatchRisk()
        self._scope = ScopeRules()
        self._category_index = {name: i for i, name in enumerate(self.categories)}
        # for the single-review path (`linear_ngram_one`): cause name -> index; per lexicon term
        # the columns (labels) it counts for
        self._cause_index = {name: i for i, name in enumerate(self._labels[0])}
        self._label_columns = [np.flatnonzero(row).tolist() for row in self.lexicon.has_label]
        unseen = [term for _, term in self.lexicon.unseen]  # does a text hold any of them?
        self._any_unseen = re.compile("|".join(map(re.escape, unseen))) if unseen else None

    def _set_sentiment_tables(self, s: weights_io.SentimentWeights) -> None:
        """Per-occurrence lookup tables of the sentiment logit, flat (1 + C) x V: row 0 is a
        review of unknown category (shared weights), row 1 + k one of sentiment category k
        (shared + its category copy, both in the LR and NB-LR norms). An occurrence of gram f in
        a review of row r reads index r * V + f (`_keys`)."""
        idf = self.model.space.idf.astype(np.float64)
        lr = [s.w_lr.astype(np.float64)]
        nb = [(s.ratio * s.w_nb).astype(np.float64)]
        nb2 = [s.ratio.astype(np.float64) ** 2]
        lr2 = [1.0]
        cat = (s.cat_w_lr, s.cat_ratio, s.cat_w_nb)
        if s.categories and all(w is not None for w in cat):
            w_lr, ratio, w_nb = (np.asarray(w, np.float64) for w in cat)
            a = s.alpha
            for k in range(len(s.categories)):
                lr.append(lr[0] + a * w_lr[k])
                nb.append(nb[0] + a * ratio[k] * w_nb[k])
                nb2.append(nb2[0] + (a * ratio[k]) ** 2)
                lr2.append(1.0 + a * a)
        # one 16-byte row per index (w_lr, w_nb, nb2, padding): a single gather per occurrence
        table = np.zeros((len(lr) * self._size, 4), dtype=np.float32)
        table[:, 0] = (0.5 * idf * np.vstack(lr)).ravel()
        table[:, 1] = (0.5 * idf * np.vstack(nb)).ravel()
        table[:, 2] = (idf * idf * np.vstack(nb2)).ravel()
        self._sent_table = table
        # the LR norm of row r is the shared one times lr2[r]: per row 1 / sqrt(lr2)
        self._lr_scale = (1.0 / np.sqrt(np.asarray(lr2))).astype(np.float32)
        self._bias = 0.5 * (s.b_lr + s.b_nb)
        self._estimate_threshold = s.estimate_threshold if s.categories else None
        self.good_shift = GOOD_PRIOR_SHIFT if s.good_shift is None else s.good_shift

    # -- scoring ---------------------------------------------------------------------------
    def score(
        self,
        texts: Sequence[str],
        *,
        contrast: bool = True,
        categories: np.ndarray | None = None,
    ) -> Scores:
        """Scores of raw texts (cut and normalised inside, one vectorised pass).

        `categories`: per text the index of its known product category in `self.categories`, or
        -1 when unknown (then the category head's estimate is used: by the cause and severity
        heads as probabilities; by the sentiment as its table row when confident)."""
        occ = self.model.space.occurrences(texts)
        n, doc, fid = occ.n_docs, occ.doc, occ.fid
        idf = self.model.space.idf[fid]
        norm2 = np.bincount(doc, weights=idf * idf, minlength=n)
        inv_a = _inv_sqrt(norm2.copy())
        data = idf * inv_a[doc]
        hits = self.lexicon.hits(occ)
        lex = self.lexicon.features(hits, occ.lengths)
        raw = csr_dot(occ.indptr(), fid, data, self._w_text) + lex @ self._w_lex + self._head_bias
        sent_cats = categories
        if self._has_category_head:
            probs = softmax(raw[:, self._cat_cols])
            sent_cats = self._estimated(probs, categories)
            raw[:, : self._cat_cols.start] += self._category(probs, categories) @ self._w_cat
        heads = {h: softmax(raw[:, c]) for h, c in self._cols.items()}
        # sentiment: per occurrence from the table row of the doc's (known or estimated) category
        row = self._sentiment_rows(sent_cats)
        key = self._keys(occ, row)
        inv_lr = inv_a if row is None else inv_a * self._lr_scale[row]
        t = np.take(self._sent_table, key, axis=0)
        inv_b = _inv_sqrt(np.bincount(doc, weights=t[:, 2], minlength=n))
        contrib = t[:, 0] * inv_lr[doc] + t[:, 1] * inv_b[doc]
        logit = np.bincount(doc, weights=contrib, minlength=n) + self._bias
        complaint = sigmoid(logit)
        tail = np.full(n, -1.0)
        tail_start = np.full(n, -1, dtype=np.int64)
        if contrast:
            self._score_tails(occ, complaint, tail, tail_start, key=key, row=row)
        return Scores(
            occ, logit, complaint, tail, tail_start, contrib, norm2, data, heads, hits, key, row
        )

    def _estimated(self, probs: np.ndarray, known: np.ndarray | None) -> np.ndarray | None:
        """Per doc the known category, else the category head's estimate when its probability
        is >= the sentiment's `estimate_threshold` (-1 otherwise; None: all unknown)."""
        t = self._estimate_threshold
        if t is None or not len(probs):
            return known
        out = np.where(probs.max(axis=1) >= t, probs.argmax(axis=1), -1)
        return out if known is None else np.where(known >= 0, known, out)

    def sentiment_row(self, category: int) -> int:
        """`_sentiment_rows` of one doc: its row of the sentiment tables (0: shared weights)."""
        return int(self._sent_row[category]) if category >= 0 else 0

    def _sentiment_rows(self, categories: np.ndarray | None) -> np.ndarray | None:
        """Per doc its row of the sentiment tables (0 unknown), or None when all are unknown."""
        if categories is None or not self._sent_row.any():
            return None
        known = categories >= 0
        if not known.any():
            return None
        return np.where(known, self._sent_row[np.maximum(categories, 0)], 0)

    def _keys(self, occ: Occurrences, row: np.ndarray | None) -> np.ndarray:
        """Per occurrence its index in the flat sentiment tables (`_set_sentiment_tables`)."""
        if row is None:
            return occ.fid
        return np.asarray(row[occ.doc] * self._size + occ.fid)

    def _category(self, probs: np.ndarray, known: np.ndarray | None) -> np.ndarray:
        """(n, C): one-hot of the known category, else the category head's probabilities
        (`probs`, changed in place)."""
        if known is not None:
            rows = np.flatnonzero(known >= 0)
            probs[rows] = 0.0
            probs[rows, known[rows]] = 1.0
        return probs

    def category_indices(self, contexts: Sequence[TriageContext]) -> np.ndarray | None:
        """Per context the index of its category in `self.categories` (-1 unknown), or None
        when no context names a known category."""
        if not self.categories:
            return None
        index = self._category_index
        out = np.fromiter(
            (index.get(category_key(c.category) or "", -1) for c in contexts),
            np.int64,
            count=len(contexts),
        )
        return out if (out >= 0).any() else None

    def category_index(self, category: str | None) -> int:
        """Index of a known category in `self.categories`, else -1."""
        return self._category_index.get(category_key(category) or "", -1)

    def _score_tails(
        self,
        occ: Occurrences,
        complaint: np.ndarray,
        tail: np.ndarray,
        tail_start: np.ndarray,
        *,
        key: np.ndarray,
        row: np.ndarray | None,
    ) -> None:
        """P(complaint) of the clause after the last contrast word of texts that read positive.

        The clause's grams are the occurrences at or after its start, so no second extraction.
        """
        found = [(m.start(), m.end()) for m in CONTRAST.finditer(occ.joined)]
        if not found:
            return
        at = np.asarray(found, dtype=np.int64)
        doc = np.searchsorted(occ.starts, at[:, 0], side="right") - 1
        last = np.ones(len(doc), dtype=bool)
        last[:-1] = doc[1:] != doc[:-1]
        doc, at = doc[last], at[last]
        start = at[:, 0] - occ.starts[doc]
        end = at[:, 1] - occ.starts[doc]
        ok = (complaint[doc] < 0.5) & (occ.lengths[doc] - end >= 2)
        doc, start = doc[ok], start[ok]
        if not len(doc):
            return
        tail_start[doc] = start
        # the clause's occurrences: those of its doc at or after its start (in occurrence order)
        indptr = occ.indptr()
        first, count = indptr[doc], indptr[doc + 1] - indptr[doc]
        at = np.arange(int(count.sum()), dtype=np.int64)
        at += np.repeat(first - (np.cumsum(count) - count), count)
        at = at[occ.pos[at] >= np.repeat(start, count)]
        logit = self._subset_logit(at, occ.doc[at], occ.n_docs, None, fid=occ.fid, key=key, row=row)
        tail[doc] = sigmoid(logit[doc])

    def _group_logit(
        self,
        fid: np.ndarray,
        group: np.ndarray,
        n_groups: int,
        keep: np.ndarray,
        *,
        key: np.ndarray,
        row: np.ndarray | None,
    ) -> np.ndarray:
        """Per group (a doc's clause; -1 = none): bias + the contributions of the occurrences in
        `keep`, normalised over all the group's occurrences (dropped grams add no weight).
        `key`: the occurrences' sentiment table indices, `row`: per doc its table row."""
        inside = np.flatnonzero(group >= 0)
        return self._subset_logit(
            inside, group[inside], n_groups, keep[inside], fid=fid, key=key, row=row
        )

    def _subset_logit(
        self,
        at: np.ndarray,
        g: np.ndarray,
        n_groups: int,
        use: np.ndarray | None,
        *,
        fid: np.ndarray,
        key: np.ndarray,
        row: np.ndarray | None,
    ) -> np.ndarray:
        """`_group_logit` of the occurrences `at` (in occurrence order) in groups `g`; `use`:
        which of them contribute (None: all)."""
        f, k = fid[at], key[at]
        inv_a = _inv_sqrt(np.bincount(g, weights=self._idf2[f], minlength=n_groups))
        if row is not None:
            inv_a *= self._lr_scale[row]
        t = np.take(self._sent_table, k, axis=0)
        inv_b = _inv_sqrt(np.bincount(g, weights=t[:, 2], minlength=n_groups))
        if use is not None:
            g, t = g[use], t[use]
        part = t[:, 0] * inv_a[g] + t[:, 1] * inv_b[g]
        return np.bincount(g, weights=part, minlength=n_groups) + self._bias

    def _complaint(self, scores: Scores, good: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """P(complaint) per review and whether the contrast clause decided it. A review its
        buyer rated good goes through `hidden_complaints` (negated or resolved problems do not
        count; prior shift)."""
        p = np.maximum(scores.complaint, scores.tail)
        from_tail = scores.tail > scores.complaint
        if good.any():
            p[good] = self._good(scores, good)[good]
            from_tail[good] = scores.tail_start[good] >= 0
        return p, from_tail

    def _good(self, scores: Scores, rows: np.ndarray) -> np.ndarray:
        """P(complaint) of the `rows` whose buyer rated the review good (`hidden_complaints`).

        Updates `scores` in place for the evidence: tail_start is the deciding clause (or -1), and
        grams in negated-complaint or resolved scopes contribute nothing.
        """
        g = self._good_scores(scores, rows)
        scores.tail_start[rows] = g.tail_start[rows]
        scores.contrib[g.dropped] = 0.0
        return np.asarray(sigmoid(g.logit))

    def good_critical_shifts(
        self, texts: Sequence[str], categories: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """Per text read as a review its buyer rated good: the largest good-review shift at which
        it is still a complaint (`hidden_complaints.GoodScores.critical`), for calibration."""
        known = None
        if categories is not None:
            known = self.category_indices([TriageContext(category=c) for c in categories])
        scores = self.score([t or "" for t in texts], categories=known)
        rows = np.ones(scores.occ.n_docs, dtype=bool)
        return self._good_scores(scores, rows).critical

    def _good_scores(self, scores: Scores, rows: np.ndarray) -> GoodScores:
        occ = scores.occ
        return good_scores(
            occ=occ,
            contrib=scores.contrib,
            logit=scores.logit,
            norm2=scores.norm2,
            bias=self._bias,
            idf2=self._idf2,
            rows=rows,
            rules=self._scope,
            contrast=CONTRAST,
            group_logit=lambda group, keep: self._group_logit(
                occ.fid, group, occ.n_docs, keep, key=scores.key, row=scores.row
            ),
            shift=self.good_shift,
        )

    def sentiment(
        self, texts: Sequence[str], categories: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """P(the whole review is negative): the sentiment head alone, no contrast or context rules.

        This is what the `label` column of the data measures (whole-review polarity).
        `categories`: per text its product category (a CATEGORIES key or alias), if known.
        """
        known = None
        if categories is not None:
            known = self.category_indices([TriageContext(category=c) for c in categories])
        return self.score([t or "" for t in texts], contrast=False, categories=known).complaint

    # -- protocol --------------------------------------------------------------------------
    def classify(self, text: str, context: TriageContext | None = None) -> TriageResult:
        """One review, full evidence: the result of `classify_batch([text], [context])[0]`,
        computed without the batch's per-call numpy overhead (`linear_ngram_one`)."""
        from reviewdesk.triage.classifiers.linear_ngram_one import classify_one

        return classify_one(self, text, context)

    def classify_batch(
        self,
        texts: Sequence[str],
        contexts: Sequence[TriageContext | None] | None = None,
        *,
        evidence: Evidence = "all",
    ) -> list[TriageResult]:
        n = len(texts)
        ctxs = [c or _EMPTY for c in (contexts or [None] * n)]
        raw = [t or "" for t in texts]
        known = self.category_indices(ctxs)
        main = self.score(raw, categories=known)
        good = np.fromiter((c.result == "good" for c in ctxs), bool, count=n)
        p, from_tail = self._complaint(main, good)
        own = np.where(good, p, main.complaint)  # does the review itself complain?
        labels = {h: main.heads[h].argmax(axis=1) for h in HEADS}
        probs = {h: main.heads[h].max(axis=1) for h in HEADS}
        rule_spans = self._cause_rules(main, labels["cause"], probs["cause"])
        # follow-ups are scored as texts of their own; a complaining follow-up under a review that
        # does not complain becomes the source of cause, severity and their evidence
        fu_rows = np.asarray([i for i, c in enumerate(ctxs) if c.followup], dtype=np.int64)
        fu_raw = [ctxs[i].followup or "" for i in fu_rows.tolist()]
        side: Scores | None = None
        switch = np.zeros(0, dtype=bool)
        if len(fu_rows):
            side = self.score(fu_raw, categories=None if known is None else known[fu_rows])
            pf = np.maximum(side.complaint, side.tail)
            fu_good = good[fu_rows]
            if fu_good.any():
                pf[fu_good] = self._good(side, fu_good)[fu_good]
            better = pf > p[fu_rows]
            switch = better & (pf >= 0.5) & (own[fu_rows] < 0.5)
            from_tail[fu_rows[better]] = False
            p[fu_rows] = np.maximum(p[fu_rows], pf)
            for h in HEADS:
                labels[h][fu_rows[switch]] = side.heads[h][switch].argmax(axis=1)
                probs[h][fu_rows[switch]] = side.heads[h][switch].max(axis=1)
        bad_result = np.fromiter((c.result in _BAD_RESULTS for c in ctxs), bool, count=n)
        is_complaint = (p >= 0.5) | bad_result
        wanted = _wanted(evidence, is_complaint)
        fu_source = np.full(n, -1, dtype=np.int64)
        fu_source[fu_rows[switch]] = np.flatnonzero(switch)
        risks = self._risk.flags(
            raw=raw,
            occ=main.occ,
            contexts=ctxs,
            is_complaint=is_complaint,
            fu_rows=fu_rows,
            fu_raw=fu_raw,
            fu_scores=side,
        )
        ev = self._evidence_all(
            raw=raw,
            ctxs=ctxs,
            main=main,
            side=side,
            fu_source=fu_source,
            wanted=wanted,
            from_tail=from_tail,
            labels=labels,
        )
        _rule_evidence(ev, rule_spans, fu_source, raw)
        cause_names, sev_names = self._labels
        causes = [cause_names[k] for k in labels["cause"].tolist()]
        severities = [sev_names[k] for k in labels["severity"].tolist()]
        rows = zip(
            is_complaint.tolist(),
            p.tolist(),
            causes,
            probs["cause"].tolist(),
            severities,
            probs["severity"].tolist(),
            risks,
            strict=True,
        )
        name, version = self.name, self.version
        out = []
        for i, (complains, p_i, cause, cause_p, head_severity, sev_p, flags) in enumerate(rows):
            row_ev = ev.get(i, {})
            if flags:
                for flag, flag_spans in flags.items():
                    row_ev[f"risk:{flag}"] = flag_spans
            severity = head_severity
            if flags or cause == "fake_goods":
                severity = _guideline_severity(flags, cause, head_severity)
            out.append(
                _result(
                    is_complaint=complains,
                    complaint_probability=p_i,
                    cause=cause,
                    cause_probability=cause_p,
                    severity=severity,
                    risk_flags=sorted(flags),
                    evidence=row_ev,
                    model_name=name,
                    model_version=version,
                    severity_probability=sev_p,
                )
            )
        return out

    def _cause_rules(
        self, scores: Scores, labels: np.ndarray, probs: np.ndarray
    ) -> dict[int, tuple[int, int, int, str]]:
        """Applies CAUSE_RULES to `labels`/`probs` in place (the probability becomes the head's
        for the rule's cause); row -> (cause index, start, end, reason) of the rule that fired."""
        occ = scores.occ
        out: dict[int, tuple[int, int, int, str]] = {}
        cause_names = self._labels[0]
        for name, pattern in CAUSE_RULES:
            k = cause_names.index(name)
            for m in pattern.finditer(occ.joined):
                row = int(np.searchsorted(occ.starts, m.start(), side="right")) - 1
                if row not in out:
                    start = m.start() - int(occ.starts[row])
                    out[row] = (k, start, start + len(m.group()), f"rule:{name}")
        for row, (k, _, _, _) in out.items():
            labels[row] = k
            probs[row] = scores.heads["cause"][row, k]
        return out

    # -- evidence --------------------------------------------------------------------------
    def _evidence_all(
        self,
        *,
        raw: Sequence[str],
        ctxs: Sequence[TriageContext],
        main: Scores,
        side: Scores | None,
        fu_source: np.ndarray,
        wanted: np.ndarray,
        from_tail: np.ndarray,
        labels: dict[str, np.ndarray],
    ) -> dict[int, dict[str, list[Span]]]:
        """row -> decision -> spans, for the rows in `wanted` only."""
        rows = np.flatnonzero(wanted)
        if not len(rows):
            return {}
        ev: dict[int, dict[str, list[Span]]] = {
            i: {"complaint": [], "cause": [], "severity": []} for i in rows.tolist()
        }
        for i in np.flatnonzero(wanted & from_tail).tolist():
            start = int(main.tail_start[i])
            text = raw[i]
            ev[i]["complaint"].append(
                Span(start, len(text), text[start:], "complaint after contrast")
            )
        # complaint grams: what pushed the whole text towards its own verdict
        sign = np.where(main.complaint >= 0.5, 1.0, -1.0)
        occ = main.occ
        at = np.flatnonzero(wanted[occ.doc])
        parts = [(at, main.contrib[at] * sign[occ.doc[at]])]
        # cause and severity: from the review, or from the follow-up that became the source
        on_review = wanted & (fu_source < 0)
        if side is not None:
            at = np.flatnonzero(on_review[occ.doc])  # else the same rows as `wanted`
        parts += self._head_values(main, at, labels)
        reasons = [("not_complaint", "complaint")[int(x)] for x in (main.complaint >= 0.5).tolist()]
        label_names = [
            [names[k] for k in labels[h].tolist()]
            for h, names in zip(HEADS, self._labels, strict=True)
        ]
        to_row = list(range(len(raw)))
        spans = _top_spans(occ, parts)
        self._add_spans(
            ev, "complaint", spans[0], texts=raw, reasons=reasons, source="review", to_row=to_row
        )
        for i in np.flatnonzero(wanted).tolist():
            if ctxs[i].result in _BAD_RESULTS:
                ev[i]["complaint"].append(Span(0, 0, "", f"result={ctxs[i].result}", "context"))
        for h, found, names in zip(HEADS, spans[1:], label_names, strict=True):
            self._add_spans(ev, h, found, texts=raw, reasons=names, source="review", to_row=to_row)
        self._lexicon_evidence(
            ev, main, wanted=on_review, labels=labels, texts=raw, source="review", to_row=to_row
        )
        if side is not None:
            use = wanted & (fu_source >= 0)
            self._followup_evidence(
                ev, side, ctxs=ctxs, use=use, fu_source=fu_source, labels=labels
            )
        return ev

    def _followup_evidence(
        self,
        ev: dict[int, dict[str, list[Span]]],
        side: Scores,
        *,
        ctxs: Sequence[TriageContext],
        use: np.ndarray,
        fu_source: np.ndarray,
        labels: dict[str, np.ndarray],
    ) -> None:
        """Cause and severity evidence of the rows in `use`, whose follow-up (scored in `side`;
        row i is its doc `fu_source[i]`) became their source."""
        if not use.any():
            return
        rows_fu = np.flatnonzero(use)
        side_wanted = np.zeros(side.occ.n_docs, dtype=bool)
        side_wanted[fu_source[rows_fu]] = True
        fu_row = np.full(side.occ.n_docs, -1, dtype=np.int64)
        fu_row[fu_source[rows_fu]] = rows_fu
        side_labels = {h: labels[h][np.maximum(fu_row, 0)] for h in HEADS}
        fu_texts = [""] * side.occ.n_docs
        for r in rows_fu.tolist():
            fu_texts[int(fu_source[r])] = ctxs[r].followup or ""
        at = np.flatnonzero(side_wanted[side.occ.doc])
        per_head = _top_spans(side.occ, self._head_values(side, at, side_labels))
        rows_of = fu_row.tolist()
        for h, spans, names in zip(HEADS, per_head, self._labels, strict=True):
            reasons = [names[k] for k in side_labels[h].tolist()]
            self._add_spans(
                ev, h, spans, texts=fu_texts, reasons=reasons, source="followup", to_row=rows_of
            )
        self._lexicon_evidence(
            ev,
            side,
            wanted=side_wanted,
            labels=side_labels,
            texts=fu_texts,
            source="followup",
            to_row=rows_of,
        )

    def _head_values(
        self, scores: Scores, at: np.ndarray, labels: dict[str, np.ndarray]
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per head: the occurrences `at` and their contributions to the doc's chosen label."""
        occ = scores.occ
        width = self._w_text.shape[1]
        flat_w = self._w_text.ravel()
        base = occ.fid[at] * width
        doc = occ.doc[at]
        data = scores.data[at]
        out = []
        for h in HEADS:
            column = self._cols[h].start + labels[h]
            out.append((at, data * np.take(flat_w, base + column[doc])))
        return out

    @staticmethod
    def _add_spans(
        ev: dict[int, dict[str, list[Span]]],
        decision: str,
        found: tuple[np.ndarray, np.ndarray, np.ndarray],
        *,
        texts: Sequence[str],
        reasons: Sequence[str],
        source: str,
        to_row: Sequence[int],
    ) -> None:
        """Appends the spans `found` (doc, start, end) with their doc's reason to `ev`."""
        d, s, e = (a.tolist() for a in found)
        pieces = [texts[di][si:ei] for di, si, ei in zip(d, s, e, strict=True)]
        spans = list(_spans(s, e, pieces, map(reasons.__getitem__, d), source))
        _extend(ev, decision, doc=found[0], doc_list=d, spans=spans, to_row=to_row)

    def _lexicon_evidence(
        self,
        ev: dict[int, dict[str, list[Span]]],
        scores: Scores,
        *,
        wanted: np.ndarray,
        labels: dict[str, np.ndarray],
        texts: Sequence[str],
        source: str,
        to_row: Sequence[int],
    ) -> None:
        """Spans of the lexicon terms of each head's chosen label, for docs in `wanted`."""
        hits = scores.hits
        keep = wanted[hits.doc]
        if not keep.any():
            return
        doc, pos, term = hits.doc[keep], hits.pos[keep], hits.term[keep]
        term_length = self.lexicon.term_length
        for h, names in zip(HEADS, self._labels, strict=True):
            column = self._cols[h].start + labels[h]
            lex = self.lexicon.has_label[term, column[doc]]
            lex_doc = doc[lex]
            d, s, t = lex_doc.tolist(), pos[lex].tolist(), term[lex].tolist()
            e = [si + term_length[ti] for si, ti in zip(s, t, strict=True)]
            pieces = [texts[di][si:ei] for di, si, ei in zip(d, s, e, strict=True)]
            reason = [f"lexicon:{name}" for name in names]
            reasons = map(reason.__getitem__, labels[h][lex_doc].tolist())
            spans = list(_spans(s, e, pieces, reasons, source))
            _extend(ev, h, doc=lex_doc, doc_list=d, spans=spans, to_row=to_row)


def _spans(
    starts: Iterable[int],
    ends: Iterable[int],
    texts: Iterable[str],
    reasons: Iterable[str],
    source: str,
) -> Iterator[Span]:
    """Spans built straight from their fields (tuple.__new__ skips the named tuple's Python-level
    __new__: ~0.3 us less per span, and a batch builds ~10 per complaint)."""
    fields = zip(starts, ends, texts, reasons, repeat(source))
    return cast(Iterator[Span], map(tuple.__new__, repeat(Span), fields))


def _extend(
    ev: dict[int, dict[str, list[Span]]],
    decision: str,
    *,
    doc: np.ndarray,
    doc_list: list[int],
    spans: list[Span],
    to_row: Sequence[int],
) -> None:
    """Appends `spans` (of the docs `doc`, sorted; `doc_list` the same as a list) to their rows'
    `decision` lists: one `extend` per doc."""
    if not len(spans):
        return
    bounds = _segment_starts(doc).tolist()
    bounds.append(len(spans))
    for a, b in pairwise(bounds):
        ev[to_row[doc_list[a]]][decision].extend(spans[a:b])


def _top_spans(
    occ: Occurrences, parts: Sequence[tuple[np.ndarray, np.ndarray]]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per part (occurrence indices in doc order, their values for one decision): (doc, start,
    end) of the merged spans of each doc's strongest grams. One ranking pass for all parts: part
    k's docs become groups k * n_docs + doc."""
    n = max(occ.n_docs, 1)
    keep = [np.flatnonzero(v > 0) for _, v in parts]  # only positive values are evidence
    positive = [(i[k], v[k]) for (i, v), k in zip(parts, keep, strict=True)]
    idx = np.concatenate([i for i, _ in positive])
    values = np.concatenate([v for _, v in positive])
    group = np.concatenate([k * n + occ.doc[i] for k, (i, _) in enumerate(positive)])
    chosen = _top_per_doc(group, values, occ.fid[idx])
    idx_chosen = idx[chosen]
    start = occ.pos[idx_chosen]
    g, s, e = _merge_spans(group[chosen], start, start + occ.n[idx_chosen])
    which = g // n
    return [(g[which == k] - k * n, s[which == k], e[which == k]) for k in range(len(parts))]


_new = object.__new__
_set = object.__setattr__


def _result(
    *,
    is_complaint: bool,
    complaint_probability: float,
    cause: str,
    cause_probability: float,
    severity: str,
    risk_flags: list[str],
    evidence: dict[str, list[Span]],
    model_name: str,
    model_version: str,
    severity_probability: float,
) -> TriageResult:
    """`TriageResult(...)` (fields in declaration order) without the frozen dataclass's __init__,
    which sets each field through object.__setattr__: 0.7 instead of 3 us, and a batch builds one
    per review. The same object (equal, same __dict__ in the same order; TriageResult has no
    __post_init__: tests/triage/test_classify_one.py checks `_result` against the class)."""
    result: TriageResult = _new(TriageResult)
    _set(
        result,
        "__dict__",
        {
            "is_complaint": is_complaint,
            "complaint_probability": complaint_probability,
            "cause": cause,
            "cause_probability": cause_probability,
            "severity": severity,
            "risk_flags": risk_flags,
            "evidence": evidence,
            "model_name": model_name,
            "model_version": model_version,
            "severity_probability": severity_probability,
        },
    )
    return result


def _guideline_severity(flags: dict[str, list[Span]], cause: str, severity: str) -> str:
    """CAUSE_GUIDELINE severity: threats, extortion and every fake-goods claim are high."""
    if "extortion" in flags or "complaint_threat" in flags or cause == "fake_goods":
        return "high"
    return severity


def _rule_evidence(
    ev: dict[int, dict[str, list[Span]]],
    rule_spans: dict[int, tuple[int, int, int, str]],
    fu_source: np.ndarray,
    raw: Sequence[str],
) -> None:
    """A cause rule's match is cause evidence when the review (not a follow-up) is the source."""
    for i, (_, start, end, reason) in rule_spans.items():
        if fu_source[i] < 0 and "cause" in ev.get(i, {}):
            ev[i]["cause"].append(Span(start, end, raw[i][start:end], reason, "review"))


def _wanted(evidence: Evidence, is_complaint: np.ndarray) -> np.ndarray:
    """Rows that get gram evidence in this mode."""
    if evidence == "all":
        return np.ones(len(is_complaint), dtype=bool)
    if evidence == "complaints":
        return np.asarray(is_complaint.copy())
    return np.zeros(len(is_complaint), dtype=bool)


def _inv_sqrt(norm2: np.ndarray) -> np.ndarray:
    norm2[norm2 == 0] = 1.0
    return np.asarray(1.0 / np.sqrt(norm2), dtype=np.float32)


def _top_per_doc(doc: np.ndarray, values: np.ndarray, fid: np.ndarray) -> np.ndarray:
    """Indices of at most EVIDENCE_GRAMS distinct grams per document with the largest values
    (all positive) that are at least EVIDENCE_SHARE of the document's largest; `doc` is sorted.
    A gram is represented by its first occurrence; ties in value go to the earlier occurrence.
    Ordered by document, then value (descending), then occurrence.

    No sort: EVIDENCE_GRAMS rounds each pick every document's largest remaining value (its first
    occurrence) and drop that gram's other occurrences. Every occurrence of a gram in a document
    has the same value (a per-(document, gram) contribution), so the first occurrence at the
    largest value is the first occurrence of its gram, and the earliest of the grams tied there."""
    if not len(doc):
        return np.zeros(0, dtype=np.int64)
    starts = _segment_starts(doc)
    size = np.diff(starts, append=len(doc))
    share = values / np.repeat(np.maximum.reduceat(values, starts), size)  # 1: doc's strongest
    at = np.flatnonzero(share >= EVIDENCE_SHARE)
    s, g, f = share[at], doc[at], fid[at]
    picked: list[np.ndarray] = []
    picked_doc: list[np.ndarray] = []
    for _ in range(EVIDENCE_GRAMS):
        if not len(at):
            break
        starts = _segment_starts(g)
        size = np.diff(starts, append=len(g))
        top = np.flatnonzero(s == np.repeat(np.maximum.reduceat(s, starts), size))
        top = top[_segment_starts(g[top])]  # per doc: the first occurrence at its largest
        picked.append(at[top])
        picked_doc.append(g[top])
        if len(top) == len(at):
            break
        keep = f != np.repeat(f[top], size)
        at, s, g, f = at[keep], s[keep], g[keep], f[keep]
    out = np.concatenate(picked)
    return np.asarray(out[np.argsort(np.concatenate(picked_doc), kind="stable")])


def _segment_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Indices where a run of equal keys begins (`sorted_keys` non-empty and grouped)."""
    new = np.ones(len(sorted_keys), dtype=bool)
    new[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return np.flatnonzero(new)


def _merge_spans(
    doc: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Overlapping or touching spans of the same document merged into one highlight each."""
    if not len(doc):
        return doc, start, end
    order = np.argsort(doc * (4 * MAX_CHARS + 1) + start, kind="stable")
    doc, start, end = doc[order], start[order].astype(np.int64), end[order].astype(np.int64)
    offset = doc * (4 * MAX_CHARS + 1)  # makes a running maximum restart at each document
    reach = np.maximum.accumulate(end + offset) - offset
    new = np.ones(len(doc), dtype=bool)
    new[1:] = (doc[1:] != doc[:-1]) | (start[1:] > reach[:-1])
    first = np.flatnonzero(new)
    return doc[first], start[first], np.maximum.reduceat(end, first)


_EMPTY = TriageContext()
