"""Tests for nncore.data: target functions, grids and random samples, and its re-exports."""

import math

import numpy as np
import pytest

from nncore.data import (
    DEFAULT_FUNCTION,
    FUNCTIONS,
    DataError,
    TargetFunction,
    get_function,
    grid,
    grid_axes,
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


def test_data_and_formula_import_no_qt():
    import subprocess
    import sys

    code = (
        "import sys, nncore.data, nncore.dataset, nncore.normaliser, nncore.csvfiles, nncore.formula; "
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


def test_the_data_api_is_importable_from_nncore_data_as_before():
    from nncore import csvfiles, data, dataset, errors, normaliser

    assert data.Dataset is dataset.Dataset
    assert data.Normaliser is normaliser.Normaliser
    assert data.load_csv is csvfiles.load_csv
    assert data.load_points_csv is csvfiles.load_points_csv
    assert (data.MIN_CSV_ROWS, data.MAX_CSV_BYTES) == (10, 30_000_000)
    assert data.DataError is errors.DataError
    assert set(data.__all__) <= set(vars(data))
