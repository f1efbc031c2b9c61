"""Lesson files (.nnlesson): a step-by-step lesson saved exactly as it was shown, to reopen.

A teacher prepares a lesson (a preset or their own network, edited weights, an example, a
learning rate, the iteration and step reached, Predict mode, the Train tab's settings, which
controls the class may see or change) and saves it; the file opens on another machine on
the same numbers. The file is JSON, described field by field in docs/lesson-files.md:

    lesson = make_lesson("article").next_iteration()
    save_lesson("class.nnlesson", LessonFile.from_lesson(lesson, preset="article", position=12))
    again = load_lesson("class.nnlesson").make_lesson()   # the same steps and numbers

A lesson file comes from elsewhere, so loading it is as careful as loading a weights file:
it is read through `nncore.untrusted_file` (regular files only, at most MAX_LESSON_BYTES),
its JSON text is bounded in depth and size before it is parsed, every field is checked
(types, ranges, shapes), NaN and infinities are refused, unknown keys are refused (a misspelt
lock must not silently leave a control open), and the lesson it describes is built once, so
a file whose numbers overflow or whose step position lies past the end is refused when it is
opened, not later. Nothing in it is ever executed. Every refusal is a `LessonFileError`: one
line naming the file and the field.

The network saved is the one the *current* iteration starts from, with the iteration number,
so a lesson at iteration 500 reopens at once (no replaying of 499 updates); the network of
iteration 1 (`start_weights`, `start_biases`) is kept too, for Reset.

A classifier's lesson (the "softmax" and "logistic" presets, issue 11) writes its network's
loss, `"loss": "cross_entropy"`, and may name "softmax" as the output's activation; its
targets are the rows of probabilities the output should give (one-hot, or the class 0/1).
A file without "loss" is a squared-error lesson, as every file before classifiers was.

Points a student drew for the Train tab (its Data ▸ Draw points) may come along
(`"points"`, a `LessonPoints`): at most MAX_POINTS points in the domain [−10, 10]², each
with its value z or its class, so a teacher can hand out "train on these points". A file
holding points is written as version 2, so an nn-tutor from before them says "made by a
newer nn-tutor" instead of refusing an unknown field; a file without points is written
exactly as before (version 1).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .atomicwrite import write_atomically
from .checks import choice, number, whole
from .csvfiles import MAX_CLASS_NAME_CHARS, MAX_CLASSES
from .errors import NNCoreError
from .lesson import GRANULARITIES, KIND_BY_NAME, PHASES, PRESETS, Lesson, LessonError
from .lesson.examples import LR_LIMIT, MAX_BATCH, MAX_ITERATION, VALUE_LIMIT
from .lesson.presets import CUSTOM_LIMITS
from .network import Network
from .safetext import one_line, shown
from .untrusted_file import read_bounded, shown_path

__all__ = [
    "EXTENSION",
    "FORMAT_MARKER",
    "FORMAT_VERSION",
    "HIDEABLE",
    "LOCKABLE",
    "MAX_LESSON_BYTES",
    "LessonFile",
    "LessonFileError",
    "LessonPoints",
    "Locks",
    "MAX_POINTS",
    "MAX_POINT_VALUE",
    "PredictSettings",
    "load_lesson",
    "lesson_from_text",
    "save_lesson",
]

EXTENSION = ".nnlesson"
FORMAT_MARKER = "nn-tutor lesson"
FORMAT_VERSION = 2  # the newest version this reads: 2 may hold drawn points
FIRST_VERSION = 1  # what a file without drawn points is written as, unchanged since 1

# The largest lesson (a 4-6-6-6-3 network, 8 examples, a long loss history, notes and the
# Train tab's settings) is some 100 KB of JSON; anything far larger is not a lesson file.
MAX_LESSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 8  # a lesson file nests 5 deep: file, "weights", a layer, a row, a number
MAX_CONTAINERS = 20_000  # lists and objects, counted on the text before parsing
MAX_TITLE = 200  # characters
MAX_NOTES = 20_000
MAX_HISTORY = 100_000  # losses of earlier iterations, for the Step tab's loss chart
MAX_TRAIN_KEYS = 100
MAX_TRAIN_TEXT = 1_000  # characters of one text value among the Train tab's settings
MAX_INT_DIGITS = 20
# Drawn points: as many as the Train tab's Draw points holds (app.train.drawn_points keeps
# the same number), some 400 KB of JSON at most, so a file with them stays under 1 MB.
MAX_POINTS = 5_000
# A drawn value is typed within ±1000; points brought in from a CSV file may hold more.
# Far beyond this a network's squared error overflows anyway.
MAX_POINT_VALUE = 1e6
# (x_lo, x_hi, y_lo, y_hi): where points may be drawn, nncore.data.CLASS_DOMAIN (written
# out, not imported: opening a lesson needs none of the data code; a test keeps them equal)
POINT_DOMAIN = (-10.0, 10.0, -10.0, 10.0)

# The vocabulary of `locks`. "hidden": controls the class does not see; "locked": values the
# class cannot change (the control shows them, greyed). The app maps each name to its widgets.
HIDEABLE = (
    "lesson_choice",  # the preset combo
    "editor",  # the custom-network editor
    "example",  # the inputs, target and learning-rate fields with Apply
    "granularity",  # the Step-by combo
    "timeline",  # the slider and the step list
    "play",  # Play and its speed
    "next_iteration",  # Next iteration (N)
    "reset",  # Reset (R)
    "predict",  # the Predict-mode panel
    "inspector",  # the Inspect panel
    "loss_chart",  # the loss-per-iteration chart
    "train_tab",  # the whole Train tab
)
LOCKABLE = (
    "lesson_choice",  # no other preset can be chosen
    "network",  # sizes and activations
    "weights",  # weights and biases cannot be edited
    "inputs",
    "targets",
    "learning_rate",
    "granularity",
    "predict",  # Predict mode stays as saved (on or off, what it asks, hints)
    "train_settings",  # the Train tab's settings
)

_TOP_KEYS = {
    "format": True,  # True: required
    "version": True,
    "title": False,
    "notes": False,
    "preset": True,
    "network": False,  # required for "custom"; a preset's own network otherwise
    "start_network": False,
    "inputs": False,
    "targets": False,
    "learning_rate": False,
    "iteration": False,
    "loss_history": False,
    "granularity": False,
    "position": False,
    "predict": False,
    "train": False,
    "points": False,  # version 2: points drawn for the Train tab
    "locks": False,
}
_NETWORK_KEYS = {"sizes": True, "activations": True, "weights": True, "biases": True, "loss": False}
_LOSSES = ("mse", "cross_entropy")
_ASK_WORDS = ("all", "direction", *PHASES)


class LessonFileError(NNCoreError, ValueError):
    """A lesson file could not be read or written; the message names the file and the field."""


@dataclass(frozen=True)
class PredictSettings:
    """Predict mode: on or off, what it asks (a Quiz `ask`), how many hints a question has."""

    on: bool = False
    ask: str | tuple[str, ...] = "all"
    hints: int = 2


@dataclass(frozen=True)
class Locks:
    """Which controls the class does not see (`hidden`) or cannot change (`locked`)."""

    hidden: tuple[str, ...] = ()
    locked: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        """Whether anything is hidden or locked (the app then shows its "locked" banner)."""
        return bool(self.hidden or self.locked)

    def hides(self, control: str) -> bool:
        """Whether `control` (a name in HIDEABLE) is hidden; KeyError for another name, so
        a misspelt name in the app fails loudly instead of leaving a control visible."""
        if control not in HIDEABLE:
            raise KeyError(f"{control!r} is not a control a lesson file can hide")
        return control in self.hidden

    def fixes(self, value: str) -> bool:
        """Whether `value` (a name in LOCKABLE) is locked; KeyError for another name."""
        if value not in LOCKABLE:
            raise KeyError(f"{value!r} is not a value a lesson file can lock")
        return value in self.locked


@dataclass(frozen=True)
class LessonPoints:
    """Points drawn for the Train tab: where each lies, (x, y) in POINT_DOMAIN, and its value
    z, or its class (an index into `classes`, the class names offered to draw).

    In the file: `{"rows": [[x, y, z], ...]}`, or `{"classes": ["class 0", "class 1"],
    "rows": [[x, y, 1], ...]}` with the class as a whole number counting from 0."""

    xy: tuple[tuple[float, float], ...] = ()
    values: tuple[float, ...] = ()  # a value z, or a class index (a whole number)
    classes: tuple[str, ...] | None = None  # None: the values are targets (a regression)

    @classmethod
    def of(cls, X, values, classes=None) -> LessonPoints:
        """Points from arrays, X (n, 2) and values (n,), checked as a file's would be
        (LessonFileError, one line, for a point a lesson file cannot hold)."""
        X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if len(values) != len(X):
            raise LessonFileError(f"the points: {len(X)} points but {len(values)} values")
        doc = LessonPoints(
            tuple(map(tuple, X.tolist())),
            tuple(values.tolist()),
            None if classes is None else tuple(str(c) for c in classes),
        ).to_document()
        return _Reader("the points").points(doc)

    def __len__(self) -> int:
        return len(self.xy)

    @property
    def X(self) -> np.ndarray:
        """The points as an array (n, 2)."""
        return np.array(self.xy, dtype=np.float64).reshape(-1, 2)

    @property
    def value_array(self) -> np.ndarray:
        """The values (or class indices) as an array (n,)."""
        return np.array(self.values, dtype=np.float64)

    def to_document(self) -> dict[str, Any]:
        """The file's "points" object (a class written as a whole number)."""
        if self.classes is None:
            return {"rows": [[x, y, v] for (x, y), v in zip(self.xy, self.values)]}
        return {
            "classes": list(self.classes),
            "rows": [[x, y, int(v)] for (x, y), v in zip(self.xy, self.values)],
        }


Matrix = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class LessonFile:
    """Everything a .nnlesson file holds, checked. Build one with `from_lesson` (what the
    Step tab shows) or `load_lesson` (a file); `make_lesson()` rebuilds the `Lesson`."""

    preset: str  # a name of PRESETS ("article", "softmax", ..., "custom"): the lesson combo
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    weights: tuple[Matrix, ...]  # the network this iteration starts from, (fan_in, fan_out)
    biases: tuple[tuple[float, ...], ...]
    inputs: Matrix  # one row per example
    targets: Matrix
    learning_rate: float
    iteration: int = 1
    start_weights: tuple[Matrix, ...] | None = None  # iteration 1's network (for Reset)
    start_biases: tuple[tuple[float, ...], ...] | None = None
    loss_history: tuple[float, ...] = ()  # what the Step tab's loss chart shows, in order
    granularity: str = "operation"
    position: int = 0  # steps shown, 0 to len(lesson)
    predict: PredictSettings = field(default_factory=PredictSettings)
    train: dict[str, Any] = field(default_factory=dict)
    locks: Locks = field(default_factory=Locks)
    title: str = ""  # for the class: shown as the lesson's title
    notes: str = ""
    loss: str = "mse"  # the network's: "cross_entropy" for a classifier's lesson
    points: LessonPoints | None = None  # drawn for the Train tab (version 2); None: none

    # ---- from and to a lesson ------------------------------------------------------------
    @classmethod
    def from_lesson(
        cls,
        lesson: Lesson,
        *,
        preset: str = "custom",
        start_network: Network | None = None,
        **settings: Any,
    ) -> LessonFile:
        """What `lesson` is now, plus `settings` (any other field: position, granularity,
        predict, train, points, locks, title, notes, loss_history), checked as a file would
        be. `start_network` is iteration 1's network (default: none, so Reset keeps this
        one); `points=None` is no points."""
        net = lesson.network
        doc: dict[str, Any] = {
            "format": FORMAT_MARKER,
            "version": FORMAT_VERSION,
            "preset": preset,
            "network": _network_document(net),
            "inputs": lesson.X.tolist(),
            "targets": lesson.Y.tolist(),
            "learning_rate": lesson.lr,
            "iteration": lesson.iteration,
        }
        if start_network is not None:
            doc["start_network"] = _network_document(start_network)
        settings.setdefault("title", lesson.title)
        for key, value in settings.items():
            if key not in _TOP_KEYS or key in doc:
                raise TypeError(f"from_lesson() got an unexpected setting {key!r}")
            if key == "points" and value is None:
                continue  # no points: the field is absent, as in a file without them
            doc[key] = _plain(value)
        return _Reader("the lesson").lesson_file(doc)

    def make_lesson(self) -> Lesson:
        """The lesson this file describes: the same steps, numbers and iteration."""
        net = _network(self.sizes, self.activations, self.weights, self.biases, self.loss)
        title = self.title or _preset_title(self.preset)
        return Lesson(
            net,
            batch=(np.array(self.inputs), np.array(self.targets)),
            lr=self.learning_rate,
            title=title,
            iteration=self.iteration,
        )

    def start_network(self) -> Network:
        """Iteration 1's network (the one Reset goes back to): the saved one, else this
        iteration's."""
        if self.start_weights is None or self.start_biases is None:
            return _network(self.sizes, self.activations, self.weights, self.biases, self.loss)
        return _network(
            self.sizes, self.activations, self.start_weights, self.start_biases, self.loss
        )

    def with_settings(self, **changes: Any) -> LessonFile:
        """A copy with some fields changed, checked again (e.g. other locks)."""
        return _Reader("the lesson").lesson_file(replace(self, **changes).to_document())

    # ---- to JSON -------------------------------------------------------------------------
    def to_document(self) -> dict[str, Any]:
        """The file's JSON object (plain lists, numbers and texts)."""
        doc: dict[str, Any] = {
            "format": FORMAT_MARKER,
            # version 1 unless there are points, so older nn-tutors read the file as before
            "version": FORMAT_VERSION if self.points is not None else FIRST_VERSION,
            "title": self.title,
            "notes": self.notes,
            "preset": self.preset,
            "network": _network_fields(
                self.sizes, self.activations, self.weights, self.biases, self.loss
            ),
        }
        if self.start_weights is not None and self.start_biases is not None:
            doc["start_network"] = _network_fields(
                self.sizes, self.activations, self.start_weights, self.start_biases, self.loss
            )
        doc.update(
            inputs=_plain(self.inputs),
            targets=_plain(self.targets),
            learning_rate=self.learning_rate,
            iteration=self.iteration,
            loss_history=list(self.loss_history),
            granularity=self.granularity,
            position=self.position,
            predict=_plain(self.predict),
            train=dict(self.train),
        )
        if self.points is not None:
            doc["points"] = self.points.to_document()
        doc["locks"] = _plain(self.locks)
        return doc

    def to_text(self) -> str:
        """The file's text: indented JSON, each list of numbers on one line."""
        text = json.dumps(self.to_document(), indent=2, ensure_ascii=False, allow_nan=False)
        # A list holding no list or object (a matrix row, the sizes) goes on one line.
        return re.sub(r"\[[^\[\]{}]*\]", _one_line_list, text)


def save_lesson(path, lesson_file: LessonFile) -> None:
    """Write `lesson_file` to `path` atomically (the old file stays whole on any error)."""
    if not isinstance(lesson_file, LessonFile):
        raise TypeError(f"save_lesson needs a LessonFile; got {type(lesson_file).__name__}")
    text = lesson_file.to_text() + "\n"
    size = len(text.encode("utf-8"))
    if size > MAX_LESSON_BYTES:  # it would not open again: say so now, not in class
        raise LessonFileError(
            f"the lesson would take {size:,} bytes; a lesson file holds at most "
            f"{MAX_LESSON_BYTES:,} (fewer points or a shorter loss history)"
        )

    def write_to(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

    try:
        write_atomically(path, write_to)
    except NNCoreError as err:  # WeightFileError: the atomic writer's own error class
        raise LessonFileError(str(err)) from None


def load_lesson(path) -> LessonFile:
    """The lesson file at `path`, every field checked; LessonFileError when refused."""
    data = read_bounded(path, what="lesson file", error=LessonFileError, limit=MAX_LESSON_BYTES)
    return lesson_from_text(data, source=shown_path(path))


def lesson_from_text(data: bytes | str, source: str = "the lesson file") -> LessonFile:
    """A lesson file's text (already read), checked; `source` names it in messages."""
    reader = _Reader(source)
    return reader.lesson_file(reader.parse(data))


# ---- helpers ---------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Tuples (and dataclasses of settings) as the lists and objects JSON writes."""
    if isinstance(value, Locks):
        return {"hidden": list(value.hidden), "locked": list(value.locked)}
    if isinstance(value, PredictSettings):
        return {"on": value.on, "ask": _plain(value.ask), "hints": value.hints}
    if isinstance(value, LessonPoints):
        return value.to_document()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def _one_line_list(match: re.Match) -> str:
    """A list of numbers or names, indented over many lines by json, on one line."""
    inner = re.sub(r"\s*\n\s*", " ", match.group()[1:-1]).strip()
    return f"[{inner}]"


def _network_document(net: Network) -> dict[str, Any]:
    biases = [b.reshape(-1) for b in net.biases]
    return _network_fields(net.sizes, net.activation_names, net.weights, biases, net.loss_name)


def _network_fields(sizes, activations, weights, biases, loss: str = "mse") -> dict[str, Any]:
    """A network as the file writes it: float64 numbers in lists (exact for float32 too);
    the loss only for a classifier, so a squared-error lesson's file is as it always was."""
    fields: dict[str, Any] = {
        "sizes": list(sizes),
        "activations": list(activations),
        "weights": [np.asarray(w, dtype=np.float64).tolist() for w in weights],
        "biases": [np.asarray(b, dtype=np.float64).reshape(-1).tolist() for b in biases],
    }
    if loss != "mse":
        fields["loss"] = loss
    return fields


def _network(sizes, activations, weights, biases, loss: str = "mse") -> Network:
    net = Network(sizes, activations=list(activations), init="article", seed=0, loss=loss)
    net.load_parameters(
        [np.array(w, dtype=np.float64) for w in weights],
        [np.array(b, dtype=np.float64).reshape(1, -1) for b in biases],
    )
    return net


class _TooManyDigits(Exception):
    pass


class _UnreadableNumber(ValueError):
    """A number JSON spells that a lesson cannot hold (NaN, Infinity, 1e400): its text, so
    the message can say where it stands."""

    def __init__(self, literal: str, why: str):
        super().__init__(f"{literal} {why}")
        self.literal, self.why = literal, why


def _refuse_constant(name: str):
    raise _UnreadableNumber(name, "is not a number a lesson can hold")


def _place(text: str, literal: str) -> str:
    """ "line L, column C" of the first `literal` standing as a JSON value in `text`."""
    found = re.search(r"(?<![\w.\-+\"])" + re.escape(literal) + r"(?![\w.])", text)
    if found is None:
        return "somewhere"
    at = found.start()
    return f"line {text.count(chr(10), 0, at) + 1}, column {at - text.rfind(chr(10), 0, at)}"


def _bounded_int(text: str) -> int:
    if len(text) - text.startswith("-") > MAX_INT_DIGITS:
        raise _TooManyDigits
    return int(text)


# The bytes that decide how JSON text nests: quotes and backslashes (texts) and brackets.
_STRUCTURE = re.compile(rb'["\\\[\]{}]')


def _max_depth(data: bytes) -> int:
    """How deeply the lists and objects nest, brackets inside texts ignored.

    One pass over the quotes, backslashes and brackets only, so the time grows with the
    text's length whatever it holds (a regular expression matching whole texts would try
    again from every quote of an unclosed text: hours for a megabyte of backslashed quotes).
    """
    depth = deepest = 0
    in_text = False
    escaped_at = -1  # the position of the character a backslash escapes
    for match in _STRUCTURE.finditer(data):
        at = match.start()
        if at == escaped_at:
            continue
        byte = data[at]
        if in_text:
            if byte == ord("\\"):
                escaped_at = at + 1
            elif byte == ord('"'):
                in_text = False
        elif byte == ord('"'):
            in_text = True
        elif byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest


class _Reader:
    """Checks a lesson document field by field; every refusal names `source` and the field."""

    def __init__(self, source: str):
        self.source = source

    def error(self, where: str, text: str) -> LessonFileError:
        place = f"'{where}' " if where else ""
        return LessonFileError(one_line(f"{self.source}: {place}{text}"))

    # ---- the text ------------------------------------------------------------------------
    def parse(self, data: bytes | str) -> Any:
        try:
            raw = data.encode("utf-8") if isinstance(data, str) else data
            text = raw.decode("utf-8")
        except UnicodeError:
            raise self.error("", "is not UTF-8 text, so not a lesson file") from None
        containers = raw.count(b"[") + raw.count(b"{")
        if containers > MAX_CONTAINERS:
            raise self.error(
                "",
                f"holds up to {containers:,} lists and objects; a lesson "
                f"file needs at most {MAX_CONTAINERS:,}",
            )
        if containers > MAX_JSON_DEPTH and _max_depth(raw) > MAX_JSON_DEPTH:
            raise self.error(
                "",
                f"nests lists and objects more than {MAX_JSON_DEPTH} deep; a lesson file does not",
            )
        try:
            return json.loads(
                text,
                parse_int=_bounded_int,
                parse_constant=_refuse_constant,
                parse_float=self._finite_float,
            )
        except json.JSONDecodeError as exc:
            raise self.error(
                "", f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
        except _TooManyDigits:
            raise self.error(
                "", f"holds a whole number of more than {MAX_INT_DIGITS} digits"
            ) from None
        except RecursionError:
            raise self.error("", "is nested too deeply to be a lesson file") from None
        except _UnreadableNumber as exc:  # NaN, Infinity, 1e400: say where it stands
            where = _place(text, exc.literal)
            literal = shown(exc.literal, 40)[1:-1]
            raise self.error("", f"holds {literal} at {where}, which {exc.why}") from None
        except (ValueError, OverflowError) as exc:
            raise self.error("", f"holds a value that cannot be read ({exc})") from None

    @staticmethod
    def _finite_float(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise _UnreadableNumber(text, "is too large for a number")
        return value

    # ---- the document --------------------------------------------------------------------
    def lesson_file(self, doc: Any) -> LessonFile:
        if not isinstance(doc, dict):
            raise self.error("", "must hold a JSON object {...}, so it is not a lesson file")
        if doc.get("format") != FORMAT_MARKER:
            raise self.error(
                "format",
                f"is {shown(doc.get('format'))}, not "
                f"'{FORMAT_MARKER}': this is not an nn-tutor lesson file",
            )
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.error("version", f"must be a whole number from 1; got {shown(version)}")
        if version > FORMAT_VERSION:
            raise self.error(
                "version",
                f"is {version}: the file was made by a newer nn-tutor "
                f"(this one reads version {FORMAT_VERSION}); update nn-tutor",
            )
        self.keys(doc, "", _TOP_KEYS)
        preset = self.text(doc["preset"], "preset", 20)
        if preset not in PRESETS:
            raise self.error("preset", f"is {shown(preset)}; choose one of {', '.join(PRESETS)}")
        default = None if preset == "custom" else PRESETS[preset].factory()
        if "network" in doc:
            # A preset keeps its architecture (its weights may be edited); another
            # architecture is a custom lesson.
            like = None
            if default is not None:
                net = default.network
                like = (net.sizes, net.activation_names, net.loss_name)
            sizes, acts, weights, biases, loss = self.network(
                doc["network"], "network", like, preset
            )
        elif default is not None:
            sizes, acts = default.network.sizes, tuple(default.network.activation_names)
            loss = default.network.loss_name
            weights = tuple(_matrix(w.tolist()) for w in default.network.weights)
            biases = tuple(tuple(b.reshape(-1).tolist()) for b in default.network.biases)
        else:
            raise self.error("network", "is missing: a custom lesson must hold its network")
        start_w = start_b = None
        if "start_network" in doc:
            _, _, start_w, start_b, _ = self.network(
                doc["start_network"], "start_network", (sizes, acts, loss)
            )
        inputs = self.rows(doc, "inputs", sizes[0], default.X if default else None)
        if loss == "cross_entropy" and sizes[-1] > 1 and "targets" in doc:
            doc = {**doc, "targets": self.class_rows(doc["targets"], sizes[-1])}
        targets = self.rows(doc, "targets", sizes[-1], default.Y if default else None)
        if len(inputs) != len(targets):
            raise self.error(
                "targets",
                f"has {len(targets)} row(s) but 'inputs' has "
                f"{len(inputs)}: one target row per example",
            )
        lr = doc.get("learning_rate", default.lr if default else None)
        if lr is None:
            raise self.error("learning_rate", "is missing: a custom lesson must hold it")
        lr = self.checked(number, lr, "learning_rate", 0.0, LR_LIMIT, low_open=True)
        iteration = self.checked(whole, doc.get("iteration", 1), "iteration", 1, MAX_ITERATION)
        history = self.numbers(doc.get("loss_history", []), "loss_history", MAX_HISTORY)
        granularity = self.text(doc.get("granularity", "operation"), "granularity", 20)
        self.checked(choice, granularity, "granularity", GRANULARITIES)
        result = LessonFile(
            preset=preset,
            sizes=tuple(sizes),
            activations=tuple(acts),
            weights=weights,
            biases=biases,
            inputs=inputs,
            targets=targets,
            learning_rate=lr,
            iteration=iteration,
            start_weights=start_w,
            start_biases=start_b,
            loss_history=tuple(history),
            granularity=granularity,
            position=0,
            predict=self.predict(doc.get("predict", {})),
            train=self.train(doc.get("train", {})),
            points=self.points(doc["points"]) if "points" in doc else None,
            locks=self.locks(doc.get("locks", {})),
            title=self.text(doc.get("title", ""), "title", MAX_TITLE),
            notes=self.text(doc.get("notes", ""), "notes", MAX_NOTES, lines=True),
            loss=loss,
        )
        try:  # build it once: numbers that overflow are refused now, not in class
            lesson = result.make_lesson()
            if start_w is not None:
                result.start_network()
        except (LessonError, NNCoreError, ValueError) as err:
            if str(err).startswith("the target"):  # a classifier's row that is no class
                raise self.error("targets", f"{err}".removeprefix("the target: ")) from None
            raise self.error("network", f"cannot be taken through a lesson: {err}") from None
        position = self.checked(whole, doc.get("position", 0), "position", 0, len(lesson))
        return replace(result, position=position)

    def keys(self, obj: dict, where: str, allowed) -> None:
        for key in obj:
            if key not in allowed:
                name = f"{where}.{shown(key, 40)[1:-1]}" if where else shown(key, 40)[1:-1]
                raise self.error(
                    name,
                    "is not a field of a lesson file (unknown fields are "
                    "refused, so a misspelt one cannot be silently ignored)",
                )
        required = (
            [key for key, needed in allowed.items() if needed] if isinstance(allowed, dict) else []
        )
        for key in required:
            if key not in obj:
                raise self.error(f"{where}.{key}" if where else key, "is missing")

    def checked(self, check, value, where: str, *args, **kw):
        """A `nncore.checks` check, its refusal (also a wrong type) naming the field."""
        try:
            return check(value, where, *args, error=LessonFileError, **kw)
        except (TypeError, LessonFileError) as err:
            raise self.error(where, f"{err}".removeprefix(where).strip()) from None

    def text(self, value, where: str, limit: int, lines: bool = False) -> str:
        if not isinstance(value, str):
            raise self.error(where, f"must be text; got {shown(value)}")
        if len(value) > limit:
            raise self.error(where, f"holds {len(value):,} characters; at most {limit:,}")
        bad = [c for c in value if not (c.isprintable() or c == " " or (lines and c in "\n\t"))]
        if bad:
            raise self.error(where, f"holds the control character {shown(bad[0])}")
        return value

    def number(self, value, where: str, limit: float | None = None) -> float:
        if not _is_number(value):
            raise self.error(where, f"must be a number; got {shown(value)}")
        if limit is not None and abs(value) > limit:
            raise self.error(where, f"is {value:g}; numbers here lie within ±{limit:g}")
        return float(value)

    def numbers(self, value, where: str, length: int, limit: float | None = None, exact=False):
        if not isinstance(value, list):
            raise self.error(where, f"must be a list of numbers; got {shown(value)}")
        if (exact and len(value) != length) or len(value) > length:
            need = f"{length}" if exact else f"at most {length:,}"
            raise self.error(where, f"holds {len(value):,} numbers; it needs {need}")
        return tuple(self.number(v, f"{where}[{i}]", limit) for i, v in enumerate(value))

    def rows(self, doc, where: str, width: int, default) -> Matrix:
        if where not in doc:
            if default is None:
                raise self.error(where, "is missing: a custom lesson must hold it")
            return _matrix(default.tolist())
        value = doc[where]
        if isinstance(value, list) and value and not isinstance(value[0], list):
            value = [value]  # one example, written flat
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_BATCH:
            raise self.error(where, f"must be 1 to {MAX_BATCH} rows (examples) of numbers")
        return tuple(
            self.numbers(row, f"{where}[{i}]", width, VALUE_LIMIT, exact=True)
            for i, row in enumerate(value)
        )

    def class_rows(self, value, n_classes: int):
        """A softmax lesson's targets written as class indices (`[2]`, `[2, 0]` or `[[2]]`)
        as the one-hot rows the file otherwise holds; anything else is left for `rows`."""
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_BATCH:
            return value
        flat = [v[0] if isinstance(v, list) and len(v) == 1 else v for v in value]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in flat):
            return value
        rows = []
        for i, c in enumerate(flat):
            c = self.checked(whole, c, f"targets[{i}]", 0, n_classes - 1)
            rows.append([1.0 if k == c else 0.0 for k in range(n_classes)])
        return rows

    def network(self, value, where: str, like, preset: str = ""):
        """(sizes, activations, weights, biases, loss) of a network object; `like`: the sizes,
        activations and loss it must share (the start network is the same network, earlier).
        "softmax" may only be the output's activation (Network refuses it with "mse")."""
        if not isinstance(value, dict):
            raise self.error(where, "must be an object with sizes, activations, weights, biases")
        self.keys(value, where, _NETWORK_KEYS)
        loss = value.get("loss", "mse")
        if not isinstance(loss, str) or loss not in _LOSSES:
            raise self.error(
                f"{where}.loss", f"is {shown(loss)}; choose one of {', '.join(_LOSSES)}"
            )
        sizes = value["sizes"]
        hi = CUSTOM_LIMITS["hidden_layers"][1]
        if not isinstance(sizes, list) or not 2 <= len(sizes) <= hi + 2:
            raise self.error(f"{where}.sizes", f"must list 2 to {hi + 2} layer sizes")
        limits = [CUSTOM_LIMITS["inputs"]] + [CUSTOM_LIMITS["hidden"]] * (len(sizes) - 2)
        limits.append(CUSTOM_LIMITS["outputs"])
        sizes = [
            self.checked(whole, s, f"{where}.sizes[{k}]", a, b)
            for k, (s, (a, b)) in enumerate(zip(sizes, limits))
        ]
        acts = value["activations"]
        if not isinstance(acts, list) or len(acts) != len(sizes) - 1:
            raise self.error(
                f"{where}.activations",
                f"must list {len(sizes) - 1} names, one per layer (the output's included)",
            )
        from .activations import ACTIVATIONS

        for k, name in enumerate(acts):
            allowed = (*ACTIVATIONS, "softmax") if k == len(acts) - 1 else tuple(ACTIVATIONS)
            if not isinstance(name, str) or name not in allowed:
                raise self.error(
                    f"{where}.activations[{k}]",
                    f"is {shown(name)}; choose one of {', '.join(allowed)}",
                )
        if like is not None and (tuple(sizes), tuple(acts), loss) != (
            tuple(like[0]),
            tuple(like[1]),
            like[2],
        ):
            model = "'network'" if where == "start_network" else f"the {shown(preset)} lesson"
            what = f"{'-'.join(map(str, like[0]))}, {', '.join(like[1])}"
            if loss != like[2]:  # a classifier's file given the other loss, or the reverse
                raise self.error(where, f"must have the loss of {model} ({what}, loss {like[2]})")
            raise self.error(where, f"must have the sizes and activations of {model} ({what})")
        # The start network is what a student typed (±VALUE_LIMIT); this iteration's may
        # have grown since, so it is only held finite (the lesson built above checks it).
        limit = VALUE_LIMIT if where == "start_network" else None
        weights, biases = value["weights"], value["biases"]
        n = len(sizes) - 1
        for name, arrays in (("weights", weights), ("biases", biases)):
            if not isinstance(arrays, list) or len(arrays) != n:
                raise self.error(f"{where}.{name}", f"must be a list of {n} layers")
        checked_w = []
        for l, w in enumerate(weights):
            at = f"{where}.weights[{l}]"
            if not isinstance(w, list) or len(w) != sizes[l]:
                raise self.error(
                    at, f"must be {sizes[l]} rows of {sizes[l + 1]} numbers (inputs × neurons)"
                )
            rows = tuple(
                self.numbers(r, f"{at}[{i}]", sizes[l + 1], limit, exact=True)
                for i, r in enumerate(w)
            )
            checked_w.append(rows)
        checked_b = tuple(
            self.numbers(b, f"{where}.biases[{l}]", sizes[l + 1], limit, exact=True)
            for l, b in enumerate(biases)
        )
        return sizes, acts, tuple(checked_w), checked_b, loss

    def predict(self, value) -> PredictSettings:
        if not isinstance(value, dict):
            raise self.error("predict", "must be an object with on, ask and hints")
        self.keys(value, "predict", ("on", "ask", "hints"))
        on = value.get("on", False)
        if not isinstance(on, bool):
            raise self.error("predict.on", f"must be true or false; got {shown(on)}")
        ask = value.get("ask", "all")
        names = [ask] if isinstance(ask, str) else ask
        if not isinstance(names, list) or not 1 <= len(names) <= 20:
            raise self.error("predict.ask", "must be a name or a list of 1 to 20 names")
        for name in names:
            if not isinstance(name, str) or name not in (*_ASK_WORDS, *KIND_BY_NAME):
                raise self.error(
                    "predict.ask",
                    f"names {shown(name)}; use one of {', '.join(_ASK_WORDS)} or a step kind",
                )
        hints = self.checked(whole, value.get("hints", 2), "predict.hints", 0, 3)
        return PredictSettings(on, ask if isinstance(ask, str) else tuple(ask), hints)

    def train(self, value) -> dict[str, Any]:
        """The Train tab's settings: checked shallowly (the app checks each when it applies
        them): at most MAX_TRAIN_KEYS names, each holding a JSON scalar."""
        if not isinstance(value, dict):
            raise self.error("train", "must be an object of settings")
        if len(value) > MAX_TRAIN_KEYS:
            raise self.error("train", f"holds {len(value):,} settings; at most {MAX_TRAIN_KEYS}")
        for key, v in value.items():
            self.text(key, "train", 64)
            where = f"train.{key}"
            if isinstance(v, str):
                self.text(v, where, MAX_TRAIN_TEXT)
            elif not (v is None or isinstance(v, (bool, int, float))):
                raise self.error(where, "must be a number, text, true, false or null")
        return dict(value)

    def points(self, value) -> LessonPoints:
        """The drawn points: at most MAX_POINTS rows [x, y, z] (or [x, y, class] with
        `classes`), x and y within POINT_DOMAIN, z within ±MAX_POINT_VALUE, a class a whole
        number counting from 0 below the number of classes."""
        if not isinstance(value, dict):
            raise self.error("points", "must be an object with 'rows' (and 'classes' for classes)")
        self.keys(value, "points", {"rows": True, "classes": False})
        classes = None
        if "classes" in value:
            names = value["classes"]
            if not isinstance(names, list) or not 2 <= len(names) <= MAX_CLASSES:
                raise self.error("points.classes", f"must list 2 to {MAX_CLASSES} class names")
            classes = tuple(
                self.text(name, f"points.classes[{k}]", MAX_CLASS_NAME_CHARS)
                for k, name in enumerate(names)
            )
            for k, name in enumerate(classes):
                if not name.strip() or name in classes[:k]:
                    why = "is empty" if not name.strip() else f"repeats {shown(name)}"
                    raise self.error(
                        f"points.classes[{k}]", f"{why}: each class needs a name of its own"
                    )
        rows = value["rows"]
        if not isinstance(rows, list):
            raise self.error("points.rows", f"must be a list of points; got {shown(rows)}")
        if len(rows) > MAX_POINTS:
            raise self.error(
                "points.rows", f"holds {len(rows):,} points; a lesson holds at most {MAX_POINTS:,}"
            )
        shape = "[x, y, z]" if classes is None else "[x, y, class]"
        x_lo, x_hi, y_lo, y_hi = POINT_DOMAIN
        xy, values = [], []
        for i, row in enumerate(rows):
            at = f"points.rows[{i}]"
            if not isinstance(row, list) or len(row) != 3:
                raise self.error(at, f"must be three numbers {shape}; got {shown(row)}")
            x = self.checked(number, row[0], f"{at}[0]", x_lo, x_hi)
            y = self.checked(number, row[1], f"{at}[1]", y_lo, y_hi)
            if classes is None:
                v = self.checked(number, row[2], f"{at}[2]", -MAX_POINT_VALUE, MAX_POINT_VALUE)
            else:
                v = float(self.checked(whole, row[2], f"{at}[2]", 0, len(classes) - 1))
            xy.append((x, y))
            values.append(v)
        return LessonPoints(tuple(xy), tuple(values), classes)

    def locks(self, value) -> Locks:
        if not isinstance(value, dict):
            raise self.error("locks", "must be an object with 'hidden' and 'locked' lists")
        self.keys(value, "locks", ("hidden", "locked"))
        found = {}
        for part, vocabulary in (("hidden", HIDEABLE), ("locked", LOCKABLE)):
            names = value.get(part, [])
            where = f"locks.{part}"
            if not isinstance(names, list) or len(names) > len(vocabulary):
                raise self.error(where, f"must be a list of names from: {', '.join(vocabulary)}")
            for name in names:
                if not isinstance(name, str) or name not in vocabulary:
                    raise self.error(
                        where,
                        f"names {shown(name)}, which is not a control "
                        f"that can be {part}; use: {', '.join(vocabulary)}",
                    )
            found[part] = tuple(dict.fromkeys(names))  # in order, each once
        return Locks(found["hidden"], found["locked"])


def _preset_title(preset: str) -> str:
    """The title a preset's own lesson has ("Your own network" for a custom one)."""
    if preset == "custom":
        return "Your own network"
    return PRESETS[preset].factory().title


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _matrix(rows) -> Matrix:
    return tuple(tuple(float(v) for v in row) for row in rows)
