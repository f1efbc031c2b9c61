"""A network and a training run can be handed to another process (the app trains in one):
pickled, they arrive whole and go on exactly as they would have here."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from nncore import data as nndata
from nncore import training
from nncore.network import Network


def test_a_pickled_network_keeps_its_numbers_and_its_flat_buffer():
    net = Network((2, 5, 3), ["tanh", "linear"], seed=4)
    copy = pickle.loads(pickle.dumps(net))
    assert copy.sizes == net.sizes and copy.loss_name == net.loss_name
    assert [a.name for a in copy.activations] == ["tanh", "linear"]
    for mine, theirs in zip(net.parameters(), copy.parameters()):
        assert np.array_equal(mine, theirs) and not np.shares_memory(mine, theirs)
    # the weights are views of one flat buffer again, as the optimisers expect
    assert copy.flat_parameters() is not None
    copy.weights[0][0, 0] = 123.0
    assert copy.flat_parameters()[0] == 123.0
    assert net.weights[0][0, 0] != 123.0  # an independent copy


@pytest.mark.parametrize("recipe", ["article", "modern", "classify"])
def test_a_pickled_run_goes_on_bit_for_bit_as_the_original(recipe):
    if recipe == "classify":
        train = nndata.classification("circle", 120, seed=2)
        cfg = training.recipe("classify", sizes=(2, 8, 2), epochs=12, batch_size=16)
    else:
        train = nndata.sample_uniform(nndata.FUNCTIONS["saddle"], 120, seed=2)
        cfg = training.recipe(recipe, sizes=(2, 8, 8, 1), epochs=12, batch_size=16)
    original = training.TrainingRun(cfg, train)
    original.run_chunk(5)
    twin = pickle.loads(pickle.dumps(original))
    assert twin.epoch == 5 and twin.history == original.history
    assert [r.train_loss for r in twin.run_chunk(7)] == [
        r.train_loss for r in original.run_chunk(7)
    ]
    assert twin.done and original.done
    for mine, theirs in zip(original.network.parameters(), twin.network.parameters()):
        assert np.array_equal(mine, theirs)


def test_a_stop_requested_before_pickling_is_carried_over():
    train = nndata.sample_uniform(nndata.FUNCTIONS["saddle"], 60, seed=1)
    run = training.TrainingRun(training.recipe("modern", sizes=(2, 4, 1), epochs=50), train)
    run.request_stop()
    twin = pickle.loads(pickle.dumps(run))
    assert twin.stop_requested
    twin.run_chunk(10)
    assert twin.stop_reason.kind == "stopped"
