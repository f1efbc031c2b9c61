"""Tests for nncore.dataset: the checked arrays, subsets and the seeded split."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore.data import sample_uniform
from nncore.dataset import Dataset, random_generator
from nncore.errors import DataError, SettingsError


def test_dataset_shapes_are_checked_and_a_flat_target_becomes_a_column():
    ds = Dataset(np.zeros((4, 2)), np.arange(4), "t")
    assert ds.y.shape == (4, 1) and len(ds) == 4 and ds.n_inputs == 2 and ds.n_outputs == 1
    with pytest.raises(DataError, match="must have shape"):
        Dataset(np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(DataError, match="2-D"):
        Dataset(np.zeros(4), np.zeros(4))
    with pytest.raises(DataError, match=r"y holds NaN or inf \(first at sample 2\)"):
        Dataset(np.zeros((4, 2)), [0.0, 1.0, np.nan, np.inf])
    with pytest.raises(DataError, match=r"X holds NaN or inf \(first at sample 0\)"):
        Dataset([[np.inf, 0.0]], [1.0])


def test_split_is_a_seeded_permutation_that_loses_nothing():
    ds = sample_uniform("article", 101, seed=0)
    train, val = ds.split(0.2, seed=4)
    assert len(val) == 20 and len(train) == 81
    # Nothing lost, nothing duplicated, rows stay paired with their targets.
    both = np.vstack([np.hstack([train.X, train.y]), np.hstack([val.X, val.y])])
    whole = np.hstack([ds.X, ds.y])
    assert np.array_equal(np.sort(both, axis=0), np.sort(whole, axis=0))
    # The validation rows are the first 20 of default_rng(4).permutation(101).
    expected = np.sort(np.random.default_rng(4).permutation(101)[:20])
    assert np.array_equal(val.X, ds.X[expected])
    again, _ = ds.split(0.2, seed=4)
    other, _ = ds.split(0.2, seed=5)
    assert np.array_equal(again.X, train.X) and not np.array_equal(other.X, train.X)


def test_split_with_zero_share_keeps_everything_for_training():
    ds = sample_uniform("mean", 10)
    train, val = ds.split(0.0, seed=0)
    assert len(val) == 0 and val.X.shape == (0, 2) and val.y.shape == (0, 1)
    assert np.array_equal(train.X, ds.X)
    assert train.source.endswith("training part (10 of 10)")
    assert val.source.endswith("validation part (0 of 10)")


def test_split_keeps_at_least_one_training_sample():
    ds = Dataset(np.zeros((2, 2)), np.zeros(2))
    train, val = ds.split(0.9, seed=0)
    assert len(train) == 1 and len(val) == 1


@pytest.mark.parametrize("share", [-0.1, 1.0, 1.5, float("nan")])
def test_split_rejects_bad_shares(share):
    with pytest.raises(
        SettingsError, match="val_share must be a finite number at least 0 and below 1"
    ):
        sample_uniform("mean", 10).split(share, seed=0)
    with pytest.raises(TypeError, match="val_share"):
        sample_uniform("mean", 10).split("0.2", seed=0)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.floats(0, 0.95), st.integers(0, 2**32 - 1))
def test_split_property_partitions_the_rows(n, share, seed):
    ds = Dataset(np.arange(2 * n, dtype=float).reshape(n, 2), np.arange(n))
    train, val = ds.split(share, seed)
    assert len(train) >= 1 and len(train) + len(val) == n
    ids = np.concatenate([train.y[:, 0], val.y[:, 0]])
    assert sorted(ids.tolist()) == list(range(n))
    assert np.array_equal(train.X[:, 0], 2 * train.y[:, 0])  # rows stay with their targets


def test_dataset_bounds_span_the_inputs():
    ds = Dataset(np.array([[1.0, -3.0], [4.0, 2.0], [-1.0, 0.0]]), np.zeros((3, 1)), "t")
    assert ds.bounds() == (-1.0, 4.0, -3.0, 2.0)


def test_random_generator_is_default_rng_with_a_checked_seed():
    expected = np.random.default_rng(7).uniform(size=5)
    assert np.array_equal(random_generator(7).uniform(size=5), expected)
    assert isinstance(random_generator(None), np.random.Generator)
    with pytest.raises(SettingsError, match="seed"):
        random_generator(-1)
    with pytest.raises(TypeError, match="seed"):
        random_generator("7")
