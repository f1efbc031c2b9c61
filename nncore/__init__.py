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
"""

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
__version__ = "0.1.0"
