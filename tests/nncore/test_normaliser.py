"""Tests for nncore.normaliser: z-scores against the article and hand-worked numbers."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nncore.data import grid, sample_uniform
from nncore.errors import DataError
from nncore.normaliser import Normaliser


def test_normaliser_matches_the_articles_statistics():
    ds = grid("article")
    norm = Normaliser.fit(ds.X, ds.y)
    inputs, outputs = ds.X, ds.y[:, 0]
    assert np.array_equal(norm.x_mean[0], np.mean(inputs, axis=0))
    assert np.array_equal(norm.x_std[0], np.std(inputs, axis=0))
    assert norm.y_mean.item() == np.mean(outputs) and norm.y_std.item() == np.std(outputs)
    assert np.array_equal(
        norm.transform_x(inputs), (inputs - np.mean(inputs, axis=0)) / np.std(inputs, axis=0)
    )
    assert np.array_equal(
        norm.transform_y(outputs)[:, 0], (outputs - np.mean(outputs)) / np.std(outputs)
    )


def test_normaliser_uses_population_std_on_a_hand_worked_example():
    X = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 10.0], [7.0, 10.0]])
    y = np.array([2.0, 4.0, 4.0, 6.0])
    norm = Normaliser.fit(X, y)
    assert norm.x_mean.tolist() == [[4.0, 10.0]]
    assert norm.x_std.tolist() == [[math.sqrt(5.0), 1.0]]  # (9+1+1+9)/4 = 5; constant -> 1
    assert norm.y_mean.tolist() == [[4.0]] and norm.y_std.tolist() == [[math.sqrt(2.0)]]
    assert norm.transform_x(X)[:, 1].tolist() == [0.0] * 4


def test_a_constant_column_never_divides_by_zero():
    X = np.full((6, 2), 0.1)  # std of a constant 0.1 column is a rounding crumb, not 0
    y = np.full(6, -3.7)
    norm = Normaliser.fit(X, y)
    assert norm.x_std.tolist() == [[1.0, 1.0]] and norm.y_std.tolist() == [[1.0]]
    assert np.all(np.isfinite(norm.transform_x(X))) and np.all(np.isfinite(norm.transform_y(y)))
    np.testing.assert_allclose(norm.inverse_y(norm.transform_y(y)), y.reshape(-1, 1))


def test_normaliser_round_trip_and_json():
    ds = sample_uniform("article", 500, seed=2)
    norm = Normaliser.fit(ds.X, ds.y)
    z = norm.transform_y(ds.y)
    assert abs(z.mean()) < 1e-12 and z.std() == pytest.approx(1.0)
    np.testing.assert_allclose(norm.inverse_y(z), ds.y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(norm.inverse_x(norm.transform_x(ds.X)), ds.X, atol=1e-12)
    assert norm.inverse_y(z[:, 0]).shape == (500, 1)  # a flat prediction vector is accepted
    d = json.loads(json.dumps(norm.to_dict()))
    assert set(d) == {"x_mean", "x_std", "y_mean", "y_std"}
    assert all(type(v) is list and all(type(f) is float for f in v) for v in d.values())
    back = Normaliser.from_dict(d)
    for key in d:
        assert np.array_equal(getattr(back, key), getattr(norm, key))
        assert getattr(back, key).shape == (1, 2 if key.startswith("x") else 1)


def test_identity_normaliser_changes_nothing():
    norm = Normaliser.identity(2, 1)
    X = np.array([[1.5, -2.0]])
    assert np.array_equal(norm.transform_x(X), X) and np.array_equal(
        norm.inverse_y([[7.0]]), [[7.0]]
    )
    assert norm.n_inputs == 2 and norm.n_outputs == 1


def test_normaliser_checks_shapes_of_what_it_transforms():
    norm = Normaliser.identity(2, 1)
    with pytest.raises(DataError, match=r"X must have shape \(n, 2\)"):
        norm.transform_x(np.zeros((3, 3)))
    with pytest.raises(DataError, match=r"y must have shape \(n, 1\)"):
        norm.inverse_y(np.zeros((3, 2)))
    with pytest.raises(DataError, match="finite"):
        Normaliser.fit(np.array([[np.nan, 1.0]]), np.array([1.0]))


GOOD = {"x_mean": [0.0, 1.0], "x_std": [1.0, 2.0], "y_mean": [3.0], "y_std": [4.0]}


@pytest.mark.parametrize(
    "change, match",
    [
        (
            {"x_std": [1.0, 0.0]},
            r"'x_std'\[1\] is a standard deviation and must be positive; got 0.0",
        ),
        ({"y_std": [-2.0]}, r"'y_std'\[0\] .* must be positive"),
        ({"x_mean": [0.0, float("nan")]}, r"'x_mean'\[1\] must be finite"),
        ({"y_mean": [float("inf")]}, r"'y_mean'\[0\] must be finite"),
        ({"x_mean": [0.0, "1"]}, r"'x_mean'\[1\] must be a number"),
        ({"x_mean": [True, 1.0]}, r"'x_mean'\[0\] must be a number"),
        ({"x_mean": [0.0]}, r"'x_mean' has 1 values but 'x_std' has 2"),
        ({"y_std": []}, r"'y_std' must be a non-empty list"),
        ({"y_std": 4.0}, r"'y_std' must be a non-empty list"),
        ({"extra": [1.0]}, r"unknown key extra"),
    ],
)
def test_from_dict_rejects_bad_statistics_precisely(change, match):
    # Statistics come from a file: a wrong type there is bad data (DataError), not a TypeError.
    with pytest.raises(DataError, match=match):
        Normaliser.from_dict({**GOOD, **change})


def test_from_dict_rejects_missing_keys_and_non_dicts():
    with pytest.raises(DataError, match="missing keys y_mean, y_std"):
        Normaliser.from_dict({"x_mean": [0.0], "x_std": [1.0]})
    with pytest.raises(DataError, match="expected a dict"):
        Normaliser.from_dict([1, 2])


def test_from_dict_accepts_the_nested_row_form():
    norm = Normaliser.from_dict({k: [v] for k, v in GOOD.items()})
    assert norm.x_std.tolist() == [[1.0, 2.0]]


# Values are 0 or at least 1e-150 in size: the normaliser is np.std to the bit (as the
# article computes it), and np.std squares deviations, which below about 1e-154 fall into
# subnormal floats and lose digits (e.g. a column [1e-159, 0] gets a std 4e-6 off).
finite_columns = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 30), st.just(3)),
    elements=st.floats(-1e6, 1e6, allow_nan=False, width=64).filter(
        lambda v: v == 0 or abs(v) >= 1e-150
    ),
)


@settings(max_examples=60, deadline=None)
@given(finite_columns)
def test_normaliser_property_round_trip_and_unit_scale(data):
    X, y = data[:, :2], data[:, 2:]
    norm = Normaliser.fit(X, y)
    assert np.all(norm.x_std > 0) and np.all(norm.y_std > 0)
    zx, zy = norm.transform_x(X), norm.transform_y(y)
    assert np.all(np.isfinite(zx)) and np.all(np.isfinite(zy))
    # Every column is either centred with unit spread or (constant) merely shifted to ~0.
    assert np.all(np.abs(zx.mean(axis=0)) < 1e-6)
    assert np.all((np.abs(zx.std(axis=0) - 1) < 1e-6) | (zx.std(axis=0) < 1e-6))
    np.testing.assert_allclose(norm.inverse_y(zy), y, rtol=1e-9, atol=1e-9 * (1 + np.abs(y).max()))
    back = Normaliser.from_dict(json.loads(json.dumps(norm.to_dict())))
    assert np.array_equal(back.transform_x(X), zx)
