"""nncore.lessonfile: a lesson saved as a .nnlesson file reopens as the same lesson, and a
file that is not a sound lesson file is refused with one line naming the file and the field.

The risky files (a FIFO, /dev/zero, 300 MB, deep or huge JSON) are in
tests/hostile/test_lesson_files.py, run in a caged child process.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nncore.errors import NNCoreError
from nncore.lesson import PRESETS, make_custom, make_lesson
from nncore.lessonfile import (
    FORMAT_MARKER,
    FORMAT_VERSION,
    HIDEABLE,
    LOCKABLE,
    LessonFile,
    LessonFileError,
    Locks,
    PredictSettings,
    lesson_from_text,
    load_lesson,
    save_lesson,
)

SETTINGS = {
    "granularity": "neuron",
    "position": 7,
    "predict": PredictSettings(on=True, ask=("backward", "direction"), hints=1),
    "train": {"function": "article", "epochs": 200, "lr": 0.05, "formula": None, "grid": True},
    "locks": Locks(hidden=("lesson_choice", "editor", "train_tab"), locked=("network", "inputs")),
    "title": "Week 3: backpropagation",
    "notes": "Ask the class first:\nwhich weight moves most?",
    "loss_history": [0.09, 0.05],
}


def _steps(lesson):
    return [(s.kind, s.formula, s.value) for s in lesson.steps]


def _same_lesson(a, b):
    assert _steps(a) == _steps(b)
    assert a.iteration == b.iteration and a.lr == b.lr
    assert np.array_equal(a.X, b.X) and np.array_equal(a.Y, b.Y)
    for wa, wb in zip(a.network.weights + a.network.biases, b.network.weights + b.network.biases):
        assert np.array_equal(wa, wb)  # bit for bit
    assert a.loss_after == b.loss_after


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_round_trips_with_its_settings(tmp_path, preset):
    lesson = make_lesson(preset)
    saved = LessonFile.from_lesson(lesson, preset=preset, **SETTINGS)
    path = tmp_path / "class.nnlesson"
    save_lesson(path, saved)
    again = load_lesson(path)
    assert again == saved
    _same_lesson(again.make_lesson(), lesson)
    assert again.position == 7 and again.granularity == "neuron"
    assert again.predict == SETTINGS["predict"] and again.locks == SETTINGS["locks"]
    assert again.train == SETTINGS["train"] and again.notes == SETTINGS["notes"]
    assert again.loss_history == (0.09, 0.05)
    assert again.make_lesson().title == "Week 3: backpropagation"


def test_a_custom_network_with_edited_weights_at_iteration_3_round_trips(tmp_path):
    start = make_custom(
        sizes=(3, 4, 2, 2),
        activations=("tanh", "sigmoid", "linear"),
        x=(0.5, -1.0, 2.0),
        target=(0.25, -0.75),
        lr=0.3,
        seed=5,
        weights=None,
    )
    start.network.set_weights(0, np.full((3, 4), 0.1) + np.arange(12).reshape(3, 4) / 7)
    start = type(start)(start.network, start.x, start.target, start.lr, title=start.title)
    lesson = start.next_iteration().next_iteration()
    assert lesson.iteration == 3
    saved = LessonFile.from_lesson(
        lesson, preset="custom", start_network=start.network, position=len(lesson)
    )
    path = tmp_path / "own.nnlesson"
    save_lesson(path, saved)
    again = load_lesson(path)
    rebuilt = again.make_lesson()
    _same_lesson(rebuilt, lesson)
    assert rebuilt.iteration == 3 and again.position == len(lesson)
    for wa, wb in zip(again.start_network().weights, start.network.weights):
        assert np.array_equal(wa, wb)
    # and the start network still leads to the same iteration 3
    replayed = type(start)(again.start_network(), lesson.x, lesson.target, lesson.lr)
    _same_lesson(replayed.next_iteration().next_iteration(), rebuilt)


def test_a_batch_of_examples_round_trips(tmp_path):
    lesson = make_lesson("article").__class__(
        make_lesson("article").network, batch=([[0.1, 0.3], [0.5, -0.2]], [[0.2], [0.15]])
    )
    path = tmp_path / "batch.nnlesson"
    save_lesson(path, LessonFile.from_lesson(lesson, preset="article"))
    _same_lesson(load_lesson(path).make_lesson(), lesson)


def test_a_short_hand_written_file_takes_the_preset_and_defaults(tmp_path):
    path = tmp_path / "short.nnlesson"
    path.write_text(
        json.dumps(
            {
                "format": FORMAT_MARKER,
                "version": 1,
                "preset": "sigmoid",
                "inputs": [0.2, 0.4],  # one example may be written flat
                "locks": {"hidden": ["editor"]},
            }
        )
    )
    loaded = load_lesson(path)
    lesson = loaded.make_lesson()
    assert lesson.x == (0.2, 0.4) and lesson.target == (0.01, 0.99) and lesson.lr == 0.5
    assert loaded.iteration == 1 and loaded.position == 0 and loaded.granularity == "operation"
    assert loaded.locks == Locks(hidden=("editor",)) and loaded.predict == PredictSettings()
    assert lesson.title == make_lesson("sigmoid").title


def test_the_file_is_readable_json_with_the_marker_first(tmp_path):
    path = tmp_path / "a.nnlesson"
    save_lesson(path, LessonFile.from_lesson(make_lesson("article"), preset="article"))
    text = path.read_text()
    doc = json.loads(text)
    assert list(doc)[:2] == ["format", "version"] and doc["format"] == "nn-tutor lesson"
    assert '"sizes": [2, 3, 1]' in text  # short lists stay on one line


def test_the_vocabulary_of_locks_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "lesson-files.md").read_text("utf-8")
    for name in (*HIDEABLE, *LOCKABLE):
        assert f"`{name}`" in doc, name


def _doc(**changes):
    doc = LessonFile.from_lesson(make_lesson("article"), preset="article").to_document()
    for key, value in changes.items():
        if value is _DROP:
            del doc[key]
        else:
            doc[key] = value
    return doc


_DROP = object()
_NET = _doc()["network"]

REFUSED = {
    "truncated": (json.dumps(_doc())[:-40], "not valid JSON"),
    "not an object": ("[1, 2, 3]", "JSON object"),
    "wrong marker": (_doc(format="nn-tutor-weights"), "'format'"),
    "no marker": (_doc(format=_DROP), "'format'"),
    "future version": (_doc(version=FORMAT_VERSION + 1), "newer nn-tutor"),
    "version as text": (_doc(version="1"), "'version'"),
    "NaN": (json.dumps(_doc()).replace('"learning_rate": 0.1', '"learning_rate": NaN'), "NaN"),
    "Infinity": (json.dumps(_doc()).replace("0.1,", "Infinity,", 1), "Infinity"),
    "1e999": (json.dumps(_doc()).replace("0.1,", "1e999,", 1), "too large"),
    "unknown preset": (_doc(preset="calculus"), "'preset'"),
    "custom without network": (_doc(preset="custom", network=_DROP), "'network'"),
    "unknown field": (_doc(colour="red"), "'colour'"),
    "lr as text": (_doc(learning_rate="0.1"), "'learning_rate'"),
    "lr too large": (_doc(learning_rate=11), "'learning_rate'"),
    "iteration zero": (_doc(iteration=0), "'iteration'"),
    "iteration float": (_doc(iteration=2.5), "'iteration'"),
    "position past end": (_doc(position=63), "'position'"),
    "position negative": (_doc(position=-1), "'position'"),
    "granularity": (_doc(granularity="word"), "'granularity'"),
    "inputs wrong width": (_doc(inputs=[[0.1, 0.2, 0.3]]), "'inputs[0]'"),
    "inputs too large": (_doc(inputs=[[0.1, 5000]]), "'inputs[0][1]'"),
    "inputs bool": (_doc(inputs=[[True, 0.3]]), "'inputs[0][0]'"),
    "too many examples": (_doc(inputs=[[0.1, 0.3]] * 9, targets=[[0.2]] * 9), "'inputs'"),
    "rows differ": (_doc(targets=[[0.2], [0.3]]), "'targets'"),
    "weights wrong shape": (
        _doc(network={**_NET, "weights": [[[0.1, 0.2], [0.3, 0.4]], [[1], [2], [3]]]}),
        "'network.weights[0][0]'",
    ),
    "weights missing layer": (_doc(network={**_NET, "weights": _NET["weights"][:1]}), "weights"),
    "weights as text": (_doc(network={**_NET, "biases": [["0", 0, 0], [0]]}), "biases[0][0]"),
    "sizes too large": (_doc(network={**_NET, "sizes": [2, 100, 1]}), "'network.sizes[1]'"),
    "preset, other architecture": (
        _doc(network={**_NET, "activations": ["tanh", "linear"]}),
        "the 'article' lesson (2-3-1, relu, linear)",
    ),
    "unknown activation": (
        _doc(network={**_NET, "activations": ["os.system", "linear"]}),
        "activations[0]",
    ),
    "weights overflow": (
        _doc(network={**_NET, "weights": [[[1e300, 1, 1], [1, 1, 1]], [[1], [1], [1]]]}),
        "too large to compute",
    ),
    "start network differs": (
        _doc(start_network={**_NET, "sizes": [2, 2, 1]}),
        "start_network",
    ),
    "unknown hidden": (_doc(locks={"hidden": ["everything"]}), "'locks.hidden'"),
    "unknown locked": (_doc(locks={"locked": ["train_tab"]}), "'locks.locked'"),
    "locks misspelt": (_doc(locks={"hiden": ["editor"]}), "'locks.hiden'"),
    "locks as list": (_doc(locks=["editor"]), "'locks'"),
    "predict on as text": (_doc(predict={"on": "yes"}), "'predict.on'"),
    "predict ask unknown": (_doc(predict={"ask": "__import__"}), "'predict.ask'"),
    "hints 9": (_doc(predict={"hints": 9}), "'predict.hints'"),
    "train nested": (_doc(train={"epochs": [1, 2]}), "'train.epochs'"),
    "train too many": (_doc(train={f"k{i}": i for i in range(101)}), "'train'"),
    "title too long": (_doc(title="x" * 201), "'title'"),
    "title escape": (_doc(title="\x1b[2Jgone"), "'title'"),
    "notes too long": (_doc(notes="x" * 20_001), "'notes'"),
    "long number": (
        json.dumps(_doc()).replace('"iteration": 1', '"iteration": ' + "9" * 30),
        "digits",
    ),
    "not UTF-8": (b'{"format": "\xff"}', "UTF-8"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_bad_lesson_file_is_refused_naming_the_field(tmp_path, case):
    content, expected = REFUSED[case]
    path = tmp_path / "bad.nnlesson"
    if isinstance(content, dict):
        content = json.dumps(content)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(LessonFileError) as caught:
        load_lesson(path)
    message = str(caught.value)
    assert isinstance(caught.value, NNCoreError) and isinstance(caught.value, ValueError)
    assert expected in message, message
    assert "bad.nnlesson" in message and "\n" not in message and "\x1b" not in message


def test_a_missing_file_and_a_folder_are_refused(tmp_path):
    with pytest.raises(LessonFileError, match="file not found"):
        load_lesson(tmp_path / "none.nnlesson")
    with pytest.raises(LessonFileError, match="folder"):
        load_lesson(tmp_path)


def test_the_same_checks_apply_to_from_lesson_and_text():
    lesson = make_lesson("article")
    with pytest.raises(LessonFileError, match="locks.hidden"):
        LessonFile.from_lesson(lesson, locks={"hidden": ["nothing"]})
    with pytest.raises(LessonFileError, match="'position'"):
        LessonFile.from_lesson(lesson, position=len(lesson) + 1)
    with pytest.raises(TypeError, match="setting 'colour'"):
        LessonFile.from_lesson(lesson, colour="red")
    with pytest.raises(LessonFileError, match="the lesson text"):
        lesson_from_text("{}", source="the lesson text")
    unlocked = LessonFile.from_lesson(lesson, locks=Locks(locked=("network",)))
    assert unlocked.with_settings(locks=Locks()).locks == Locks()


def test_saving_is_atomic_and_says_where_it_failed(tmp_path):
    path = tmp_path / "a.nnlesson"
    first = LessonFile.from_lesson(make_lesson("article"), preset="article")
    save_lesson(path, first)
    before = path.read_bytes()
    with pytest.raises(LessonFileError, match="does not exist"):
        save_lesson(tmp_path / "no" / "b.nnlesson", first)
    with pytest.raises(TypeError):
        save_lesson(path, {"format": FORMAT_MARKER})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nnlesson"]


def test_the_example_in_the_docs_is_a_valid_lesson_file():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "lesson-files.md").read_text("utf-8")
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    loaded = lesson_from_text(example, source="the docs' example")
    lesson = loaded.make_lesson()
    assert lesson.iteration == 2 and loaded.position == 5 and loaded.locks.any
    _same_lesson(lesson, make_lesson("perceptron").next_iteration())


def test_locks_answer_by_name_and_refuse_names_outside_the_vocabulary():
    locks = Locks(hidden=("editor",), locked=("network",))
    assert locks.any and locks.hides("editor") and not locks.hides("train_tab")
    assert locks.fixes("network") and not locks.fixes("inputs")
    assert not Locks().any
    with pytest.raises(KeyError):
        locks.hides("edtor")
    with pytest.raises(KeyError):
        locks.fixes("train_tab")
