"""The `nncore` command line: its options, their help texts, and which module runs each command."""

from __future__ import annotations

import argparse

from .. import __version__
from ..activations import ACTIVATIONS
from ..network import DTYPES, INITS
from . import PROG, UsageError
from .info import cmd_info
from .lesson import LESSON_FORMATS, cmd_lesson
from .predict import cmd_predict
from .train import NOT_GIVEN, cmd_train

__all__ = ["build_parser"]


# Option types: text to number only. The ranges are the library's (TrainConfig, nncore.data),
# checked where the number is used, so the CLI and the library say the same sentence.
def _whole_number(text: str, what: str = "") -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number{what}") from None


def _batch_size(text: str) -> int | None:
    if text.strip().lower() in ("full", "all", "none"):
        return None
    return _whole_number(text, " (or 'full' for the whole data set)")


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error becomes an exception `main` turns into exit status 2
    (argparse itself would call sys.exit)."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line; each command sets `handler`, the function to run."""
    from ..config import MAX_LAYER_WIDTH, RECIPES
    from ..data import CLASS_DATASETS, FUNCTIONS, MAX_GRID_SIZE, MAX_SAMPLES

    parser = _Parser(
        prog=PROG,
        description="Train, use and inspect small neural networks (the engine of nn-tutor).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    t = sub.add_parser(
        "train",
        help="train a network and save its weights",
        description="Train a network on a function of x and y (or a CSV file) "
        "and save the weights; or, with --data and --recipe classify, a classifier on a "
        "built-in class data set or a CSV with a label column. Ctrl+C, SIGTERM and SIGHUP stop cleanly and still save. A run "
        "too large for memory is refused before it starts (the limit: the smaller of 4 GB and "
        "half the free memory; set NNCORE_MEMORY_LIMIT, e.g. 8G, to change it).",
    )
    t.add_argument(
        "function",
        nargs="?",
        metavar="FUNCTION",
        help=f"built-in function: {', '.join(FUNCTIONS)} (default: article)",
    )
    t.add_argument("--formula", metavar="TEXT", help='your own function, e.g. "sin(x) * y"')
    t.add_argument(
        "--csv",
        metavar="FILE",
        help="train on the columns x, y, target of a CSV (x, y, label: a classifier)",
    )
    t.add_argument(
        "--data",
        choices=tuple(CLASS_DATASETS),
        help="train a classifier on a built-in class data set (with --recipe classify)",
    )
    t.add_argument(
        "--classes",
        type=_whole_number,
        metavar="K",
        help="classes of the --data set, e.g. 3 for spiral or gaussians (default 2)",
    )
    t.add_argument(
        "--recipe",
        choices=tuple(RECIPES),
        help="starting settings (default: article, or classify for --data or a CSV's labels)",
    )
    t.add_argument("--epochs", type=_whole_number)
    t.add_argument("--lr", type=_number, help="learning rate")
    t.add_argument(
        "--batch-size",
        type=_batch_size,
        default=NOT_GIVEN,
        metavar="N|full",
        help="mini-batch size, or 'full' for the whole data set at once",
    )
    t.add_argument("--optimizer", choices=("gd", "momentum", "adam"))
    t.add_argument("--schedule", choices=("constant", "step", "cosine"))
    t.add_argument("--warmup", type=_whole_number, help="warm-up epochs (cosine schedule)")
    t.add_argument("--weight-decay", type=_number)
    t.add_argument("--seed", type=_whole_number, help="initial weights, samples and batches")
    data = t.add_mutually_exclusive_group()
    data.add_argument(
        "--samples",
        type=_whole_number,
        metavar="N",
        help=f"N random points from the function (default 1000, at most {MAX_SAMPLES:,})",
    )
    data.add_argument(
        "--grid",
        type=_whole_number,
        nargs="?",
        const=100,
        metavar="N",
        help=f"an N×N grid instead of random points (default N: 100, at most {MAX_GRID_SIZE:,})",
    )
    t.add_argument(
        "--noise",
        type=_number,
        help="std of Gaussian noise on the targets (on the points, for --data)",
    )
    t.add_argument(
        "--val-share",
        type=_number,
        metavar="SHARE",
        help="share of the points kept for validation, e.g. 0.2 (default 0)",
    )
    t.add_argument("--dtype", choices=DTYPES)
    t.add_argument(
        "--arch",
        metavar="SIZES",
        help=f"layer sizes, e.g. 2-64-64-64-1 (at most {MAX_LAYER_WIDTH:,} neurons a layer)",
    )
    t.add_argument("--activation", choices=tuple(ACTIVATIONS), help="hidden layers' activation")
    t.add_argument("--init", choices=INITS)
    t.add_argument("--target-r2", type=_number, metavar="R2", help="stop once R² reaches this")
    t.add_argument(
        "--target-accuracy",
        type=_number,
        metavar="SHARE",
        help="a classifier stops once its accuracy reaches this, e.g. 0.97",
    )
    t.add_argument(
        "--patience",
        type=_whole_number,
        metavar="EPOCHS",
        help="stop after this many epochs without progress",
    )
    t.add_argument("--time-budget", type=_number, metavar="SECONDS")
    t.add_argument(
        "-o", "--output", metavar="FILE", help="weights file to write: .npz, .json or .safetensors"
    )
    t.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    t.set_defaults(handler=cmd_train)

    p = sub.add_parser(
        "predict",
        help="predict with a saved model",
        description="Predict with a weights file, in the data's original units; a classifier "
        "gives each point's class and the probability of every class.",
    )
    p.add_argument("weights", metavar="WEIGHTS", help="a .npz, .json or .safetensors file")
    p.add_argument("--points", metavar='"x,y; x,y"', help="points separated by ';'")
    p.add_argument(
        "--csv", metavar="FILE", help="a CSV with columns x, y (and maybe target or label)"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the predictions as CSV")
    p.set_defaults(handler=cmd_predict)

    i = sub.add_parser(
        "info",
        help="describe a weights file",
        description="Describe a weights file: architecture, training, data.",
    )
    i.add_argument("weights", metavar="WEIGHTS")
    i.set_defaults(handler=cmd_info)

    s = sub.add_parser(
        "lesson",
        help="write a step-by-step lesson",
        description="Write a step-by-step lesson as Markdown, LaTeX or CSV, from a preset or "
        "a lesson file (.nnlesson); or save it as a lesson file. Without a lesson, list them.",
    )
    s.add_argument(
        "preset",
        nargs="?",
        metavar="LESSON",
        help="perceptron, article, sigmoid, softmax, logistic or custom, or a lesson file FILE.nnlesson",
    )
    s.add_argument(
        "--format",
        choices=LESSON_FORMATS,
        help="default: from the -o extension (.md, .tex, .csv), else markdown",
    )
    s.add_argument("-o", "--output", metavar="FILE")
    s.add_argument(
        "--save",
        metavar="FILE.nnlesson",
        help="write the lesson as a lesson file (to open in nn-tutor); no hand-out unless -o",
    )
    s.set_defaults(handler=cmd_lesson)
    return parser
