"""The numerical gradient helper agrees with backpropagation and never touches the network."""

import numpy as np
import pytest

from nncore import Network
from nncore.gradcheck import numerical_gradient


@pytest.mark.parametrize(
    "acts", [["tanh", "linear"], ["sigmoid", "sigmoid"], ["leaky_relu", "tanh"]]
)
def test_every_weight_bias_and_neuron_matches_backprop(acts):
    net = Network([3, 4, 2], activations=acts, init="xavier", seed=11)
    rng = np.random.default_rng(11)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    before = [p.copy() for p in net.parameters()]
    grads = net.backward(net.forward(X), Y)
    for layer, W in enumerate(net.weights):
        for i, j in np.ndindex(W.shape):
            num = numerical_gradient(net, X, Y, ("edge", layer, i, j))
            assert num == pytest.approx(grads.weights[layer][i, j], rel=1e-6, abs=1e-9)
        for j in range(W.shape[1]):
            num = numerical_gradient(net, X, Y, ("bias", layer, j))
            assert num == pytest.approx(grads.biases[layer][0, j], rel=1e-6, abs=1e-9)
            # Nudging a neuron's sum is nudging its bias: the batch's summed error signal.
            node = numerical_gradient(net, X, Y, ("node", layer + 1, j))
            assert node == pytest.approx(grads.errors[layer][:, j].sum(), rel=1e-6, abs=1e-9)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.parameters()))


def test_inputs_and_unknown_keys_are_refused():
    net = Network([2, 2, 1])
    with pytest.raises(ValueError, match="inputs are data"):
        numerical_gradient(net, np.zeros((1, 2)), np.zeros((1, 1)), ("node", 0, 0))
    with pytest.raises(ValueError, match="no gradient"):
        numerical_gradient(net, np.zeros((1, 2)), np.zeros((1, 1)), ("wire", 0))
