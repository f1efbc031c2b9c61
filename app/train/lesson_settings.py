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

Needs no Qt: tested without it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from app.train.session import DataSettings
from nncore.config import TrainConfig
from nncore.errors import SettingsError
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
CONFIG_NAMES = tuple(f.name for f in dataclasses.fields(TrainConfig))


def to_plain(data: DataSettings, config: TrainConfig) -> dict[str, Any]:
    """The settings as one flat object of JSON scalars (see the module docstring)."""
    plain: dict[str, Any] = {name: getattr(data, field) for name, field in DATA_NAMES.items()}
    for name, value in config.to_dict().items():
        plain[name] = "-".join(str(s) for s in value) if name == "sizes" else value
    return plain


def from_plain(plain: Mapping[str, Any]) -> tuple[DataSettings, TrainConfig]:
    """The DataSettings and TrainConfig a lesson's `train` object describes.

    Raises SettingsError, one line, for an unknown name or a value nncore refuses; the
    Train tab checks once more that its widgets can show every value."""
    unknown = [name for name in plain if name not in DATA_NAMES and name not in CONFIG_NAMES]
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
    data = dataclasses.replace(defaults, **data_values)
    return data, TrainConfig.from_dict(config_values)


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
