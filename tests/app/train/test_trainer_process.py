"""Tests for the training process's side of the pipe (`app.train.trainer_process`), run in
this process on real pipes: the messages, the answers, and what a failure says. No Qt."""

from __future__ import annotations

import io
import os
import pickle
import threading

import pytest

from app.train.trainer_process import HEADER, read_message, serve, write_message
from app.train.training_mode import DEFAULT_MODE, MODE_ENV, training_mode
from nncore import data as nndata
from nncore import training


def test_messages_cross_the_pipe_whole_and_a_closed_pipe_reads_as_the_end():
    stream = io.BytesIO()
    write_message(stream, ("lr", 0.25))
    write_message(stream, ("snapshot", {"epoch": 3}))
    stream.seek(0)
    assert read_message(stream) == ("lr", 0.25)
    assert read_message(stream) == ("snapshot", {"epoch": 3})
    assert read_message(stream) is None  # the other side has gone
    truncated = io.BytesIO(HEADER.pack(100) + b"only a part")
    assert read_message(truncated) is None


def test_a_pipe_out_of_step_is_refused_not_obeyed():
    with pytest.raises(ValueError, match="out of step"):
        read_message(io.BytesIO(HEADER.pack(2**62)))
    not_a_tuple = pickle.dumps(["run"])
    with pytest.raises(ValueError, match="tuple"):
        read_message(io.BytesIO(HEADER.pack(len(not_a_tuple)) + not_a_tuple))


class BrokenRun(training.TrainingRun):
    """A run whose third chunk fails, as a bug in the engine would."""

    def run_chunk(self, max_epochs):
        if self.epoch >= 2:
            raise FloatingPointError("something broke inside the engine")
        return super().run_chunk(1)


@pytest.fixture
def child():
    """`serve` in a thread of this process, with a pipe each way: (send, answers)."""
    req_r, req_w = os.pipe()
    ans_r, ans_w = os.pipe()
    requests, answers = open(req_r, "rb"), open(ans_w, "wb")
    to_child, from_child = open(req_w, "wb"), open(ans_r, "rb")
    server = threading.Thread(target=serve, args=(requests, answers), daemon=True)
    server.start()

    def send(*message):
        write_message(to_child, message)

    def until(kind):
        while (message := read_message(from_child))[0] != kind:
            yield message
        yield message

    yield send, until
    send("quit")
    server.join(10)
    assert not server.is_alive()
    for stream in (requests, answers, to_child, from_child):
        stream.close()


def small_run(cls=training.TrainingRun, epochs=8):
    train = nndata.sample_uniform(nndata.FUNCTIONS["saddle"], 80, seed=3)
    return cls(training.recipe("modern", sizes=(2, 6, 1), epochs=epochs), train)


def test_the_child_trains_a_run_and_says_how_it_ended(child):
    send, until = child
    send("run", 1, small_run())
    send("loop", 1)
    answers = list(until("ended"))
    snapshots = [m[1] for m in answers if m[0] == "snapshot"]
    assert [r.epoch for s in snapshots for r in s.reports] == list(range(1, 9))
    assert snapshots[-1].final and snapshots[-1].prediction is None  # the grids: the app's
    assert answers[-1][1] == 1 and answers[-1][2].kind == "epochs"


def test_an_error_in_training_is_answered_and_the_child_serves_on(child):
    send, until = child
    send("run", 5, small_run(BrokenRun, epochs=100))
    send("loop", 5)
    failed = list(until("failed"))[-1]
    assert failed[1] == 5 and "something broke inside the engine" in failed[2]
    send("run", 6, small_run(epochs=7))
    send("step", 6, 2)
    assert list(until("ended"))[-1][1:3] == (6, None)  # two epochs, paused, not finished
    send("publish", 6)
    send("step", 6, 5)
    answers = list(until("ended"))
    assert answers[0][1].epoch == 2 and answers[-1][2].kind == "epochs"


@pytest.mark.parametrize(
    ("value", "mode"),
    [("", DEFAULT_MODE), ("thread", "thread"), (" Process ", "process"), ("gpu", DEFAULT_MODE)],
)
def test_the_training_mode_comes_from_the_environment(value, mode, capsys):
    assert training_mode({MODE_ENV: value}) == mode
    warning = capsys.readouterr().err
    assert ("not one of" in warning) == (value == "gpu")
