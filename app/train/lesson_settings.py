"""The Train tab's settings as a lesson file holds them: one flat object of plain values.

A lesson file's `train` field (see docs/lesson-files.md) is an object of at most 100 names,
each a number, a text, true, false or null: no lists, so a file stays easy to read and to
check. The Train tab's settings are a `DataSettings` (the data panel) and a `TrainConfig`
(the model panel); this module turns the pair into such an object and back:

    plain = to_plain(data, config)   # {"function": "article", "samples": 1000, ..., "sizes": "2-64-64-64-1"}
    data, config = from_plain(plain) # SettingsError (one line) for a name or value it refuses

The names are the TrainConfig's own (`recipe`, `sizes`, `lr`, `epochs`, ...) and the data
panel's (`function`, `samples`, `noise`, `val_share`, `data_seed`: the data's seed, as the
TrainConfig has a `seed` of its own; `task`, "regression" or "classification", with a
classification's `dataset` and `classes`; a file written before classifiers has no `task`
and is a regression). `sizes` is written as text, "2-64-64-64-1". A name
that is missing keeps its default; an unknown one is refused, as the file's other fields
are. Data read from a CSV file is not kept: a path on the teacher's machine means nothing
on a student's, so the lesson keeps the target function instead.

Points drawn on the map (Data ▸ Draw points) are kept: `"drawn_points": true` here says the
data are the points the file holds in its own `points` field (`nncore.lessonfile`), which
`lesson_points` and `drawn_from_lesson` turn into a lesson's points and back;
`check_points` refuses a file whose two parts disagree (points but no `drawn_points`, or
classes where the task says regression).

Needs no Qt: tested without it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from app.train.drawn_points import DrawnPoints
from app.train.session import DRAWN_POINTS, DataSettings
from nncore.config import TrainConfig
from nncore.errors import SettingsError
from nncore.lessonfile import LessonPoints
from nncore.safetext import shown

# The data panel's names in a lesson file, and the DataSettings field each one fills.
DATA_NAMES = {
    "function": "function",
    "samples": "samples",
    "noise": "noise",
    "data_seed": "seed",
    "val_share": "val_share",
    "task": "task",  # "regression" or "classification" (older files: regression)
    "dataset": "dataset",  # a classification's built-in data set
    "classes": "classes",
}
DRAWN_NAME = "drawn_points"  # true: the data are the file's drawn points
CONFIG_NAMES = tuple(f.name for f in dataclasses.fields(TrainConfig))


def to_plain(data: DataSettings, config: TrainConfig) -> dict[str, Any]:
    """The settings as one flat object of JSON scalars (see the module docstring)."""
    plain: dict[str, Any] = {name: getattr(data, field) for name, field in DATA_NAMES.items()}
    if data.csv_path == DRAWN_POINTS:
        plain[DRAWN_NAME] = True  # only then, so a file without points is as it was
    for name, value in config.to_dict().items():
        plain[name] = "-".join(str(s) for s in value) if name == "sizes" else value
    return plain


def from_plain(plain: Mapping[str, Any]) -> tuple[DataSettings, TrainConfig]:
    """The DataSettings and TrainConfig a lesson's `train` object describes.

    Raises SettingsError, one line, for an unknown name or a value nncore refuses; the
    Train tab checks once more that its widgets can show every value."""
    known = (*DATA_NAMES, *CONFIG_NAMES, DRAWN_NAME)
    unknown = [name for name in plain if name not in known]
    if unknown:
        raise SettingsError(
            f"the Train tab has no setting {', '.join(shown(n) for n in unknown[:3])}"
        )
    data_values = {DATA_NAMES[n]: v for n, v in plain.items() if n in DATA_NAMES}
    config_values = {n: v for n, v in plain.items() if n in CONFIG_NAMES}
    if "sizes" in config_values:
        config_values["sizes"] = _sizes(config_values["sizes"])
    defaults = DataSettings()
    for field, value in data_values.items():
        _check_type(field, value, type(getattr(defaults, field)))
    drawn = plain.get(DRAWN_NAME, False)
    if not isinstance(drawn, bool):
        raise SettingsError(f"{DRAWN_NAME} must be true or false; got {shown(drawn)}")
    if drawn:
        data_values["csv_path"] = DRAWN_POINTS
    data = dataclasses.replace(defaults, **data_values)
    return data, TrainConfig.from_dict(config_values)


def lesson_points(drawn: DrawnPoints) -> LessonPoints:
    """The points drawn, as a lesson file holds them (the class names offered included);
    LessonFileError (one line) for points a lesson file cannot hold."""
    return LessonPoints.of(drawn.X, drawn.values, drawn.classes)


def drawn_from_lesson(points: LessonPoints) -> DrawnPoints:
    """A lesson file's points, to draw on (nothing to undo yet)."""
    return DrawnPoints(points.X, points.value_array, points.classes)


def check_points(plain: Mapping[str, Any], points: LessonPoints | None) -> None:
    """Refuse (SettingsError, one line) a lesson whose `train` settings and `points`
    disagree: the data are drawn points exactly when the file holds some, and classes are
    drawn exactly for a classification (a `train` without `task` follows the points)."""
    drawn = plain.get(DRAWN_NAME, False) is True
    if drawn and points is None:
        raise SettingsError(f"'train.{DRAWN_NAME}' is true but the file holds no 'points'")
    if points is not None and not drawn:
        raise SettingsError(
            f"the file holds 'points' but its 'train' does not train on them "
            f'(it needs "{DRAWN_NAME}": true)'
        )
    task = plain.get("task")
    if points is not None and task is not None:
        expected = "regression" if points.classes is None else "classification"
        if task != expected:
            kind = "values (z)" if points.classes is None else "classes"
            raise SettingsError(
                f"the file's 'points' hold {kind}, so 'train.task' must be {shown(expected)}; "
                f"got {shown(task)}"
            )


def _sizes(text: Any) -> list[int]:
    """ "2-64-64-64-1" as [2, 64, 64, 64, 1]."""
    parts = text.split("-") if isinstance(text, str) else []
    if not parts or not all(p.strip().isdigit() and len(p.strip()) <= 6 for p in parts):
        raise SettingsError(f"sizes must be layer sizes such as '2-64-64-64-1'; got {shown(text)}")
    return [int(p) for p in parts]


def _check_type(field: str, value: Any, kind: type) -> None:
    """A data setting of the right kind (a whole number may stand for a float)."""
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if kind is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok:
        raise SettingsError(f"data {field} must be {kind.__name__}; got {shown(value)}")
