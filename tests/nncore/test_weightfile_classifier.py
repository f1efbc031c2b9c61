"""Weight files of classifiers (format version 2): task, loss and class names round trip in
every format, version-1 files still load as regression, hostile class headers are refused,
and the .safetensors file gives PyTorch the logits to put through a softmax."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

from nncore import weightfile
from nncore.network import Network
from nncore.normaliser import Normaliser
from nncore.weightfile import FORMATS, WeightFileError, load, save
from nncore.weightformats.header import MAX_CLASS_NAME_CHARS, MAX_CLASSES

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def softmax_net(dtype="float64") -> Network:
    net = Network(
        [2, 5, 4, 3], ["tanh", "relu", "softmax"], "he", 3, dtype=dtype, loss="cross_entropy"
    )
    net.set_biases(2, np.array([0.1, -1 / 3, 2e-310]))
    return net


def sigmoid_net(dtype="float64") -> Network:
    return Network([2, 4, 1], ["relu", "sigmoid"], "xavier", 8, dtype=dtype, loss="cross_entropy")


def same_bits(a: Network, b: Network) -> bool:
    return all(
        x.dtype == y.dtype and x.tobytes() == y.tobytes()
        for x, y in zip(a.parameters(), b.parameters())
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(
    "make, classes",
    [(softmax_net, ("setosa", "versicolor", "virginica")), (sigmoid_net, ("inside", "outside"))],
)
def test_a_classifier_round_trips_with_task_loss_and_classes(tmp_path, fmt, dtype, make, classes):
    net = make(dtype)
    path = tmp_path / f"model{fmt}"
    save(path, net, history=[{"epoch": 1, "train_accuracy": 0.5}], classes=list(classes))
    back = load(path)
    assert (back.task, back.loss, back.classes) == ("classification", "cross_entropy", classes)
    assert back.format_version == weightfile.FORMAT_VERSION == 2
    assert back.network.loss_name == "cross_entropy" and back.network.is_classifier
    assert back.network.activation_names == net.activation_names
    assert same_bits(back.network, net)
    X = np.random.default_rng(0).normal(size=(7, 2))
    assert np.array_equal(back.network.predict(X), net.predict(X))
    assert back.history == [{"epoch": 1, "train_accuracy": 0.5}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_classifier_saved_without_names_gets_the_default_ones(tmp_path, fmt):
    save(tmp_path / f"m{fmt}", sigmoid_net())
    assert load(tmp_path / f"m{fmt}").classes == ("class 0", "class 1")


def test_class_names_are_refused_for_a_regression_network(tmp_path):
    with pytest.raises(WeightFileError, match="this network is for regression"):
        save(tmp_path / "m.npz", Network([2, 3, 1]), classes=["a", "b"])
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize(
    "classes, message",
    [
        (["a", "b"], "tells 3 classes apart but 2 class names"),
        (["a", "a", "b"], "the class name 'a' is given twice"),
        (["a", 1, "b"], "every class name must be a text"),
        (["a", "b\x1b[31m", "c"], "control characters"),
        (["a", "x" * (MAX_CLASS_NAME_CHARS + 1), "c"], "must be 1 to 100 characters"),
        ("abc", "classes must be a list of names"),
    ],
)
def test_bad_class_names_are_refused_when_saving(tmp_path, classes, message):
    with pytest.raises(WeightFileError, match=message):
        save(tmp_path / "m.json", softmax_net(), classes=classes)


# ---- version 1: files from before classifiers ------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_version_1_file_loads_as_regression_exactly_as_before(tmp_path, fmt):
    back = load(FIXTURES / f"regression_v1{fmt}")
    assert (back.task, back.loss, back.classes, back.format_version) == (
        "regression",
        "mse",
        None,
        1,
    )
    assert back.network.loss_name == "mse" and not back.network.is_classifier
    assert back.network.sizes == (2, 3, 1)
    assert back.meta == {"note": "written by format version 1"}
    # and saving it again writes the same description, the same version
    again = tmp_path / f"again{fmt}"
    save(again, back.network, back.normaliser, back.config, back.history, back.meta)
    assert _description(again) == _description(FIXTURES / f"regression_v1{fmt}")


@pytest.mark.parametrize("fmt", [".npz", ".json"])
def test_a_regression_network_saves_the_same_bytes_as_before(tmp_path, fmt):
    # the network, data and parts the fixture was made from (fixtures/make_v1_fixtures.py)
    net = Network([2, 3, 1], activations=["tanh", "linear"], init="he", seed=5)
    X = np.array([[0.0, 1.0], [2.0, 3.0], [1.0, -1.0]])
    norm = Normaliser.fit(X, np.array([[1.0], [2.0], [0.5]]))
    path = tmp_path / f"m{fmt}"
    save(
        path,
        net,
        norm,
        {"recipe": "article"},
        [{"epoch": 1, "train_mse": 0.25}],
        {"note": "written by format version 1"},
    )
    assert path.read_bytes() == (FIXTURES / f"regression_v1{fmt}").read_bytes()


def _description(path: pathlib.Path) -> dict:
    """The description as stored (the .safetensors metadata's order is not fixed)."""
    if path.suffix == ".json":
        doc = json.loads(path.read_text())
        doc.pop("layers")
        return doc
    if path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as arrays:
            return json.loads(arrays["header"].tobytes())
    data = path.read_bytes()
    return json.loads(data[8 : 8 + int.from_bytes(data[:8], "little")])["__metadata__"]


# ---- hostile headers ----------------------------------------------------------------------
def _edited_json(tmp_path, net: Network, **changes) -> pathlib.Path:
    path = tmp_path / "m.json"
    save(path, net)
    doc = json.loads(path.read_text())
    doc.update(changes)
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"activations": ["softmax", "relu", "softmax"]}, "layer 0's activation is 'softmax'"),
        ({"activations": ["tanh", "relu", "swish"]}, "output layer's activation 'swish'"),
        ({"loss": "hinge"}, "'loss' must be one of mse, cross_entropy; got 'hinge'"),
        ({"loss": "mse"}, "a classification file cannot learn with the loss 'mse'"),
        ({"task": "clustering"}, "'task' must be one of regression, classification"),
        ({"task": "regression"}, "a regression file cannot learn with the loss"),
        ({"classes": ["a", 2, "c"]}, "class name 1 is a number, not a text"),
        ({"classes": "abc"}, "'classes' must be a list of names; got text"),
        ({"classes": None}, "'classes' must be a list of names; got null"),
        ({"classes": ["a", "b"]}, "tells 3 classes apart but 2 class names"),
        ({"classes": ["a", "b", "c", "d"]}, "tells 3 classes apart but 4 class names"),
        ({"classes": [f"c{i}" for i in range(MAX_CLASSES + 1)]}, "1,001 names; at most 1,000"),
        ({"classes": ["a", "b" * 5000, "c"]}, "must be 1 to 100 characters"),
        ({"classes": ["a", "  ", "c"]}, "must be 1 to 100 characters, not blank"),
        ({"classes": ["a", "b\nc", "d"]}, "control characters"),
        ({"classes": ["a", "b", "a"]}, "the class name 'a' is given twice"),
        ({"format_version": 1}, "the output layer does not fit the loss"),
    ],
)
def test_hostile_classifier_headers_are_refused_in_one_line(tmp_path, changes, message):
    path = _edited_json(tmp_path, softmax_net(), **changes)
    with pytest.raises(WeightFileError) as caught:
        load(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and "m.json" in str(caught.value)


def test_a_version_2_regression_file_may_not_carry_classes(tmp_path):
    net = Network([2, 3, 1])
    path = _edited_json(tmp_path, net, format_version=2, task="regression", loss="mse")
    assert load(path).task == "regression"  # a plain version-2 regression file is fine
    path = _edited_json(
        tmp_path, net, format_version=2, task="regression", loss="mse", classes=["a", "b"]
    )
    with pytest.raises(WeightFileError, match="'classes' must be null for a regression"):
        load(path)


@pytest.mark.parametrize("fmt", [".npz", ".safetensors"])
def test_a_hidden_softmax_is_refused_in_the_binary_formats_too(tmp_path, fmt):
    path = tmp_path / f"m{fmt}"
    save(path, softmax_net())
    hostile = json.dumps(["softmax", "relu", "softmax"])
    if fmt == ".npz":
        with np.load(path, allow_pickle=False) as arrays:
            parts = dict(arrays)
        header = json.loads(parts["header"].tobytes())
        header["activations"] = json.loads(hostile)
        parts["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        np.savez(path, **parts)
    else:
        from safetensors.numpy import load_file, save_file

        metadata = _description(path)
        metadata["activations"] = hostile
        save_file(load_file(path), path, metadata=metadata)
    with pytest.raises(WeightFileError, match="layer 0's activation is 'softmax'"):
        load(path)


# ---- the .safetensors file in PyTorch -------------------------------------------------------
def test_the_safetensors_metadata_says_how_to_get_probabilities(tmp_path):
    save(tmp_path / "soft.safetensors", softmax_net())
    metadata = _description(tmp_path / "soft.safetensors")
    assert metadata["pytorch_module"] == (
        "nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))"
    )
    assert metadata["pytorch_output"].startswith("probabilities = torch.softmax(model(x), dim=1)")
    assert json.loads(metadata["classes"]) == ["class 0", "class 1", "class 2"]
    save(tmp_path / "sig.safetensors", sigmoid_net())
    metadata = _description(tmp_path / "sig.safetensors")
    assert metadata["pytorch_module"] == (
        "nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())"
    )
    assert "pytorch_output" not in metadata  # the Sigmoid is in the Sequential


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_pytorch_loads_a_softmax_classifier_and_a_softmax_gives_our_probabilities(tmp_path, dtype):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file
    from torch import nn

    net = softmax_net(dtype)
    path = tmp_path / "model.safetensors"
    save(path, net)
    model = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))
    model = model.to(getattr(torch, dtype))
    model.load_state_dict(load_file(path))  # as is: softmax has no parameters
    X = np.random.default_rng(2).normal(size=(50, 2)).astype(dtype)
    with torch.no_grad():
        probabilities = torch.softmax(model(torch.from_numpy(X)), dim=1).numpy()
    np.testing.assert_allclose(probabilities, net.predict(X), rtol=0, atol=1e-6)


def test_pytorch_loads_a_sigmoid_classifier_with_its_sigmoid(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file
    from torch import nn

    net = sigmoid_net()
    save(tmp_path / "model.safetensors", net)
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid()).double()
    model.load_state_dict(load_file(tmp_path / "model.safetensors"))
    X = np.random.default_rng(3).normal(size=(50, 2))
    with torch.no_grad():
        probabilities = model(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(probabilities, net.predict(X), rtol=0, atol=1e-6)
