"""Turning a `Lesson` into a hand-out: Markdown, a LaTeX document, or CSV.

A teacher can print the Markdown or LaTeX version as a worked example: the set-up (network,
example, target, learning rate, starting parameters), then every step of the iteration phase
by phase with its formula, numbers written in, and its narration, and finally the loss before
and after. The CSV version has one row per step for spreadsheets and notebooks, with values
at full precision.

Nothing here computes: every number comes from the lesson's steps, every parameter's name from
the lesson's `NodeNames`, every section title from the `vocabulary`. So every lesson the
engine builds renders in every format: its numbers are finite (the engine refuses overflow)
and `nncore.formatting` writes any number. Something that is not a lesson is a TypeError.
"""

from __future__ import annotations

import csv
import io
import re

from ..formatting import fmt, fmt_tex
from ..safetext import one_line, shown
from .engine import Lesson
from .examples import LessonError
from .record import LessonStep
from .vocabulary import LESSON_PHASES, PHASE_BY_NAME, PHASES

FORMATS = ("markdown", "latex", "csv")

# Section headings and introductions by phase name (the texts live in the vocabulary).
PHASE_TITLES = {p.name: p.heading for p in LESSON_PHASES}
PHASE_INTROS = {p.name: p.intro for p in LESSON_PHASES}

SIGN_CONVENTION = (
    "Two ways of saying the same thing appear side by side. The *desired change* of an output "
    'is target − prediction: positive means "this should increase". The *gradient* is its '
    "opposite, prediction − target, and training subtracts learning rate × gradient. So a "
    "negative gradient means increase, a positive one decrease."
)


def _labels(lesson: Lesson) -> str:
    """The notation paragraph, mentioning only what this network has."""
    n_hidden = len(lesson.sizes) - 2
    if lesson.task == "softmax":
        outputs = (
            "ŷ₁, ŷ₂, … the probabilities of classes 0, 1, … and y₁, y₂, … the probabilities "
            "they should be (1 for the true class, 0 for the others)"
        )
    elif lesson.task == "binary":
        outputs = "ŷ the probability of class 1 and y the true class (0 or 1)"
    else:
        outputs = (
            "ŷ the prediction and y the target"
            if lesson.sizes[-1] == 1
            else "ŷ₁, ŷ₂, … the predictions and y₁, y₂, … their targets"
        )
    parts = ["x₁, x₂, … are the inputs"]
    if n_hidden == 1:
        parts.append("h₁, h₂, … the hidden neurons")
    elif n_hidden > 1:
        parts.append("h¹₁, h¹₂, … the neurons of hidden layer 1, h²₁, … those of layer 2")
    parts += [
        outputs,
        "w(a→b) the weight from a to b and b(n) the bias of neuron n",
        "z(n) a neuron's weighted sum and δ(n) the error signal of that sum "
        "(the gradient of the loss with respect to it)",
    ]
    return "Notation: " + "; ".join(parts) + "."


def _require_lesson(lesson: object) -> None:
    if not isinstance(lesson, Lesson):
        raise TypeError(f"a hand-out needs a Lesson; got {type(lesson).__name__}")


def render(lesson: Lesson, fmt: str = "markdown") -> str:
    """The lesson as "markdown", "latex" or "csv" text."""
    _require_lesson(lesson)
    if not isinstance(fmt, str):
        raise TypeError(f"the format must be one of {', '.join(FORMATS)}; got {shown(fmt)}")
    key = fmt.strip().lower()
    if key in ("md", "markdown"):
        return render_markdown(lesson)
    if key in ("latex", "tex"):
        return render_latex(lesson)
    if key == "csv":
        return render_csv(lesson)
    raise LessonError(f"unknown format {shown(fmt)}; choose one of: {', '.join(FORMATS)}")


# ---- shared pieces --------------------------------------------------------------------------
def _numbers(values) -> str:
    return ", ".join(fmt(v) for v in values)


def _target(lesson: Lesson, s: int) -> str:
    """Example s's target in words: the values, or a classifier's class and its row."""
    if lesson.classes is None:
        return f"target {_numbers(lesson.Y[s])}"
    if lesson.task == "binary":
        return f"true class {lesson.classes[s]}"
    return f"true class {lesson.classes[s]} (target {_numbers(lesson.Y[s])})"


def loss_words(lesson: Lesson) -> str:
    """What the lesson's loss is called."""
    return "cross-entropy" if lesson.is_classifier else "mean squared error"


def _setup_lines(lesson: Lesson) -> list[str]:
    """Plain-text facts about the set-up (one sentence each)."""
    net = lesson.network
    acts = ", ".join(
        f"layer {i + 1}: {ACTIVATION_TITLES.get(name, name)}"
        for i, name in enumerate(net.activation_names)
    )
    lines = [f"Network: {net.architecture} ({acts})."]
    if lesson.batch_size == 1:
        lines.append(f"Example: inputs {_numbers(lesson.X[0])}; {_target(lesson, 0)}.")
    else:
        lines.append(
            f"A batch of {lesson.batch_size} examples; every gradient is averaged over them."
        )
        for s in range(lesson.batch_size):
            lines.append(f"Example {s + 1}: inputs {_numbers(lesson.X[s])}; {_target(lesson, s)}.")
    lines.append(f"Learning rate: {fmt(lesson.lr)}. Iteration {lesson.iteration}.")
    return lines


def _parameter_rows(lesson: Lesson) -> list[tuple[str, float, float, float]]:
    """(name, before, gradient, after) for every parameter, from the lesson's steps."""
    return [
        (parameter_name(lesson, step), step.operands["old"], step.operands["grad"], step.value)
        for step in lesson.steps
        if step.kind in ("weight_update", "bias_update")
    ]


def parameter_name(lesson: Lesson, step: LessonStep) -> str:
    """The name of the weight or bias an update step moves, from the step's structure (its
    edge, or its layer and neuron), never from the wording of its formula."""
    _require_lesson(lesson)
    if not isinstance(step, LessonStep):
        raise TypeError(
            f"parameter_name needs one of the lesson's steps; got {type(step).__name__}"
        )
    if step.kind == "weight_update":
        return lesson.names.weight(*step.edges[0])
    if step.kind == "bias_update" and step.layer is not None and step.neuron is not None:
        return lesson.names.bias(step.layer, step.neuron)
    raise ValueError(f"step {step.index} ({step.kind}) does not move a parameter")


def _steps_by_phase(lesson: Lesson) -> dict[str, list[LessonStep]]:
    groups: dict[str, list[LessonStep]] = {p: [] for p in PHASES}
    for step in lesson.steps:
        groups[step.phase].append(step)
    return groups


SUBTITLE = "A worked example: one training iteration, step by step."
ACTIVATION_TITLES = {
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "linear": "linear (no activation)",
}


def _title(lesson: Lesson) -> str:
    # The title may be a teacher's text: one line, so that it cannot break the hand-out's
    # structure (a heading, a LaTeX argument) with a line break or a control character.
    return one_line(lesson.title) or "One training iteration"


# ---- Markdown -------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(lesson: Lesson) -> str:
    _require_lesson(lesson)
    out = [f"# {_title(lesson)}", "", f"*{SUBTITLE}*", ""]
    out += [f"- {line}" for line in _setup_lines(lesson)]
    out += [
        "",
        _labels(lesson),
        "",
        SIGN_CONVENTION,
        "",
        "## Starting parameters",
        "",
        "| parameter | value |",
        "|---|---|",
    ]
    out += [
        f"| {_md_cell(name)} | {fmt(before)} |" for name, before, _, _ in _parameter_rows(lesson)
    ]
    for number, (phase, steps) in enumerate(_steps_by_phase(lesson).items(), start=1):
        out += [
            "",
            f"## {number}. {PHASE_BY_NAME[phase].heading}",
            "",
            PHASE_BY_NAME[phase].intro,
            "",
            "| step | formula | what it means |",
            "|---|---|---|",
        ]
        out += [
            f"| {s.index + 1} | {_md_cell(s.formula)} | {_md_cell(s.narration)} |" for s in steps
        ]
    out += ["", "## Summary", "", "| parameter | before | gradient | after |", "|---|---|---|---|"]
    out += [
        f"| {_md_cell(name)} | {fmt(before)} | {fmt(grad)} | {fmt(after, 6)} |"
        for name, before, grad, after in _parameter_rows(lesson)
    ]
    out += [
        "",
        f"Loss ({loss_words(lesson)}) before the update: **{fmt(lesson.loss_before)}**; "
        f"after: **{fmt(lesson.loss_after)}**.",
        "",
    ]
    return "\n".join(out)


# ---- LaTeX ----------------------------------------------------------------------------------
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_TEX_UNICODE = {
    "−": r"\(-\)",
    "×": r"\(\times\)",
    "½": r"\(\frac{1}{2}\)",
    "σ": r"\(\sigma\)",
    "δ": r"\(\delta\)",
    "Δ": r"\(\Delta\)",
    "ŷ": r"\(\hat{y}\)",
    "∂": r"\(\partial\)",
    "→": r"\(\to\)",
    "←": r"\(\leftarrow\)",
    "′": r"\('\)",
    "‖": r"\(\|\)",
    "≤": r"\(\le\)",
    "≥": r"\(\ge\)",
    "≈": r"\(\approx\)",
    "–": "--",
    "—": "---",
    "…": r"\dots{}",
    "’": "'",
    "‘": "`",
    "“": "``",
    "”": "''",
    "·": r"\(\cdot\)",
    "⊂": r"\(\subset\)",
}
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
_SUP = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))


def tex_escape(text: str) -> str:
    """Plain text (with the lesson's Unicode symbols) as LaTeX text-mode source, ASCII only."""
    if not isinstance(text, str):
        raise TypeError(f"tex_escape needs text; got {type(text).__name__}")
    out = []
    i = 0
    open_quote = True
    while i < len(text):
        ch = text[i]
        if ch == '"':
            out.append("``" if open_quote else "''")
            open_quote = not open_quote
            i += 1
            continue
        if ch in _SUB or ch in _SUP:
            table, marker = (_SUB, "_") if ch in _SUB else (_SUP, "^")
            j = i
            while j < len(text) and text[j] in table:
                j += 1
            out.append(f"\\({marker}{{{''.join(table[c] for c in text[i:j])}}}\\)")
            i = j
            continue
        if ch in _TEX_SPECIAL:
            out.append(_TEX_SPECIAL[ch])
        elif ch in _TEX_UNICODE:
            out.append(_TEX_UNICODE[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")  # never reached for the lesson's own texts (tested)
        i += 1
    # "\(a\)\(b\)" is fine LaTeX, but merge neighbours for readable source
    return re.sub(r"\\\)\\\(", "", "".join(out))


def render_latex(lesson: Lesson) -> str:
    _require_lesson(lesson)
    out = [
        r"\documentclass[11pt]{article}",
        r"\usepackage{amsmath}",
        r"\usepackage[a4paper,margin=2cm]{geometry}",
        r"\setlength{\parindent}{0pt}",
        r"\setlength{\parskip}{0.5em}",
        rf"\title{{{tex_escape(_title(lesson))}}}",
        rf"\date{{{tex_escape(SUBTITLE)}}}",
        r"\begin{document}",
        r"\maketitle",
        r"\begin{itemize}",
    ]
    out += [rf"\item {tex_escape(line)}" for line in _setup_lines(lesson)]
    out += [
        r"\end{itemize}",
        "",
        tex_escape(_labels(lesson)),
        "",
        tex_escape(SIGN_CONVENTION)
        .replace("*desired change*", r"\emph{desired change}")
        .replace("*gradient*", r"\emph{gradient}"),
        "",
    ]
    for phase, steps in _steps_by_phase(lesson).items():
        out += [
            rf"\section{{{tex_escape(PHASE_BY_NAME[phase].heading)}}}",
            tex_escape(PHASE_BY_NAME[phase].intro),
            "",
            r"\begin{enumerate}",
            rf"\setcounter{{enumi}}{{{steps[0].index}}}",
        ]
        for step in steps:
            out.append(rf"\item \(\displaystyle {step.latex}\)\\")
            out.append(rf"{tex_escape(step.narration)}")
        out.append(r"\end{enumerate}")
    out += [
        r"\section{Summary}",
        rf"Loss ({loss_words(lesson)}) before the update: "
        rf"\(\mathbf{{{fmt_tex(lesson.loss_before)}}}\); "
        rf"after: \(\mathbf{{{fmt_tex(lesson.loss_after)}}}\).",
        r"\end{document}",
        "",
    ]
    return "\n".join(out)


# ---- CSV ------------------------------------------------------------------------------------
CSV_COLUMNS = (
    "index",
    "phase",
    "kind",
    "layer",
    "neuron",
    "sample",
    "value",
    "formula",
    "narration",
)


def render_csv(lesson: Lesson) -> str:
    """One row per step; `value` at full precision (repr), empty cells for None."""
    _require_lesson(lesson)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in lesson.steps:
        writer.writerow(
            [
                s.index,
                s.phase,
                s.kind,
                "" if s.layer is None else s.layer,
                "" if s.neuron is None else s.neuron,
                "" if s.sample is None else s.sample,
                repr(s.value),
                s.formula,
                s.narration,
            ]
        )
    return buffer.getvalue()
