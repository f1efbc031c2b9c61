"""nncore: a small, readable neural-network engine in pure NumPy.

It powers the nn-tutor app and works on its own from a notebook or the `nncore` command:
networks with recorded forward passes and backpropagation (`network`), activations, losses,
optimisers and learning-rate schedules (`optim`), data and safe formulas (`data`, `formula`),
training runs in chunks (`training`), classifiers (softmax or sigmoid outputs with
cross-entropy; class data sets from `data.classification`, metrics in `classification`),
the step-by-step lesson engine (`lesson`), and weight files readable by NumPy and PyTorch
(`weightfile`). It never imports Qt.

Every error it raises about its input is an `NNCoreError` (and a ValueError): catch that one
class to show any of their messages. See `nncore.errors` for the family.

`import nncore` itself is cheap: the names below are loaded from their modules the first time
they are used (`nncore.Network`, `from nncore import Network`), and so are the modules
(`nncore.training`). The app's first window needs only the lesson engine, so it does not
wait for the training, data or weight-file code (see `__getattr__`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_HOMES = {  # module: the names nncore offers from it (the same as the imports below)
    "activations": "ACTIVATIONS OUTPUT_ACTIVATIONS Activation get_activation get_output_activation",
    "classification": "accuracy confusion_matrix label_indices",
    "data": "FUNCTIONS DataError Dataset Normaliser TargetFunction get_function grid grid_axes "
    "load_csv load_points_csv sample_uniform",
    "errors": "NNCoreError SettingsError",
    "formula": "FormulaError parse_formula",
    "lesson": "GRANULARITIES PRESETS Lesson LessonStep Quiz make_custom make_lesson render",
    "losses": "cross_entropy half_mse mse r2",
    "network": "ForwardRecord Gradients Network init_parameters",
    "optim": "Adam GradientDescent Momentum make_optimizer make_schedule",
    "training": "RECIPES EpochReport StopReason TrainConfig TrainingRun recipe",
    "weightfile": "WeightFile WeightFileError load save",
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names.split()}

__all__ = [
    "NNCoreError",
    "SettingsError",
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "OUTPUT_ACTIVATIONS",
    "get_output_activation",
    "accuracy",
    "confusion_matrix",
    "label_indices",
    "cross_entropy",
    "FUNCTIONS",
    "DataError",
    "Dataset",
    "Normaliser",
    "TargetFunction",
    "get_function",
    "grid",
    "grid_axes",
    "load_csv",
    "load_points_csv",
    "sample_uniform",
    "FormulaError",
    "parse_formula",
    "GRANULARITIES",
    "PRESETS",
    "Lesson",
    "LessonStep",
    "make_custom",
    "make_lesson",
    "Quiz",
    "render",
    "mse",
    "half_mse",
    "r2",
    "Network",
    "ForwardRecord",
    "Gradients",
    "init_parameters",
    "Adam",
    "GradientDescent",
    "Momentum",
    "make_optimizer",
    "make_schedule",
    "RECIPES",
    "EpochReport",
    "StopReason",
    "TrainConfig",
    "TrainingRun",
    "recipe",
    "WeightFile",
    "WeightFileError",
    "load",
    "save",
]

if TYPE_CHECKING:  # the same names, for mypy and the reader's editor
    from .activations import (
        ACTIVATIONS,
        OUTPUT_ACTIVATIONS,
        Activation,
        get_activation,
        get_output_activation,
    )
    from .classification import accuracy, confusion_matrix, label_indices
    from .data import (
        FUNCTIONS,
        DataError,
        Dataset,
        Normaliser,
        TargetFunction,
        get_function,
        grid,
        grid_axes,
        load_csv,
        load_points_csv,
        sample_uniform,
    )
    from .errors import NNCoreError, SettingsError
    from .formula import FormulaError, parse_formula
    from .lesson import (
        GRANULARITIES,
        PRESETS,
        Lesson,
        LessonStep,
        Quiz,
        make_custom,
        make_lesson,
        render,
    )
    from .losses import cross_entropy, half_mse, mse, r2
    from .network import ForwardRecord, Gradients, Network, init_parameters
    from .optim import Adam, GradientDescent, Momentum, make_optimizer, make_schedule
    from .training import RECIPES, EpochReport, StopReason, TrainConfig, TrainingRun, recipe
    from .weightfile import WeightFile, WeightFileError, load, save


def __getattr__(name: str) -> Any:
    """Load `name` the first time it is asked for (PEP 562): one of the names above, taken
    from its module, or a module of the package (`nncore.training`)."""
    if name in _HOME_OF:
        value = getattr(importlib.import_module(f"{__name__}.{_HOME_OF[name]}"), name)
    elif name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    else:
        try:
            value = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise  # a module of the package failed to import something it needs
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value  # the next look-up is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
