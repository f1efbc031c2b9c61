"""Weight files: exact round trips, the PyTorch layout, atomic writes, hostile input."""

from __future__ import annotations

import io
import json
import os
import pathlib
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nncore import atomicwrite, weightfile
from nncore.data import Normaliser
from nncore.network import Network
from nncore.weightfile import FORMATS, WeightFileError, load, save
from nncore.weightformats import json_file, npz_file, safetensors_file

DTYPES = ("float64", "float32")


def make_network(dtype="float64", activations=("relu", "tanh", "linear")) -> Network:
    """A small network whose numbers are awkward to store: random, tiny, negative zero."""
    net = Network([2, 4, 3, 1], activations=list(activations), init="he", seed=7, dtype=dtype)
    rng = np.random.default_rng(1)
    for k in range(net.n_layers):
        net.set_biases(k, rng.normal(size=net.sizes[k + 1]))
    tiny = np.finfo(net.dtype).smallest_subnormal
    net.weights[0][0, 0] = -0.0
    net.weights[0][1, 1] = tiny
    net.weights[1][2, 0] = 1 / 3
    return net


class FakeConfig:
    def to_dict(self):
        return {"recipe": "article", "lr": 0.001, "sizes": [2, 4, 3, 1], "batch_size": None}


def history():
    # Values chosen to expose any lossy float formatting.
    return [
        {
            "epoch": 1,
            "train_mse": 0.1 + 0.2,
            "val_mse": None,
            "train_r2": 1e-310,
            "weight_norms": [1 / 3, 2 / 3],
        },
        {
            "epoch": 2,
            "train_mse": 5e-324,
            "val_mse": 1.7976931348623157e308,
            "train_r2": -0.0,
            "weight_norms": [0.7, 0.8],
        },
    ]


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def assert_same_network(a: Network, b: Network) -> None:
    assert a.sizes == b.sizes
    assert a.activation_names == b.activation_names
    assert a.dtype == b.dtype
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert same_bits(pa, pb)


# ---- round trips -----------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_bitwise_exact(tmp_path, fmt, dtype):
    net = make_network(dtype, activations=("leaky_relu", "sigmoid", "tanh"))
    path = tmp_path / f"model{fmt}"
    meta = {"function": "article", "note": "héllo ✓", "scale": np.float32(0.1)}
    save(path, net, config=FakeConfig(), history=history(), meta=meta)
    back = load(path)
    assert_same_network(net, back.network)
    assert back.network.init == "he" and back.network.seed == 7
    assert back.config == FakeConfig().to_dict()
    assert back.history == history()
    # exact floats, compared through their bits (== would call -0.0 and 0.0 equal)
    for got, want in zip(back.history, history()):
        assert np.float64(got["train_r2"]).tobytes() == np.float64(want["train_r2"]).tobytes()
    assert back.meta == {"function": "article", "note": "héllo ✓", "scale": float(np.float32(0.1))}
    assert back.format_version == weightfile.REGRESSION_FORMAT_VERSION == 1  # as before
    assert back.format == fmt
    assert back.epochs_trained == 2
    X = np.random.default_rng(0).normal(size=(20, 2))
    assert same_bits(net.predict(X), back.network.predict(X))


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_with_normaliser(tmp_path, fmt):
    rng = np.random.default_rng(3)
    X, y = rng.normal(5, 3, size=(50, 2)), rng.normal(-2, 0.1, size=(50, 1))
    norm = Normaliser.fit(X, y)
    path = tmp_path / f"m{fmt}"
    save(path, make_network(), normaliser=norm)
    back = load(path).normaliser
    assert isinstance(back, Normaliser)
    for name in ("x_mean", "x_std", "y_mean", "y_std"):
        assert same_bits(np.asarray(getattr(back, name)), np.asarray(getattr(norm, name)))
    assert same_bits(back.inverse_y(np.array([[0.25]])), norm.inverse_y(np.array([[0.25]])))


def test_minimal_save_has_empty_description(tmp_path):
    save(tmp_path / "m.npz", make_network())
    back = load(tmp_path / "m.npz")
    assert back.normaliser is None and back.config is None
    assert back.history == [] and back.meta == {} and back.epochs_trained == 0


def test_format_argument_overrides_extension(tmp_path):
    net = make_network()
    save(tmp_path / "weights.bin", net, format="json")
    assert_same_network(net, load(tmp_path / "weights.bin", format=".json").network)
    with pytest.raises(WeightFileError, match="unknown weights format"):
        save(tmp_path / "weights.bin", net, format="pickle")


def test_uppercase_extension_is_accepted(tmp_path):
    net = make_network()
    save(tmp_path / "M.NPZ", net)
    assert_same_network(net, load(tmp_path / "M.NPZ").network)


# ---- what the files look like ------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_json_is_readable_nested_lists(tmp_path, dtype):
    net = make_network(dtype)
    path = tmp_path / "m.json"
    save(path, net, history=history())
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["format"] == "nn-tutor-weights" and doc["format_version"] == 1
    assert doc["sizes"] == [2, 4, 3, 1] and doc["dtype"] == dtype
    assert '\n  "sizes": [2, 4, 3, 1],\n' in text  # indented, short lists on one line
    assert len(text.splitlines()) < 60  # one line per matrix row
    for k in range(net.n_layers):
        assert doc["layers"][k]["weights"] == net.weights[k].astype(np.float64).tolist()
        assert doc["layers"][k]["biases"] == net.biases[k].astype(np.float64).ravel().tolist()
        # the float64 written for a float32 value casts back to the very same float32
        back = np.array(doc["layers"][k]["weights"], dtype=np.float64).astype(dtype)
        assert same_bits(back, net.weights[k])


def test_npz_holds_plain_arrays_and_a_byte_header(tmp_path):
    net = make_network()
    save(tmp_path / "m.npz", net)
    with np.load(tmp_path / "m.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == sorted(
            ["header", "weights_0", "biases_0", "weights_1", "biases_1", "weights_2", "biases_2"]
        )
        assert npz["header"].dtype == np.uint8
        header = json.loads(npz["header"].tobytes().decode("utf-8"))
        assert same_bits(npz["weights_1"], net.weights[1])
        assert npz["biases_2"].shape == (1, 1)
    assert header["format"] == "nn-tutor-weights" and header["sizes"] == [2, 4, 3, 1]


@pytest.mark.parametrize("dtype", DTYPES)
def test_safetensors_layout_is_a_torch_sequential_state_dict(tmp_path, dtype):
    from safetensors import safe_open
    from safetensors.numpy import load_file

    net = make_network(dtype)
    path = tmp_path / "m.safetensors"
    save(path, net, config={"recipe": "modern"})
    tensors = load_file(str(path))
    assert set(tensors) == {"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"}
    for k in range(net.n_layers):
        w, b = tensors[f"{2 * k}.weight"], tensors[f"{2 * k}.bias"]
        assert w.shape == (net.sizes[k + 1], net.sizes[k])  # (out, in)
        assert same_bits(w, np.ascontiguousarray(net.weights[k].T))
        assert b.shape == (net.sizes[k + 1],)
        assert same_bits(b, net.biases[k].ravel())
        assert w.dtype == np.dtype(dtype)
    with safe_open(str(path), framework="np") as fh:
        meta = fh.metadata()
    assert meta["format"] == "nn-tutor-weights"
    assert json.loads(meta["format_version"]) == 1
    assert json.loads(meta["sizes"]) == [2, 4, 3, 1]
    assert json.loads(meta["config"]) == {"recipe": "modern"}
    assert meta["pytorch_module"] == (
        "nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1))"
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_safetensors_loads_into_torch_sequential(tmp_path, dtype):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file

    net = make_network(dtype, activations=("relu", "tanh", "linear"))
    path = tmp_path / "m.safetensors"
    save(path, net)
    torch_dtype = torch.float64 if dtype == "float64" else torch.float32
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 4),
        torch.nn.ReLU(),
        torch.nn.Linear(4, 3),
        torch.nn.Tanh(),
        torch.nn.Linear(3, 1),
    ).to(torch_dtype)
    model.load_state_dict(load_file(str(path)))  # strict: every key must match
    X = np.random.default_rng(5).uniform(-3, 3, size=(64, 2)).astype(dtype)
    with torch.no_grad():
        theirs = model(torch.from_numpy(X)).numpy()
    ours = net.predict(X)
    tol = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(theirs, ours, rtol=tol, atol=tol)


# ---- atomic writes -----------------------------------------------------------------------
def _only_file(tmp_path, name):
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize(
    "fmt, module",
    [(".npz", npz_file), (".json", json_file), (".safetensors", safetensors_file)],
)
def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch, fmt, module):
    path = tmp_path / f"model{fmt}"
    old = make_network()
    save(path, old)
    before = path.read_bytes()

    def half_then_fail(tmp, header, network):
        with open(tmp, "wb") as fh:
            fh.write(before[: len(before) // 2])
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(module, "write", half_then_fail)
    with pytest.raises(RuntimeError, match="disk unplugged"):
        save(path, make_network("float32"))
    assert path.read_bytes() == before
    _only_file(tmp_path, path.name)
    assert_same_network(old, load(path).network)


def test_interrupt_during_library_write_cleans_up(tmp_path, monkeypatch):
    import safetensors.numpy

    path = tmp_path / "m.safetensors"
    save(path, make_network())
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(safetensors.numpy, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save(path, make_network("float32"))
    assert path.read_bytes() == before
    _only_file(tmp_path, path.name)


def test_failed_rename_is_reported_and_cleaned(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"

    def no_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomicwrite.os, "replace", no_replace)
    with pytest.raises(WeightFileError, match="cannot write .*Permission denied"):
        save(path, make_network())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_file_modes_follow_the_umask_or_the_old_file(tmp_path):
    old_mask = os.umask(0o027)
    try:
        save(tmp_path / "m.json", make_network())
    finally:
        os.umask(old_mask)
    assert (tmp_path / "m.json").stat().st_mode & 0o777 == 0o640
    os.chmod(tmp_path / "m.json", 0o600)
    save(tmp_path / "m.json", make_network())
    assert (tmp_path / "m.json").stat().st_mode & 0o777 == 0o600


def test_refuses_to_save_non_finite_weights(tmp_path):
    net = make_network()
    net.weights[2][1, 0] = np.nan
    with pytest.raises(WeightFileError, match=r"layer 2 weight cannot be saved.*index \(1, 0\)"):
        save(tmp_path / "m.npz", net)
    assert list(tmp_path.iterdir()) == []


def test_save_errors(tmp_path):
    net = make_network()
    with pytest.raises(WeightFileError, match="extension '.pt'"):
        save(tmp_path / "m.pt", net)
    with pytest.raises(WeightFileError, match="is a folder"):
        save(tmp_path, net, format="npz")
    with pytest.raises(WeightFileError, match="does not exist"):
        save(tmp_path / "nowhere" / "m.npz", net)
    with pytest.raises(WeightFileError, match="meta cannot be stored"):
        save(tmp_path / "m.npz", net, meta={"f": object()})
    assert list(tmp_path.iterdir()) == []


# ---- malformed and hostile files ---------------------------------------------------------
def test_missing_directory_and_wrong_extension(tmp_path):
    with pytest.raises(WeightFileError, match="no such file"):
        load(tmp_path / "absent.npz")
    with pytest.raises(WeightFileError, match="is a folder"):
        load(tmp_path)
    (tmp_path / "dir.npz").mkdir()
    with pytest.raises(WeightFileError, match="is a folder"):
        load(tmp_path / "dir.npz")
    (tmp_path / "m.pt").write_bytes(b"whatever")
    with pytest.raises(WeightFileError, match="weights files end in .npz, .json, .safetensors"):
        load(tmp_path / "m.pt")
    (tmp_path / "empty.json").write_bytes(b"")
    with pytest.raises(WeightFileError, match="is empty"):
        load(tmp_path / "empty.json")


def test_content_of_another_format_is_named(tmp_path):
    save(tmp_path / "m.npz", make_network())
    os.rename(tmp_path / "m.npz", tmp_path / "m.json")
    with pytest.raises(WeightFileError, match="looks like a .npz file; rename it"):
        load(tmp_path / "m.json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_files_are_refused(tmp_path, fmt):
    good = tmp_path / f"good{fmt}"
    save(good, make_network(), history=history())
    data = good.read_bytes()
    bad = tmp_path / f"bad{fmt}"
    for cut in sorted({1, 5, 9, 20, len(data) // 3, len(data) // 2, len(data) - 40, len(data) - 2}):
        bad.write_bytes(data[:cut])
        with pytest.raises(WeightFileError):
            load(bad)


@pytest.mark.parametrize("fmt", FORMATS)
def test_random_bytes_are_refused(tmp_path, fmt):
    rng = np.random.default_rng(11)
    path = tmp_path / f"noise{fmt}"
    for size in (3, 100, 5000):
        path.write_bytes(rng.integers(0, 256, size=size, dtype=np.uint8).tobytes())
        with pytest.raises(WeightFileError):
            load(path)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(flips=[(0.8996630883537732, 64)])  # once made zipfile raise NotImplementedError
@given(
    flips=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=4
    )
)
def test_corrupted_bytes_never_escape_as_other_errors(tmp_path, fmt, flips):
    path = tmp_path / f"fuzz{fmt}"
    save(path, make_network(), history=history())
    data = bytearray(path.read_bytes())
    for where, value in flips:
        data[int(where * len(data))] = value
    path.write_bytes(bytes(data))
    try:
        back = load(path)
    except WeightFileError:
        return
    for p in back.network.parameters():  # whatever loads is sound
        assert np.all(np.isfinite(p))


class _TouchOnUnpickle:
    """Unpickling this creates a file: proof that code from the file would have run."""

    def __init__(self, marker: pathlib.Path):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def test_pickle_in_npz_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "code-ran"
    good = tmp_path / "good.npz"
    save(good, make_network())
    with np.load(good, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    evil = np.empty(1, dtype=object)
    evil[0] = _TouchOnUnpickle(marker)
    arrays["weights_0"] = evil
    path = tmp_path / "evil.npz"
    np.savez(path, allow_pickle=True, **arrays)
    with pytest.raises(WeightFileError, match="Python objects .*never loaded"):
        load(path)
    assert not marker.exists()
    # the same object smuggled in as the header
    arrays["weights_0"] = np.zeros((2, 4))
    arrays["header"] = evil
    np.savez(path, allow_pickle=True, **arrays)
    with pytest.raises(WeightFileError, match="pickled"):
        load(path)
    assert not marker.exists()


def _rewrite_npz(src, dst, **changes):
    with np.load(src, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    header = json.loads(arrays["header"].tobytes())
    for key, value in changes.items():
        if key.startswith("header_"):
            header[key[len("header_") :]] = value
        elif value is None:
            del arrays[key]
        else:
            arrays[key] = value
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    np.savez(dst, **arrays)


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"weights_1": np.zeros((4, 2))},
            r"layer 1 weight has shape \(4, 2\) but the architecture says \(4, 3\)",
        ),
        (
            {"biases_0": np.zeros((4,))},
            r"layer 0 bias has shape \(4,\) but the architecture says \(1, 4\)",
        ),
        (
            {"weights_2": np.zeros((3, 1), dtype=np.float32)},
            "layer 2 weight is stored as float32 but the file says float64",
        ),
        (
            {"weights_0": np.array([[0.0, 1, 2, 3], [4, np.nan, 6, 7]])},
            r"layer 0 weight contains 1 value\(s\) that are not finite.*nan, at index \(1, 1\)",
        ),
        ({"biases_1": np.array([[np.inf, 0, 0]])}, "layer 1 bias contains 1 value"),
        ({"biases_2": None}, "missing 'biases_2'"),
        ({"extra": np.zeros(3)}, "unexpected 'extra'"),
        (
            {"header_sizes": [2, 10**9, 10**9, 1]},
            "declares 1,000,000,005,000,000,001 parameters, more than the 10,000,000",
        ),
        ({"header_sizes": [2, 4, 1]}, "'sizes'|has 2 layers but 3 activations"),
        ({"header_sizes": [2, 0, 3, 1]}, "at least 1"),
        ({"header_activations": ["relu", "swish", "linear"]}, "layer 1's activation 'swish'"),
        ({"header_dtype": "float16"}, "'dtype' must be one of float64, float32"),
        ({"header_format": "something-else"}, "not an nn-tutor weights file: 'format' is"),
        ({"header_format_version": 3}, "format version 3, newer than this program reads"),
        ({"header_format_version": 2}, "a format version 2 file must say its 'task'"),
        ({"header_format_version": "1"}, "'format_version' must be a positive whole number"),
        ({"header_normaliser": [1, 2]}, "'normaliser' must be an object"),
        ({"header_history": {"epoch": 1}}, "'history' must be a list"),
        ({"header_init": "magic"}, "'init' must be one of"),
        ({"header_seed": True}, "'seed' must be a whole number"),
    ],
)
def test_bad_npz_contents_are_named_precisely(tmp_path, changes, message):
    save(tmp_path / "good.npz", make_network())
    _rewrite_npz(tmp_path / "good.npz", tmp_path / "bad.npz", **changes)
    with pytest.raises(WeightFileError, match=message):
        load(tmp_path / "bad.npz")


def test_npz_without_header_or_with_foreign_entries(tmp_path):
    np.savez(tmp_path / "plain.npz", a=np.zeros(3))
    with pytest.raises(WeightFileError, match="no 'header' entry"):
        load(tmp_path / "plain.npz")
    with zipfile.ZipFile(tmp_path / "odd.npz", "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(WeightFileError, match="unexpected entry 'readme.txt'"):
        load(tmp_path / "odd.npz")


def test_npz_entry_declaring_a_huge_shape_is_refused_before_allocating(tmp_path):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)}
    )
    buf.write(b"\0" * 64)
    with zipfile.ZipFile(tmp_path / "huge.npz", "w") as zf:
        zf.writestr("weights_0.npy", buf.getvalue())
    with pytest.raises(WeightFileError, match=r"declares shape \(1000000, 1000000\) but holds"):
        load(tmp_path / "huge.npz")


def _json_doc(tmp_path, dtype="float64"):
    save(tmp_path / "good.json", make_network(dtype))
    return json.loads((tmp_path / "good.json").read_text())


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.update(sizes="2-4-3-1"), "'sizes' must be a list of at least two whole"),
        (lambda d: d.update(sizes=[2, True, 3, 1]), "'sizes' must be a list"),
        (lambda d: d.update(sizes=[2, 4.0, 3, 1]), "'sizes' must be a list"),
        (lambda d: d.update(activations=["relu", 5, "linear"]), "'activations' must be a list"),
        (lambda d: d.update(layers={"0": {}}), "'layers' must be a list"),
        (lambda d: d["layers"].pop(), "has 3 layers but 'layers' holds 2"),
        (lambda d: d["layers"][1].update(extra=1), "layer 1 must be an object with exactly"),
        (
            lambda d: d["layers"][0]["weights"][1].__setitem__(2, "0.5"),
            r"layer 0 weight entry \(1, 2\) is '0.5', not a number",
        ),
        (
            lambda d: d["layers"][0]["weights"][1].__setitem__(2, True),
            r"layer 0 weight entry \(1, 2\) is true, not a number",
        ),
        (
            lambda d: d["layers"][0]["weights"][1].append(0.0),
            "layer 0 weight row 1 has 5 numbers but row 0 has 4",
        ),
        (
            lambda d: d["layers"][2]["weights"].append([1.0]),
            r"layer 2 weight has shape \(4, 1\) but the architecture says \(3, 1\)",
        ),
        (lambda d: d["layers"][1].update(weights=5), "layer 1 weight must be a list of rows"),
        (
            lambda d: d["layers"][1].update(biases=[0.0, None, 1.0]),
            "layer 1 bias entry 1 is null, not a number",
        ),
        (
            lambda d: d["layers"][1].update(biases=[0.0]),
            "layer 1 bias has 1 numbers but the architecture says 3",
        ),
        (
            lambda d: (
                d["layers"][2]["weights"][0].__setitem__(0, 1e300) or d.update(dtype="float32")
            ),
            "layer 2 weight contains 1 value",
        ),  # finite as text, infinite once cast to float32
        (lambda d: d.pop("format"), "the 'format' marker .* is missing"),
        (lambda d: d.update(meta="x"), "'meta' must be an object or null; got text"),
        (lambda d: d.update(history=[{"epoch": 1}, 3]), "history entry 1 must be an object"),
    ],
)
def test_json_with_wrong_types_is_named_precisely(tmp_path, edit, message):
    doc = _json_doc(tmp_path)
    edit(doc)
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(WeightFileError, match=message):
        load(tmp_path / "bad.json")


def test_json_nan_weight_and_syntax_errors(tmp_path):
    save(tmp_path / "good.json", make_network())
    text = (tmp_path / "good.json").read_text()
    row = json.loads(text)["layers"][1]["weights"][0]
    bad = text.replace(json.dumps(row), json.dumps(row).replace(str(row[0]), "NaN", 1), 1)
    (tmp_path / "nan.json").write_text(bad)
    with pytest.raises(WeightFileError, match="layer 1 weight contains 1 value"):
        load(tmp_path / "nan.json")
    (tmp_path / "syntax.json").write_text('{"format": "nn-tutor-weights",\n "sizes": [1,}')
    with pytest.raises(WeightFileError, match=r"not valid JSON \(line 2, column"):
        load(tmp_path / "syntax.json")
    (tmp_path / "deep.json").write_text("{" + '"a":' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(WeightFileError, match="nested too deeply|not valid JSON"):
        load(tmp_path / "deep.json")
    (tmp_path / "latin1.json").write_bytes(b'{"format": "caf\xe9"}')
    with pytest.raises(WeightFileError, match="not UTF-8"):
        load(tmp_path / "latin1.json")


def _safetensors_with(tmp_path, tensors, metadata):
    from safetensors.numpy import save_file

    path = tmp_path / "bad.safetensors"
    save_file(tensors, str(path), metadata=metadata)
    return path


def _good_safetensors(tmp_path):
    from safetensors import safe_open
    from safetensors.numpy import load_file

    save(tmp_path / "good.safetensors", make_network())
    with safe_open(str(tmp_path / "good.safetensors"), framework="np") as fh:
        meta = fh.metadata()
    return load_file(str(tmp_path / "good.safetensors")), meta


@pytest.mark.parametrize(
    "tensor_edit, meta_edit, message",
    [
        (
            lambda t: t.update({"2.weight": np.zeros((3, 3))}),
            None,
            r"layer 1 weight \('2.weight', stored as \(out, in\)\) has shape \(3, 3\) but the "
            r"architecture says \(3, 4\)",
        ),
        (
            lambda t: t.update({"1.weight": t.pop("2.weight")}),
            None,
            "missing '2.weight'; unexpected '1.weight'",
        ),
        (lambda t: t["4.bias"].__setitem__(0, np.nan), None, r"layer 2 bias \('4.bias'\) contains"),
        (None, lambda m: m.update(sizes="[2, 4, 3, 1, 1]"), "has 4 layers but 3 activations"),
        (None, lambda m: m.update(sizes="[2, 4, 3"), "metadata entry 'sizes' is not valid JSON"),
        (
            None,
            lambda m: m.update(dtype='"float32"'),
            "stored as float64 but the file says float32",
        ),
        (None, lambda m: m.pop("format"), "no nn-tutor description"),
    ],
)
def test_bad_safetensors_contents_are_named_precisely(tmp_path, tensor_edit, meta_edit, message):
    tensors, meta = _good_safetensors(tmp_path)
    tensors = {k: v.copy() for k, v in tensors.items()}
    if tensor_edit:
        tensor_edit(tensors)
    if meta_edit:
        meta_edit(meta)
    path = _safetensors_with(tmp_path, tensors, meta)
    with pytest.raises(WeightFileError, match=message):
        load(path)


def test_safetensors_with_a_huge_declared_header_is_refused(tmp_path):
    path = tmp_path / "huge.safetensors"
    path.write_bytes((2**60).to_bytes(8, "little") + b'{"__metadata__": {}}')
    with pytest.raises(WeightFileError, match="header claims .* bytes, more than the"):
        load(path)


def test_safetensors_tensor_pointing_past_the_end_is_refused(tmp_path):
    header = json.dumps(
        {
            "__metadata__": {"format": "nn-tutor-weights"},
            "0.weight": {
                "dtype": "F64",
                "shape": [100000, 100000],
                "data_offsets": [0, 8 * 10**10],
            },
        }
    ).encode()
    path = tmp_path / "lying.safetensors"
    path.write_bytes(len(header).to_bytes(8, "little") + header + b"\0" * 16)
    with pytest.raises(WeightFileError, match="could not be read"):
        load(path)


def test_errors_are_value_errors():
    assert issubclass(WeightFileError, ValueError)


@pytest.mark.parametrize(
    "normaliser, message",
    [
        (
            {"x_mean": [0.0, 0.0], "x_std": [1.0, 0.0], "y_mean": [0.0], "y_std": [1.0]},
            "the saved normaliser: 'x_std'\\[1\\] is a standard deviation and must be positive",
        ),
        (
            {"x_mean": [0.0, "a"], "x_std": [1.0, 1.0], "y_mean": [0.0], "y_std": [1.0]},
            "'x_mean'\\[1\\] must be a number",
        ),
        (
            {"x_mean": [0.0], "x_std": [1.0], "y_mean": [0.0], "y_std": [1.0]},
            "normaliser is for 1 inputs and 1 outputs but the network 2-4-3-1 has 2 and 1",
        ),
        ({"x_mean": [0.0, 0.0]}, "missing keys x_std, y_mean, y_std"),
    ],
)
def test_bad_normaliser_is_named(tmp_path, normaliser, message):
    save(tmp_path / "good.npz", make_network())
    _rewrite_npz(tmp_path / "good.npz", tmp_path / "bad.npz", header_normaliser=normaliser)
    with pytest.raises(WeightFileError, match=message):
        load(tmp_path / "bad.npz")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_saved_run_resumes_exactly_where_it_stopped(tmp_path, fmt):
    """Everything needed to continue is in the file: 3 + 3 epochs equal 6 straight ones
    (plain gradient descent at a constant rate keeps no other state)."""
    from nncore.data import get_function, sample_uniform
    from nncore.training import EpochReport, TrainConfig, TrainingRun, recipe

    data = sample_uniform(get_function("saddle"), 60, seed=2)
    config = recipe("article", sizes=(2, 6, 1), epochs=6)
    straight = TrainingRun(config, data)
    straight.run()

    first = TrainingRun(config, data)
    first.run_chunk(3)
    save(
        tmp_path / f"run{fmt}",
        first.network,
        normaliser=first.normaliser,
        config=first.config,
        history=first.history,
    )
    wf = load(tmp_path / f"run{fmt}")
    resumed = TrainingRun(
        TrainConfig.from_dict(wf.config),
        data,
        network=wf.network,
        normaliser=wf.normaliser,
        history=[EpochReport.from_dict(h) for h in wf.history],
    )
    assert resumed.epoch == 3
    resumed.run()
    assert resumed.epoch == 6
    assert_same_network(straight.network, resumed.network)
    assert [h.train_mse for h in resumed.history] == [h.train_mse for h in straight.history]


def test_the_weightfile_api_is_importable_as_before():
    from nncore.weightfile import (
        FORMAT_MARKER,
        FORMAT_VERSION,
        FORMATS,
        MAX_FILE_BYTES,
        MAX_PARAMETERS,
        WeightFile,
        format_of,
    )
    from nncore.weightformats import header

    assert FORMATS == (".npz", ".json", ".safetensors")
    assert (FORMAT_MARKER, FORMAT_VERSION) == ("nn-tutor-weights", 2)
    assert (MAX_FILE_BYTES, MAX_PARAMETERS) == (header.MAX_FILE_BYTES, header.MAX_PARAMETERS)
    assert format_of("m.JSON") == ".json" and WeightFile.__module__ == "nncore.weightfile"
    assert set(weightfile.__all__) <= set(vars(weightfile))


# ---- bounded before parsing (issue 8) ------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_every_format_is_created_with_the_umask_mode(tmp_path, fmt, mask, mode):
    old_mask = os.umask(mask)
    try:
        save(tmp_path / f"m{fmt}", make_network())
    finally:
        os.umask(old_mask)
    assert (tmp_path / f"m{fmt}").stat().st_mode & 0o777 == mode


def _nested(depth):
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("fmt", FORMATS)
def test_json_nested_deeper_than_the_limit_is_refused_before_parsing(tmp_path, fmt):
    from nncore.weightformats.header import MAX_JSON_DEPTH

    path = tmp_path / f"m{fmt}"
    save(path, make_network(), meta={"deep": _nested(MAX_JSON_DEPTH - 5)})
    assert load(path).meta["deep"] == _nested(MAX_JSON_DEPTH - 5)  # deep, within the limit
    save(path, make_network(), meta={"deep": _nested(MAX_JSON_DEPTH + 1)})
    with pytest.raises(WeightFileError, match=r"nested too deeply .*more than 32 deep"):
        load(path)


def test_brackets_inside_texts_do_not_count_as_depth(tmp_path):
    path = tmp_path / "m.json"
    meta = {"note": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "path": 'C:\\data\\"[[[[[[[[[[[['}
    meta["more"] = "\\" * 7 + '"' + "{" * 50
    save(path, make_network(), meta=meta)
    assert load(path).meta == meta


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_5000_digit_whole_number_is_a_weight_file_error_naming_the_file(tmp_path, fmt):
    path = tmp_path / f"m{fmt}"
    save(path, make_network(), meta={"seen": 12345})
    data = path.read_bytes()
    if fmt == ".npz":  # the header entry is stored uncompressed: rewrite it with the number
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        text = arrays["header"].tobytes().replace(b"12345", b"7" * 5000)
        arrays["header"] = np.frombuffer(text, dtype=np.uint8)
        np.savez(path, **arrays)
    elif fmt == ".safetensors":  # the metadata holds JSON text inside the JSON header
        n = int.from_bytes(data[:8], "little")
        head = data[8 : 8 + n].replace(b"12345", b"7" * 5000)
        path.write_bytes(len(head).to_bytes(8, "little") + head + data[8 + n :])
    else:
        path.write_bytes(data.replace(b"12345", b"7" * 5000))
    with pytest.raises(WeightFileError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"'{path}': ") and "\n" not in message
    assert "a whole number of 5,000 digits; numbers in a weights file have at most 40" in message


def test_json_with_too_many_values_or_lists_is_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    save(path, make_network(), history=history())
    monkeypatch.setattr(json_file, "FILE_LIMITS", json_file.JsonLimits(values=20, containers=5))
    with pytest.raises(WeightFileError, match=r"holds up to [0-9,]+ lists and objects, more than"):
        load(path)
    monkeypatch.setattr(json_file, "FILE_LIMITS", json_file.JsonLimits(values=20, containers=99))
    with pytest.raises(WeightFileError, match=r"holds up to [0-9,]+ values, more than the 20"):
        load(path)


def test_npz_entry_declaring_more_than_its_limit_is_refused_before_inflating(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    save(path, make_network())
    # a limit below the weights' size stands in for a bomb: nothing may be inflated
    monkeypatch.setattr(npz_file, "MAX_PARAMETERS", 1)
    monkeypatch.setattr(npz_file, "_NPY_HEADER_BYTES", 0)
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: opened.append(a) or 1 / 0)
    with pytest.raises(WeightFileError, match=r"entry 'weights_0' .*declares 192 bytes unpacked"):
        load(path)
    assert opened == []


def test_npz_total_unpacked_size_is_bounded(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    save(path, make_network())
    monkeypatch.setattr(npz_file, "MAX_UNPACKED_BYTES", 500)
    with pytest.raises(WeightFileError, match=r"unpacks to more than 500 bytes"):
        load(path)


def test_npz_entry_lying_about_its_size_is_refused(tmp_path):
    path = tmp_path / "m.npz"
    save(path, make_network())
    data = bytearray(path.read_bytes())
    # shrink the uncompressed size the central directory declares for weights_0 (the size
    # zipfile trusts; NumPy's local header says 0xFFFFFFFF and puts it in a zip64 field)
    with zipfile.ZipFile(path) as zf:
        true_size = zf.getinfo("weights_0.npy").file_size
    start = data.find(b"PK\x01\x02")
    found = 0
    while start >= 0:
        if data[start + 46 : start + 59] == b"weights_0.npy":
            assert int.from_bytes(data[start + 24 : start + 28], "little") == true_size
            data[start + 24 : start + 28] = (150).to_bytes(4, "little")
            found += 1
        start = data.find(b"PK\x01\x02", start + 4)
    assert found == 1
    path.write_bytes(bytes(data))
    with pytest.raises(WeightFileError, match=r"weights_0"):
        load(path)


def test_npz_entry_names_from_the_file_are_shown_escaped(tmp_path):
    path = tmp_path / "m.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("evil\x1b[2J\n.bin", b"x")
    with pytest.raises(WeightFileError) as info:
        load(path)
    message = str(info.value)
    assert "\x1b" not in message and "\n" not in message and "evil\\x1b[2J\\n.bin" in message


def test_values_from_the_file_are_shown_escaped_and_short(tmp_path):
    doc = _json_doc(tmp_path)
    doc["format"] = "\x1b]0;owned\x07" + "x" * 100_000
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(WeightFileError) as info:
        load(tmp_path / "bad.json")
    message = str(info.value)
    assert "\x1b" not in message and "\x07" not in message and len(message) < 400
    assert "'\\x1b]0;owned\\x07xxx" in message and "(100,010 characters)" in message


def test_the_file_is_named_in_every_message_about_its_content(tmp_path):
    doc = _json_doc(tmp_path)
    doc["sizes"] = [2, 0, 1]
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(
        WeightFileError, match=r"^'.*bad.json': every layer size must be at least 1"
    ):
        load(tmp_path / "bad.json")
