"""The step-by-step lesson engine: one training iteration, taken apart into single operations.

A map of the package, in the order it is built:

- `vocabulary`: the five phases and twenty-six kinds of step (nine only a classifier's), with their titles, captions and
  introductions (the one place those texts live);
- `examples`: what a lesson is given, checked (`LessonError` says what is wrong), the bounds
  that keep its arithmetic finite (`VALUE_LIMIT`, `LR_LIMIT`) and the words for an overflow;
- `names`: `NodeNames`, how neurons, weights and biases are called (x₁, h₂, ŷ, w(x₁→h₁));
- `record`: `LessonStep` (one operation) and `LessonState` (what is known after k steps);
- `formulas`: each step's formula with its numbers, in plain text and LaTeX;
- `narration`: each step's sentence, with the article's "desired change" beside the gradient;
- `timeline`: `StepTimeline`, recording steps, replaying them (`state_at`) and moving along
  them by operation, neuron, layer, phase or iteration;
- `engine`: `Lesson`, one method per phase (forward, loss, backward, update, check) doing
  the scalar arithmetic and recording the steps;
- `presets`: the ready-made lessons, `make_custom` and `make_lesson`;
- `mistakes`: the classic slips of each step, computed from its operands;
- `loss_slice`: the loss along one parameter, the others fixed (`Lesson.loss_slice`);
- `answers`: reading what the student typed ("0,015", "−0.2", "1.5×10⁻³", "up");
- `questions`: the words of each question, its blanked formula and its hints;
- `quiz`: `Quiz`, the student predicts each step's number and the tutor names the slip;
- `handout`: the lesson as a Markdown, LaTeX or CSV hand-out (`render`).

Everything the app, the CLI and notebooks use is importable from `nncore.lesson` itself.
"""

from ..formatting import fmt
from .engine import MAX_STEPS, Lesson
from .examples import LR_LIMIT, MAX_BATCH, VALUE_LIMIT, LessonError
from .handout import (
    CSV_COLUMNS,
    FORMATS,
    render,
    render_csv,
    render_latex,
    render_markdown,
    tex_escape,
)
from .loss_slice import LossSlice, loss_slice
from .names import NodeNames
from .presets import (
    ARTICLE_BIASES,
    ARTICLE_WEIGHTS,
    CUSTOM_LIMITS,
    PERCEPTRON_WEIGHTS,
    PRESETS,
    SIGMOID_BIASES,
    SIGMOID_WEIGHTS,
    SOFTMAX_BIASES,
    SOFTMAX_WEIGHTS,
    Preset,
    article_lesson,
    article_network,
    logistic_lesson,
    logistic_network,
    make_custom,
    make_lesson,
    perceptron_lesson,
    sigmoid_lesson,
    sigmoid_network,
    softmax_lesson,
    softmax_network,
)
from .quiz import (
    DIAGNOSES,
    Attempt,
    Prompt,
    Quiz,
    QuizError,
    QuizScore,
    Tally,
    Verdict,
    parse_answer,
)
from .record import Edge, Effect, LessonState, LessonStep, Node
from .timeline import StepTimeline
from .vocabulary import (
    BIAS_STEP_KINDS,
    CLASSIFIER_STEP_KINDS,
    GRANULARITIES,
    KIND_BY_NAME,
    KINDS,
    LESSON_PHASES,
    PHASE_BY_NAME,
    PHASES,
    STEP_KINDS,
    Phase,
    StepKind,
)

__all__ = [
    # vocabulary
    "BIAS_STEP_KINDS",
    "CLASSIFIER_STEP_KINDS",
    "GRANULARITIES",
    "KIND_BY_NAME",
    "KINDS",
    "LESSON_PHASES",
    "PHASE_BY_NAME",
    "PHASES",
    "STEP_KINDS",
    "Phase",
    "StepKind",
    # records and names
    "Edge",
    "Effect",
    "LessonState",
    "LessonStep",
    "Node",
    "NodeNames",
    # the engine
    "LR_LIMIT",
    "MAX_BATCH",
    "MAX_STEPS",
    "Lesson",
    "LessonError",
    "StepTimeline",
    "VALUE_LIMIT",
    # presets
    "ARTICLE_BIASES",
    "ARTICLE_WEIGHTS",
    "CUSTOM_LIMITS",
    "PERCEPTRON_WEIGHTS",
    "PRESETS",
    "SIGMOID_BIASES",
    "SIGMOID_WEIGHTS",
    "SOFTMAX_BIASES",
    "SOFTMAX_WEIGHTS",
    "Preset",
    "article_lesson",
    "article_network",
    "make_custom",
    "logistic_lesson",
    "logistic_network",
    "make_lesson",
    "perceptron_lesson",
    "sigmoid_lesson",
    "sigmoid_network",
    "softmax_lesson",
    "softmax_network",
    # predicting steps: the quiz and the loss along one parameter
    "DIAGNOSES",
    "Attempt",
    "LossSlice",
    "Prompt",
    "Quiz",
    "QuizError",
    "QuizScore",
    "Tally",
    "Verdict",
    "loss_slice",
    "parse_answer",
    # hand-outs
    "CSV_COLUMNS",
    "FORMATS",
    "render",
    "render_csv",
    "render_latex",
    "render_markdown",
    "tex_escape",
    # numbers for people (from nncore.formatting)
    "fmt",
]
