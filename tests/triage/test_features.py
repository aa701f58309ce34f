"""The vectorised n-gram extractor finds exactly what a plain Python scan finds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reviewdesk.triage.features import (
    GramTable,
    NgramSpace,
    build_space,
    normalize,
    normalize_one,
)
from reviewdesk.triage.weights import savez

TEXTS = [
    "质量很好，就是物流太慢了",
    "收到就是坏的，根本开不了机，垃圾商家",
    "尺码偏大，平时穿Ｌ，这个大了一码",
    "苹果烂了一半，一股怪味，太失望了，再也不买了",
    "手机用了两天就死机\n屏幕还有坏点",
    "",
    "😀好评😀",
    "物流很快，质量很好，好评",
]


@pytest.fixture(scope="module")
def space() -> NgramSpace:
    norms = [normalize(t) for t in TEXTS]
    return build_space(norms, n_max=4, min_df=1, max_features=10_000, extra_grams=["好坏评"])


def _python_scan(space: NgramSpace, text: str) -> list[tuple[int, int, int]]:
    vocab = {g: i for i, g in enumerate(space.vocab.tolist())}
    norm = normalize(text)
    return sorted(
        (i, n, vocab[norm[i : i + n]])
        for n in range(1, space.n_max + 1)
        for i in range(len(norm) - n + 1)
        if norm[i : i + n] in vocab
    )


def test_normalisation_keeps_length_and_folds_width_case_and_line_breaks() -> None:
    assert normalize("ＡＢＣ，好\n评") == "abc,好 评"
    assert len(normalize("İstanbul")) == len("İstanbul")


def test_occurrences_equal_a_plain_scan_of_every_gram(space: NgramSpace) -> None:
    occ = space.occurrences(TEXTS)
    for d, text in enumerate(TEXTS):
        mask = occ.doc == d
        found = sorted(
            zip(occ.pos[mask].tolist(), occ.n[mask].tolist(), occ.fid[mask].tolist(), strict=True)
        )
        assert found == _python_scan(space, text)


def test_single_text_extractions_equal_the_batch_extraction(space: NgramSpace) -> None:
    for text in [*TEXTS, "ＡＢＣ好\n评😀好评", "好" * 2100]:
        occ = space.occurrences([text])
        expected = (occ.pos.tolist(), occ.n.tolist(), occ.fid.tolist())
        norm = normalize_one(text)
        assert norm == normalize(text)
        pos, n, fid = space.occurrences_one(norm)
        assert (pos, n, fid.tolist()) == expected
        assert space.occurrences_one_dict(norm) == expected


def test_no_gram_spans_two_texts_of_a_batch(space: NgramSpace) -> None:
    occ = space.occurrences(["好评", "好评"])
    assert sorted(occ.pos[occ.doc == 1].tolist()) == [0, 0, 1]


def test_vocabulary_is_prefix_closed_and_holds_lexicon_terms(space: NgramSpace) -> None:
    vocab = set(space.vocab.tolist())
    assert all(g[:-1] in vocab for g in vocab if len(g) > 1)
    assert "好坏评" in vocab  # lexicon terms are features even when no text has them


def test_gram_table_is_exact_for_present_and_absent_keys() -> None:
    rng = np.random.default_rng(7)
    keys = np.unique(rng.integers(0, 2**32 - 2, 5000, dtype=np.uint64)).astype(np.uint32)
    ids = np.arange(len(keys), dtype=np.int32)
    table = GramTable(keys, ids)
    assert len(table.tables) > 1  # some rows overflowed: keys found in a later table
    assert table.lookup(keys).tolist() == ids.tolist()
    absent = np.setdiff1d(rng.integers(0, 2**32 - 2, 5000, dtype=np.uint64), keys).astype(np.uint32)
    assert (table.lookup(absent) == -1).all()


def test_training_matrix_sums_duplicates_without_touching_the_occurrences(
    space: NgramSpace,
) -> None:
    occ = space.occurrences(["好好好", "差"])
    before = occ.fid.copy()
    x = space.matrix(occ, merge=True)
    assert (occ.fid == before).all()
    assert x.has_canonical_format
    # "好" three times: 3 idf / sqrt(3 idf^2) (the occurrence norm); "差" is not in the vocabulary
    assert x[0].data.tolist() == pytest.approx([3**0.5])
    assert x[1].nnz == 0


def test_saved_npz_bytes_do_not_depend_on_the_time(tmp_path: Path) -> None:
    arrays = {"w": np.arange(6, dtype=np.float16), "labels": np.array(["a", "b"])}
    savez(tmp_path / "a.npz", **arrays)
    savez(tmp_path / "b.npz", **arrays)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    with np.load(tmp_path / "a.npz", allow_pickle=False) as data:
        assert data["labels"].tolist() == ["a", "b"]


def test_csr_dot_equals_scipys_product_and_uses_its_kernel() -> None:
    import scipy.sparse as sp

    from reviewdesk.triage import features

    rng = np.random.default_rng(3)
    x = sp.random(50, 400, density=0.05, format="csr", dtype=np.float32, random_state=rng)
    dense = rng.standard_normal((400, 22)).astype(np.float32)
    got = features.csr_dot(x.indptr, x.indices, x.data, dense)
    assert np.array_equal(got, np.asarray(x @ dense))
    # a scipy upgrade that moves the kernel would silently take the slower public path
    assert features.FAST_CSR_KERNEL
