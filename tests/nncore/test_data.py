"""Tests for nncore.data: target functions, grids and samples, CSV import, the normaliser."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nncore.data import (
    DEFAULT_FUNCTION,
    FUNCTIONS,
    MIN_CSV_ROWS,
    DataError,
    Dataset,
    Normaliser,
    TargetFunction,
    get_function,
    grid,
    grid_axes,
    load_csv,
    load_points_csv,
    sample_uniform,
)
from nncore.errors import SettingsError
from nncore.formula import FormulaError


def article_function(x, y):
    """The article's target, transcribed as it is written there."""
    return np.sin(x) + x * np.cos(y) + y + 3 ** (x / 3)


# ---------------------------------------------------------------------------------------------
# Target functions


def test_registry_has_the_promised_functions_with_readable_text():
    assert DEFAULT_FUNCTION == "article"
    assert {"article", "mean", "saddle", "ripple", "bumps", "plane"} <= set(FUNCTIONS)
    for key, fn in FUNCTIONS.items():
        assert fn.name == key
        assert fn.label and fn.description.endswith(".")
        assert fn.domain == (-10, 10, -10, 10)
    assert FUNCTIONS["article"].label == "sin x + x·cos y + y + 3^(x/3)"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("article", lambda x, y: np.sin(x) + x * np.cos(y) + y + np.power(3.0, x / 3)),
        ("mean", lambda x, y: 0.5 * x + 0.5 * y),
        ("plane", lambda x, y: 2 * x - y + 5),
        ("saddle", lambda x, y: 0.1 * x**2 - 0.1 * y**2),
        ("ripple", lambda x, y: np.sin(np.hypot(x, y))),
        (
            "bumps",
            lambda x, y: (
                3 * np.exp(-((x - 4) ** 2 + (y - 4) ** 2) / 8)
                - 2 * np.exp(-((x + 4) ** 2 + (y + 3) ** 2) / 8)
            ),
        ),
    ],
)
def test_registered_functions_compute_what_their_label_says(name, expected):
    rng = np.random.default_rng(5)
    x, y = rng.uniform(-10, 10, 200), rng.uniform(-10, 10, 200)
    np.testing.assert_allclose(FUNCTIONS[name](x, y), expected(x, y), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["mean", "saddle", "bumps"])
def test_labels_typed_into_the_formula_box_give_the_same_function(name):
    typed = get_function(FUNCTIONS[name].label)
    x, y = np.meshgrid(np.linspace(-10, 10, 41), np.linspace(-10, 10, 41))
    np.testing.assert_allclose(typed(x, y), FUNCTIONS[name](x, y), rtol=1e-12, atol=1e-12)


def test_hand_worked_values():
    assert FUNCTIONS["mean"](0.1, 0.3) == pytest.approx(0.2)  # the lesson's example
    assert FUNCTIONS["article"](0.0, 0.0) == pytest.approx(1.0)  # sin 0 + 0 + 0 + 3^0
    assert FUNCTIONS["article"](3.0, 0.0) == pytest.approx(math.sin(3) + 3 + 3)
    assert FUNCTIONS["saddle"](10.0, 0.0) == pytest.approx(10.0)
    assert FUNCTIONS["bumps"](4.0, 4.0) == pytest.approx(3 - 2 * math.exp(-(64 + 49) / 8))


def test_get_function_by_name_and_by_formula():
    assert get_function("article") is FUNCTIONS["article"]
    assert get_function("  Mean ") is FUNCTIONS["mean"]
    custom = get_function("x*y / 10")
    assert custom.name == "formula" and custom.label == "x*y / 10"
    assert custom(2.0, 5.0) == pytest.approx(1.0)
    assert get_function(custom) is custom
    with pytest.raises(
        FormulaError,
        match=r"column 1: 'artcle' is neither one of the functions "
        r"\(article, mean, .*\) nor a formula in x and y; "
        r"did you mean 'article'\?$",
    ):
        get_function("artcle")
    with pytest.raises(FormulaError, match=r"column 3: 'qwerty' is neither .* x and y$"):
        get_function("  qwerty")
    with pytest.raises(FormulaError, match="'sin' is a function"):
        get_function("sin")
    with pytest.raises(FormulaError, match="column 3: 'os' is not allowed"):
        get_function("x*os")
    with pytest.raises(FormulaError, match="no function given"):
        get_function("   ")
    with pytest.raises(TypeError, match="expected a function name or a formula, not int"):
        get_function(5)


def test_target_function_rejects_bad_domains():
    with pytest.raises(SettingsError, match="lo < hi"):
        TargetFunction("bad", "x", lambda x, y: x, domain=(1, -1, 0, 1))
    with pytest.raises(SettingsError, match="domain"):
        TargetFunction("bad", "x", lambda x, y: x, domain=(0, 1))


# ---------------------------------------------------------------------------------------------
# The grid


def test_grid_is_the_articles_grid_bit_for_bit():
    # The article's construction, transcribed.
    x = np.linspace(-10, 10, 100)
    y = np.linspace(-10, 10, 100)
    X, Y = np.meshgrid(x, y)
    Z = article_function(X, Y)
    inputs = np.column_stack((X.flatten(), Y.flatten()))
    outputs = Z.flatten()

    ds = grid(FUNCTIONS["article"])
    assert ds.X.shape == (10_000, 2) and ds.y.shape == (10_000, 1)
    assert ds.X.dtype == np.float64 and ds.y.dtype == np.float64
    assert np.array_equal(ds.X, inputs)
    assert np.array_equal(ds.y[:, 0], outputs)

    xs, ys, Zg = grid_axes(FUNCTIONS["article"])
    assert np.array_equal(xs, x) and np.array_equal(ys, y) and np.array_equal(Zg, Z)


def test_grid_layout_rows_are_y_columns_are_x():
    fn = get_function("x + 100*y")
    ds = grid(fn, n=5)
    xs, ys, Z = grid_axes(fn, n=5)
    table = ds.y.reshape(5, 5)
    for iy in range(5):
        for ix in range(5):
            assert table[iy, ix] == xs[ix] + 100 * ys[iy] == Z[iy, ix]
    assert np.array_equal(ds.X[7], [xs[2], ys[1]])  # row 7 = mesh row 1, column 2


def test_grid_over_a_custom_domain_and_noise():
    fn = TargetFunction("t", "x", lambda x, y: x + 0 * y, domain=(0, 1, 2, 4))
    ds = grid(fn, n=3)
    assert np.array_equal(np.unique(ds.X[:, 0]), [0, 0.5, 1])
    assert np.array_equal(np.unique(ds.X[:, 1]), [2, 3, 4])
    noisy = grid(fn, n=3, noise=0.5, seed=1)
    assert np.array_equal(noisy.X, ds.X)
    assert np.array_equal(noisy.y, ds.y + np.random.default_rng(1).normal(0, 0.5, (9, 1)))
    assert "noise 0.5" in noisy.source


def test_constant_formula_gives_a_full_grid():
    ds = grid("3", n=4)
    assert ds.y.shape == (16, 1) and np.all(ds.y == 3)


@pytest.mark.parametrize("n", [0, 1, -5, 2.5, 10**6, float("nan")])
def test_grid_rejects_bad_sizes(n):
    with pytest.raises(SettingsError, match="the grid size n must be a whole number"):
        grid("article", n=n)


@pytest.mark.parametrize("n", [True, "100", None])
def test_grid_size_of_the_wrong_type_is_a_type_error(n):
    with pytest.raises(TypeError, match="the grid size n must be a whole number"):
        grid("article", n=n)


def test_grid_size_may_be_a_whole_float():
    assert np.array_equal(grid("mean", n=4.0).X, grid("mean", n=4).X)


# ---------------------------------------------------------------------------------------------
# Random samples


def test_sample_uniform_draws_x_then_y_from_the_seeded_generator():
    ds = sample_uniform(FUNCTIONS["article"], 1000, seed=7)
    rng = np.random.default_rng(7)
    xs = rng.uniform(-10, 10, 1000)
    ys = rng.uniform(-10, 10, 1000)
    assert np.array_equal(ds.X, np.column_stack((xs, ys)))
    assert np.array_equal(ds.y[:, 0], article_function(xs, ys))
    assert len(ds) == 1000 and ds.X.min() >= -10 and ds.X.max() < 10


def test_sample_uniform_noise_is_gaussian_with_the_given_std():
    clean = sample_uniform("mean", 20_000, seed=3)
    noisy = sample_uniform("mean", 20_000, seed=3, noise=0.5)
    assert np.array_equal(clean.X, noisy.X)
    residual = (noisy.y - clean.y).ravel()
    assert abs(residual.mean()) < 0.02
    assert residual.std() == pytest.approx(0.5, rel=0.03)


def test_sample_uniform_is_reproducible_and_seed_dependent():
    a = sample_uniform("saddle", 50, seed=1, noise=0.1)
    b = sample_uniform("saddle", 50, seed=1, noise=0.1)
    c = sample_uniform("saddle", 50, seed=2, noise=0.1)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(n=0), SettingsError, "samples n must be a whole number from 1 to 5,000,000; got 0"),
        (dict(n=10**9), SettingsError, "from 1 to 5,000,000"),
        (dict(n=10, noise=-1), SettingsError, r"noise \(a standard deviation\) .* at least 0"),
        (dict(n=10, noise=float("nan")), SettingsError, "noise"),
        (dict(n=10, noise="lots"), TypeError, "noise .* must be a number; got 'lots'"),
        (dict(n=10, seed=-1), SettingsError, "seed must be a whole number >= 0; got -1"),
        (dict(n=10, seed=1.5), SettingsError, "seed must be a whole number"),
        (dict(n="10"), TypeError, "samples n must be a whole number"),
    ],
)
def test_sample_uniform_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        sample_uniform("article", **kwargs)


@pytest.mark.parametrize(
    "formula, count, where",
    [
        ("log(x)", 5000, "x=-10, y=-10"),  # left half of the grid
        ("1/(x - 10)", 100, "x=10, y=-10"),  # the last column only
        ("sqrt(y)", 5000, "x=-10, y=-10"),
    ],
)
def test_nan_and_inf_are_reported_with_count_and_place(formula, count, where):
    with pytest.raises(DataError) as info:
        grid(formula)
    message = str(info.value)
    assert f"gives NaN or inf at {count} of the 10000 points" in message
    assert where in message and formula in message


def test_nan_in_random_samples_is_reported():
    with pytest.raises(DataError, match=r"gives NaN or inf at \d+ of the 100 points"):
        sample_uniform("log(y)", 100)


# ---------------------------------------------------------------------------------------------
# Dataset and split


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


# ---------------------------------------------------------------------------------------------
# Normaliser


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


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.floats(0, 0.95), st.integers(0, 2**32 - 1))
def test_split_property_partitions_the_rows(n, share, seed):
    ds = Dataset(np.arange(2 * n, dtype=float).reshape(n, 2), np.arange(n))
    train, val = ds.split(share, seed)
    assert len(train) >= 1 and len(train) + len(val) == n
    ids = np.concatenate([train.y[:, 0], val.y[:, 0]])
    assert sorted(ids.tolist()) == list(range(n))
    assert np.array_equal(train.X[:, 0], 2 * train.y[:, 0])  # rows stay with their targets


# ---------------------------------------------------------------------------------------------
# CSV import


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows_text(n=12, sep=","):
    return "".join(f"{i}{sep}{-i / 2}{sep}{i * 1.5}\n" for i in range(n))


def test_csv_without_header(tmp_path):
    ds = load_csv(write(tmp_path, rows_text()))
    assert ds.X.shape == (12, 2) and ds.y.shape == (12, 1)
    assert ds.X[3].tolist() == [3.0, -1.5] and ds.y[3, 0] == 4.5
    assert "data.csv" in ds.source and "12 rows" in ds.source


def test_csv_with_header_in_any_order_and_extra_columns(tmp_path):
    text = "id,target,y,x\n" + "".join(f"{i},{i * 3},{i * 2},{i}\n" for i in range(10))
    ds = load_csv(write(tmp_path, text))
    assert ds.X[:, 0].tolist() == list(range(10)) and ds.X[:, 1].tolist() == [
        2 * i for i in range(10)
    ]
    assert ds.y[:, 0].tolist() == [3 * i for i in range(10)]


@pytest.mark.parametrize("header", ["x,y,z", "X, Y, Target", '"x","y","value"', "a,b,c", "x,y,w"])
def test_csv_header_names(tmp_path, header):
    ds = load_csv(write(tmp_path, header + "\n" + rows_text()))
    assert len(ds) == 12 and ds.y[2, 0] == 3.0 and ds.X[2].tolist() == [2.0, -1.0]


def test_csv_header_with_x_and_y_swapped_and_an_unnamed_target(tmp_path):
    ds = load_csv(write(tmp_path, "w,y,x\n" + rows_text()))
    assert ds.X[2].tolist() == [3.0, -1.0] and ds.y[2, 0] == 2.0


def test_csv_with_the_wrong_number_of_columns_everywhere_gets_one_message(tmp_path):
    text = "".join(f"{i},{i}\n" for i in range(30))
    with pytest.raises(
        DataError,
        match=r"every row has 2 values but 3 are expected \(x, y, "
        r"target\); check the separator .*line 1\)",
    ) as info:
        load_csv(write(tmp_path, text))
    assert info.value.lines == list(range(1, 31))


@pytest.mark.parametrize("sep", [";", "\t", " ", "   "])
def test_csv_other_separators(tmp_path, sep):
    ds = load_csv(write(tmp_path, f"x{sep}y{sep}target\n" + rows_text(sep=sep)))
    assert ds.X[5].tolist() == [5.0, -2.5] and ds.y[5, 0] == 7.5


def test_csv_semicolons_with_decimal_commas(tmp_path):
    text = "x;y;target\n" + "".join(f"{i},5;-{i};{i}e1\n" for i in range(10))
    ds = load_csv(write(tmp_path, text))
    assert ds.X[2].tolist() == [2.5, -2.0] and ds.y[2, 0] == 20.0


def test_csv_tolerates_comments_blank_lines_crlf_bom_quotes_and_trailing_separator(tmp_path):
    text = "\ufeff# measured on Tuesday\r\nx,y,target\r\n\r\n" + "".join(
        f'"{i}", {i},{i},\r\n' for i in range(10)
    )
    ds = load_csv(write(tmp_path, text))
    assert len(ds) == 10 and ds.y[9, 0] == 9.0


def test_csv_with_excels_separator_line(tmp_path):
    ds = load_csv(write(tmp_path, "sep=;\nx;y;target\n" + rows_text(sep=";")))
    assert len(ds) == 12 and ds.X[1].tolist() == [1.0, -0.5]


def test_csv_decimal_commas_with_comma_separator_get_a_hint(tmp_path):
    text = 'x,y,target\n"1,5",2,3\n' + rows_text()
    with pytest.raises(
        DataError,
        match=r"line 2: column 'x' holds '1,5', which is not a number; "
        r"for decimal commas separate the columns with ';'",
    ):
        load_csv(write(tmp_path, text))


def test_csv_in_utf16_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("x\ty\ttarget\n" + rows_text(sep="\t")).encode("utf-16"))
    assert len(load_csv(path)) == 12


@pytest.mark.parametrize(
    "lines, expected_line, expected",
    [
        # (file lines, the line blamed, what the message says)
        (
            ["x,y,target", "1,2,3", "1,2", "1,2,3"],
            3,
            "line 3: expected 3 values (x, y, target), found 2",
        ),
        (["1,2,3", "4,5,6,7"], 2, "line 2: expected 3 values (x, y, target), found 4"),
        (
            ["x,y,target", "1,2,3", "1,abc,3"],
            3,
            "line 3: column 'y' holds 'abc', which is not a number",
        ),
        (["1,2,3", "1,,3"], 2, "line 2: column 'y' holds nothing, which is not a number"),
        (
            ["x,y,target", "", "# note", "1,2,nan"],
            4,
            "line 4: column 'target' is nan; every value must be a finite",
        ),
        (["x,y,target", "inf,2,3"], 2, "line 2: column 'x' is inf"),
        (["a,b,c,d", "1,2,3,4", "1,2,3"], 1, "line 1: expected 3 values (x, y, target), found 4"),
        (["x,y,f", "1,2,3", "1_000,2,3"], 3, "line 3: column 'x' holds '1_000'"),
    ],
)
def test_csv_bad_lines_are_named(tmp_path, lines, expected_line, expected):
    body = lines + [f"{i},{i},{i}" for i in range(12)]
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, "\n".join(body) + "\n"))
    assert expected in str(info.value)
    assert expected_line in info.value.lines
    assert "data.csv has" in str(info.value)


def test_csv_many_bad_lines_are_summarised_but_all_recorded(tmp_path):
    text = "x,y,target\n" + "".join("1,2,oops\n" for _ in range(20)) + rows_text()
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, text))
    message = str(info.value)
    assert message.startswith("data.csv has 20 bad lines:")
    assert "line 2:" in message and "line 9:" in message and "line 10:" not in message
    assert "... and 12 more lines" in message
    assert info.value.lines == list(range(2, 22))


def test_csv_with_too_few_rows(tmp_path):
    with pytest.raises(
        DataError,
        match=rf"has only 4 data rows \(lines 2–5\); at least "
        rf"{MIN_CSV_ROWS} are needed",
    ):
        load_csv(write(tmp_path, "x,y,target\n" + rows_text(4)))
    with pytest.raises(DataError, match=r"only 0 data rows \(only a header on line 2\)"):
        load_csv(write(tmp_path, "# header follows\nx,y,target\n"))
    with pytest.raises(DataError, match=r"only 1 data row \(line 1\)"):
        load_csv(write(tmp_path, "1,2,3\n"))


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# only a comment\n"])
def test_empty_csv(tmp_path, text):
    with pytest.raises(DataError, match="data.csv is empty"):
        load_csv(write(tmp_path, text))


def test_missing_file_folder_and_bad_path(tmp_path):
    with pytest.raises(DataError, match="file not found: .*nope.csv"):
        load_csv(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="is a folder"):
        load_csv(tmp_path)
    with pytest.raises(TypeError, match="expected a file path, not int"):
        load_csv(42)


def test_undecodable_and_binary_files(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,y,target\n1,2,3\ncaf\xe9,2,3\n")
    with pytest.raises(DataError, match="undecodable bytes on line 3") as info:
        load_csv(path)
    assert info.value.lines == [3]
    path.write_bytes(b"x,y,target\n1,2,3\n\x00\x01\x02\n")
    with pytest.raises(DataError, match=r"binary file.*line 3"):
        load_csv(path)


def test_csv_round_trip_of_a_sampled_dataset(tmp_path):
    ds = sample_uniform("ripple", 50, seed=9, noise=0.01)
    lines = ["x,y,target"] + [
        f"{a!r},{b!r},{c!r}" for (a, b), c in zip(ds.X.tolist(), ds.y[:, 0].tolist())
    ]
    back = load_csv(write(tmp_path, "\n".join(lines)))
    assert np.array_equal(back.X, ds.X) and np.array_equal(back.y, ds.y)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(*[st.floats(allow_nan=False, allow_infinity=False, width=64)] * 3),
        min_size=MIN_CSV_ROWS,
        max_size=40,
    ),
    st.sampled_from([",", ";", "\t", " "]),
    st.booleans(),
)
def test_csv_property_any_finite_table_reads_back_exactly(tmp_path_factory, rows, sep, header):
    lines = ([sep.join(["x", "y", "target"])] if header else []) + [
        sep.join(repr(v) for v in row) for row in rows
    ]
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    ds = load_csv(path)
    assert np.array_equal(np.hstack([ds.X, ds.y]), np.array(rows, dtype=np.float64).reshape(-1, 3))


def test_csv_larger_than_the_cap_is_refused_before_reading(tmp_path, monkeypatch):
    import nncore.data as data_module

    monkeypatch.setattr(data_module, "MAX_CSV_BYTES", 100)
    with pytest.raises(DataError, match=r"data.csv is too large"):
        load_csv(write(tmp_path, rows_text(20)))


# ---------------------------------------------------------------------------------------------
# Points to predict at (CSV with an optional target)


def test_points_csv_with_header_and_target_reads_the_named_columns(tmp_path):
    X, y = load_points_csv(write(tmp_path, "id;target;y;x\n7;3,5;-1;2\n8;0;4;1e2\n"))
    assert X.tolist() == [[2.0, -1.0], [100.0, 4.0]]
    assert y.shape == (2, 1) and y[:, 0].tolist() == [3.5, 0.0]


def test_points_csv_with_header_and_no_target(tmp_path):
    X, y = load_points_csv(write(tmp_path, "# to try\ny,x\n1,2\n3,4\n"))
    assert y is None and X.tolist() == [[2.0, 1.0], [4.0, 3.0]]
    # x and y named: another column that is no target name is ignored, not taken as one
    X, y = load_points_csv(write(tmp_path, "x,y,id\n1,2,a17\n"))
    assert y is None and X.tolist() == [[1.0, 2.0]]


def test_points_csv_header_without_input_names_takes_the_first_other_columns(tmp_path):
    X, y = load_points_csv(write(tmp_path, "value\ta\tb\tnote\n9\t1\t2\t5\n"))
    assert X.tolist() == [[1.0, 2.0]] and y.tolist() == [[9.0]]


def test_points_csv_without_header_first_row_decides_on_a_target(tmp_path):
    X, y = load_points_csv(write(tmp_path, "1 2\n3 4\n"))
    assert y is None and X.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    X, y = load_points_csv(write(tmp_path, "1\t2\t1.5\n3\t4\t3.5\n"))
    assert X.tolist() == [[1.0, 2.0], [3.0, 4.0]] and y[:, 0].tolist() == [1.5, 3.5]


def test_points_csv_single_row_is_enough(tmp_path):
    # MIN_CSV_ROWS is for training; one point is a whole prediction request
    X, y = load_points_csv(write(tmp_path, "0.25,-8\n"))
    assert X.shape == (1, 2) and X.tolist() == [[0.25, -8.0]] and y is None
    with pytest.raises(DataError, match=r"only 1 data row"):
        load_csv(write(tmp_path, "0.25,-8,1\n"))


def test_points_csv_other_input_counts_use_numbered_names(tmp_path):
    X, y = load_points_csv(write(tmp_path, "x3,x1,x2\n3,1,2\n"), n_inputs=3)
    assert X.tolist() == [[1.0, 2.0, 3.0]] and y is None
    X, y = load_points_csv(write(tmp_path, "5,6\n"), n_inputs=1)
    assert X.tolist() == [[5.0]] and y.tolist() == [[6.0]]


def test_points_csv_reads_what_load_csv_reads_the_same_way(tmp_path):
    path = write(tmp_path, "sep=;\nw;y;x\n" + "".join(f"{i},5;{-i};{i * 3}\n" for i in range(12)))
    ds = load_csv(path)  # x, y named: the column left (w) is load_csv's target
    X, y = load_points_csv(path)  # optional target: only by name, so none here
    assert np.array_equal(X, ds.X) and y is None


@pytest.mark.parametrize(
    "text, line, expected",
    [
        ("x,y\n1,2\n3,oops\n", 3, "line 3: column 'y' holds 'oops', which is not a number"),
        ("x,y,target\n1,2,3\n1,2\n", 3, "line 3: expected 3 values (x, y, target), found 2"),
        ("1,2\n\n# c\n1,2,3\n", 4, "line 4: expected 2 values (x, y), found 3"),
        ("1 2 3\n4 inf 6\n", 2, "line 2: column 'y' is inf; every value must be a finite number"),
        ("y,x,z\n1,2,nan\n", 2, "line 2: column 'z' is nan"),
    ],
)
def test_points_csv_bad_lines_are_named(tmp_path, text, line, expected):
    with pytest.raises(DataError) as info:
        load_points_csv(write(tmp_path, text))
    assert expected in str(info.value) and str(info.value).startswith("data.csv has 1 bad line:")
    assert info.value.lines == [line]
    ((problem_line, what),) = info.value.problems  # the same fault, for callers to format
    assert problem_line == line and expected.split(": ", 1)[1] in what


@pytest.mark.parametrize(
    "text, match",
    [
        (
            "",
            "data.csv is empty: it holds no rows of numbers \\(expected columns x, y and maybe a "
            "target\\)",
        ),
        (
            "x,y\n",
            r"only 0 data rows \(only a header on line 1\); at least 1 is needed to make a "
            r"prediction",
        ),
        (
            "1,2,3,4\n5,6,7,8\n",
            r"every row has 4 values but 2 or 3 are expected \(x, y and maybe a "
            r"target\); .*line 1\)",
        ),
    ],
)
def test_points_csv_whole_file_problems(tmp_path, text, match):
    with pytest.raises(DataError, match=match):
        load_points_csv(write(tmp_path, text))


def test_points_csv_file_problems_and_bad_arguments(tmp_path):
    with pytest.raises(DataError, match="file not found: .*nope.csv"):
        load_points_csv(tmp_path / "nope.csv")
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,y\n1,2\ncaf\xe9,2\n")
    with pytest.raises(DataError, match="undecodable bytes on line 3"):
        load_points_csv(path)
    for bad in (0, 2.5):
        with pytest.raises(SettingsError, match="n_inputs must be a whole number"):
            load_points_csv(write(tmp_path, "1,2\n"), n_inputs=bad)
    with pytest.raises(TypeError, match="n_inputs must be a whole number"):
        load_points_csv(write(tmp_path, "1,2\n"), n_inputs=True)
    X, _ = load_points_csv(write(tmp_path, "1,2\n"), n_inputs=2.0)  # 2.0 is the whole number 2
    assert X.tolist() == [[1.0, 2.0]]


def test_data_and_formula_import_no_qt():
    import subprocess
    import sys

    code = (
        "import sys, nncore.data, nncore.formula; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_mesh_points_lay_out_a_rectangle_like_the_grid():
    from nncore.data import FUNCTIONS, grid, mesh_points

    fn = FUNCTIONS["article"]
    xs, ys, points = mesh_points(fn.domain, 100)
    assert np.array_equal(points, grid(fn, 100).X)
    xs, ys, points = mesh_points((0.0, 1.0, -2.0, 2.0), 3)
    assert xs.tolist() == [0.0, 0.5, 1.0] and ys.tolist() == [-2.0, 0.0, 2.0]
    assert points[1].tolist() == [0.5, -2.0] and points[3].tolist() == [0.0, 0.0]
    with pytest.raises(SettingsError, match="the grid size n must be a whole number from 2"):
        mesh_points((0, 1, 0, 1), 1)


def test_dataset_bounds_span_the_inputs():
    from nncore.data import Dataset

    ds = Dataset(np.array([[1.0, -3.0], [4.0, 2.0], [-1.0, 0.0]]), np.zeros((3, 1)), "t")
    assert ds.bounds() == (-1.0, 4.0, -3.0, 2.0)
