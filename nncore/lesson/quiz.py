"""Predict before you see it: a quiz over one lesson, checking the student's own numbers.

A `Quiz` asks for the result of some of a lesson's steps (`ask`: a phase, "all",
"direction" for up/down questions about the updates, or a tuple mixing phase and step-kind
names) and checks each answer:

- an answer is **right** when it equals the step's value at the digits the tutor shows for
  it, or lies within 1 % of it (1e-9 of it for a zero); for an update "1 %" is of the change
  learning rate × gradient, so typing the old value never passes;
- a wrong answer gets a **diagnosis** when it is the number a known slip gives for this
  step (the catalogue in `nncore.lesson.mistakes`, worked out from the step's operands), and a
  sentence explaining the slip with the student's numbers; a slip whose number cannot be
  told apart from the right one (forgetting a zero bias) is never diagnosed;
- an update rounded so far that its small change is lost is "rounding"; otherwise the
  sentence says how far off the answer is, without giving it away.

A direction question is answered "up", "down" or "stays" (a zero gradient), and the verdict
gives the reason: the sign of the gradient and the minus of the update.

    >>> from nncore.lesson import make_lesson
    >>> quiz = Quiz(make_lesson("article"), ask="forward")
    >>> quiz.check(3, 0.3).diagnosis
    'bias'

Hints come in three levels (which quantities combine; the formula with the numbers in; the
answer), `reveal` gives up on a question, and `score()` / `score_csv()` sum up how it went.
The quiz records attempts for the score but never changes the lesson, and the same answer
to the same step always gets the same verdict.

Steps that only show a number already on the screen (a bias read off the network, the
prediction that is the output's activation, a "sum" of a single carried-back error) are
not asked by a phase name or "all"; name their kind in the tuple to ask them anyway.

The wording of each question and its hints lives in `nncore.lesson.questions`, the
mistakes themselves in `nncore.lesson.mistakes`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..checks import whole
from ..errors import NNCoreError
from ..formatting import fmt, operand, signed
from ..safetext import shown as shown_text
from .answers import MAX_ANSWER_CHARS, parse_answer, parse_direction
from .engine import Lesson
from .mistakes import ACTIVATION_WORDS, DIAGNOSES, Mistake, facts_of, mistakes_for
from .questions import (
    UPDATE_KINDS,
    blank,
    digits_of,
    direction_of,
    direction_reason,
    direction_verb,
    hint_numbers,
    hint_quantities,
    is_update,
    question,
    shown_value,
)
from .record import LessonStep
from .vocabulary import KIND_BY_NAME, PHASES, STEP_KINDS

__all__ = [
    "ASK_CHOICES",
    "CSV_COLUMNS",
    "DIAGNOSES",
    "OUTCOMES",
    "Attempt",
    "Prompt",
    "Quiz",
    "QuizError",
    "QuizScore",
    "Tally",
    "Verdict",
    "parse_answer",
    "parse_direction",
]

ASK_CHOICES = ("all", *PHASES, "direction")
READ_OFF_KINDS = ("bias", "prediction")  # the number is on the screen already
OUTCOMES = ("right first time", "right after hints", "revealed", "wrong", "not answered")
CSV_COLUMNS = (
    "iteration",
    "step",
    "phase",
    "kind",
    "question",
    "expected",
    "attempts",
    "first answer",
    "diagnoses",
    "hints",
    "outcome",
)
ZERO_TOLERANCE = 1e-9  # an answer this close to the right number is right, whatever its size
RELATIVE_TOLERANCE = 0.01


class QuizError(NNCoreError, ValueError):
    """A quiz cannot do what it was asked (an unknown `ask`, a step that is not asked)."""


@dataclass(frozen=True)
class Prompt:
    """What the student sees before answering: the question and the formula with a blank."""

    question: str
    blanked: str
    latex_blanked: str


@dataclass(frozen=True)
class Verdict:
    """The tutor's answer to one attempt. `expected` is the full-precision value (or "up",
    "down", "stays"), `shown` that value as the tutor writes it."""

    correct: bool
    diagnosis: str | None
    message: str
    expected: float | str
    shown: str


@dataclass(frozen=True)
class Attempt:
    """One try: what was given (the number read, a direction, or the unreadable text), the
    verdict and the hint level the student had seen before it."""

    answer: float | str
    verdict: Verdict
    hints: int


@dataclass
class Tally:
    """How a group of questions went."""

    asked: int = 0
    answered: int = 0
    right_first_time: int = 0
    right_after_hints: int = 0
    revealed: int = 0
    wrong: int = 0  # tried, never right, not revealed (yet)

    def add(self, outcome: str, attempted: bool) -> None:
        self.asked += 1
        self.answered += int(attempted)
        self.right_first_time += int(outcome == "right first time")
        self.right_after_hints += int(outcome == "right after hints")
        self.revealed += int(outcome == "revealed")
        self.wrong += int(outcome == "wrong")

    @property
    def missed(self) -> int:
        """Questions tried or revealed that were not right first time."""
        return self.right_after_hints + self.revealed + self.wrong


@dataclass
class QuizScore:
    """The score: in total, per phase and per kind (lesson order), and the slips named."""

    total: Tally
    by_phase: dict[str, Tally]
    by_kind: dict[str, Tally]
    diagnoses: dict[str, int] = field(default_factory=dict)

    def hard_kinds(self) -> list[str]:
        """Kinds of step with questions missed, most missed first (ties in lesson order)."""
        order = {k: n for n, k in enumerate(self.by_kind)}
        hard = [k for k, t in self.by_kind.items() if t.missed > 0]
        return sorted(hard, key=lambda k: (-self.by_kind[k].missed, order[k]))

    def summary(self) -> str:
        """Two or three sentences for the end of an iteration."""
        t = self.total
        if t.asked == 0:
            return "No questions were asked in this iteration."
        parts = [
            f"You answered {t.answered} of {t.asked} questions: {t.right_first_time} right "
            f"first time, {t.right_after_hints} right after a hint or another try, "
            f"{t.revealed} revealed."
        ]
        hard = self.hard_kinds()[:3]
        if hard:
            named = ", ".join(
                f"{KIND_BY_NAME[k].title} ({self.by_kind[k].missed} missed)" for k in hard
            )
            parts.append(f"Hardest: {named}.")
        if self.diagnoses:
            slips = sorted(self.diagnoses.items(), key=lambda kv: -kv[1])
            named = ", ".join(f"{DIAGNOSES[c]} ({n}×)" for c, n in slips)
            parts.append(f"Slips recognised: {named}.")
        return " ".join(parts)


# ---- the quiz ------------------------------------------------------------------------------
class Quiz:
    """Questions about one lesson's steps, the student's attempts and the score.

    `ask`: "all", a phase ("forward", "loss", "backward", "update", "check"), "direction"
    (the updates, asked as up/down), or a tuple mixing those and step kind names.
    """

    def __init__(self, lesson: Lesson, ask: str | Sequence[str] = "all"):
        if not isinstance(lesson, Lesson):
            raise TypeError(f"a quiz needs a Lesson; got {type(lesson).__name__}")
        self.lesson = lesson
        self.ask = ask
        self._direction, kinds = _resolve_ask(ask)
        self._facts = facts_of(lesson)
        self.questions: tuple[int, ...] = tuple(
            s.index for s in lesson.steps if _is_asked(s, kinds)
        )
        self._asked = frozenset(self.questions)
        self._attempts: dict[int, list[Attempt]] = {}
        self._hints: dict[int, int] = {}
        self._revealed_after: dict[int, int] = {}  # step → attempts made before the reveal
        self._mistakes: dict[int, list[Mistake]] = {}

    def __repr__(self) -> str:
        return f"Quiz({self.lesson!r}, ask={self.ask!r}, {len(self.questions)} questions)"

    # ---- what is asked ---------------------------------------------------------------------
    def asks(self, k: int) -> bool:
        return _index(k) in self._asked

    def is_direction(self, k: int) -> bool:
        """True when step k is asked as "up or down?" rather than as a number."""
        return self.asks(k) and self._direction and self.lesson.steps[k].kind in UPDATE_KINDS

    def questions_in(self, start: int, stop: int) -> tuple[int, ...]:
        """The asked steps among steps[start:stop], in order (a coarser unit's questions)."""
        return tuple(k for k in self.questions if start <= k < stop)

    def _step(self, k: int) -> LessonStep:
        k = _index(k)
        if k not in self._asked:
            raise QuizError(f"step {k} is not asked in this quiz (ask={self.ask!r})")
        return self.lesson.steps[k]

    # ---- the question ----------------------------------------------------------------------
    def prompt(self, k: int) -> Prompt:
        step = self._step(k)
        if self.is_direction(k):
            head = step.formula.rpartition(" = ")[0]
            head_tex = step.latex.rpartition(" = ")[0]
            return Prompt(
                question(step, self._facts, direction=True),
                f"{head}: up or down?",
                f"{head_tex} \\;\\to\\; ?",
            )
        return Prompt(
            question(step, self._facts, direction=False),
            blank(step.formula, step.kind, latex=False),
            blank(step.latex, step.kind, latex=True),
        )

    def expected(self, k: int) -> float | str:
        step = self._step(k)
        return direction_of(step) if self.is_direction(k) else step.value

    def shown(self, k: int) -> str:
        """The right answer as the tutor writes it."""
        step = self._step(k)
        return direction_of(step) if self.is_direction(k) else shown_value(step)

    # ---- checking ----------------------------------------------------------------------------
    def check(self, k: int, answer) -> Verdict:
        """The verdict on `answer` for step k, recorded as an attempt (the lesson is untouched)."""
        step = self._step(k)
        if self.is_direction(k):
            verdict, given = self._check_direction(step, answer)
        else:
            verdict, given = self._check_number(step, answer)
        self._attempts.setdefault(step.index, []).append(
            Attempt(given, verdict, self._hints.get(step.index, 0))
        )
        return verdict

    def _check_number(self, step: LessonStep, answer) -> tuple[Verdict, float | str]:
        x = parse_answer(answer)
        shown = shown_value(step)
        if x is None:
            message = (
                f"The tutor could not read {shown_text(str(answer))} as a number: "
                f"type it like 0.015 or −0.2."
            )
            return Verdict(False, "unreadable", message, step.value, shown), _kept(answer)
        if _accepts(step, x):
            return Verdict(True, None, f"Right: {step.formula}.", step.value, shown), x
        for mistake in self._recognisable(step):
            if _matches(x, mistake, digits_of(step)):
                return Verdict(False, mistake.code, mistake.message(x), step.value, shown), x
        if _rounded_too_far(step, x):
            change = -step.operands["lr"] * step.operands["grad"]
            message = (
                f"Nearly: {fmt(x)} is the new value rounded so far that the small change "
                f"{signed(change)} is lost; keep as many decimals as the change needs."
            )
            return Verdict(False, "rounding", message, step.value, shown), x
        return Verdict(False, None, _how_far(step, x), step.value, shown), x

    def _check_direction(self, step: LessonStep, answer) -> tuple[Verdict, float | str]:
        expected = direction_of(step)
        given = parse_direction(answer)
        reason = direction_reason(step, self._facts)
        if given is None:
            message = (
                f"The tutor could not read {shown_text(str(answer))}: answer up or down "
                f"(or stays, when the gradient is 0)."
            )
            return Verdict(False, "unreadable", message, expected, expected), _kept(answer)
        if given == expected:
            return Verdict(True, None, f"Right: {reason}.", expected, expected), given
        diagnosis = "sign" if {given, expected} == {"up", "down"} else None
        return Verdict(False, diagnosis, f"Not this one: {reason}.", expected, expected), given

    def _recognisable(self, step: LessonStep) -> list[Mistake]:
        """The step's slips that can be told apart from the right answer and from each other."""
        if step.index not in self._mistakes:
            kept: list[Mistake] = []
            digits = digits_of(step)
            for m in mistakes_for(step, self._facts):
                if _accepts(step, m.value):
                    continue  # the slip gives the right number: it cannot be seen
                if any(_matches(m.value, earlier, digits) for earlier in kept):
                    continue  # the same number as a more specific slip
                kept.append(m)
            self._mistakes[step.index] = kept
        return self._mistakes[step.index]

    # ---- help ----------------------------------------------------------------------------------
    def hint(self, k: int, level: int) -> str:
        """1: which quantities combine; 2: the formula with the numbers in; 3: the answer."""
        step = self._step(k)
        level = whole(level, "the hint level", 1, 3, error=QuizError)
        self._hints[step.index] = max(self._hints.get(step.index, 0), level)
        direction = self.is_direction(k)
        if level == 1:
            return hint_quantities(step, self._facts, direction)
        if level == 2:
            if step.kind == "new_prediction":
                return self._new_prediction_numbers(step)
            if step.kind == "new_loss":
                return self._new_loss_numbers()
            if step.kind == "new_probability":
                return self._new_probability_numbers(step)
            if step.kind == "new_log_loss":
                return self._new_log_loss_numbers()
            return hint_numbers(step, self._facts, direction, self.prompt(k).blanked)
        if direction:
            return f"It {direction_verb(step)}: {direction_reason(step, self._facts)}."
        return f"The answer is {shown_value(step)}: {step.formula}."

    def _new_prediction_numbers(self, step: LessonStep) -> str:
        """The output's new weighted sum, from the updated network's hidden values."""
        net, L, j = self.lesson.network_after(), self.lesson.network.n_layers, step.neuron or 0
        s = step.sample or 0
        rec = net.forward(self.lesson.X[s : s + 1])
        inputs = rec.a[L - 1][0]  # (fan_in,): what flows into the output layer now
        weights = net.weights[L - 1][:, j]  # (fan_in,)
        terms = " + ".join(f"{operand(a)} × {operand(w)}" for a, w in zip(inputs, weights))
        nm = self._facts.names
        out = nm.node(nm.L, j)
        word = ACTIVATION_WORDS[self._facts.activations[L - 1]]
        return (
            f"With the updated parameters z({out}) = {terms} + {operand(net.biases[L - 1][0, j])} "
            f"= {fmt(rec.z[L - 1][0, j])}, and {out} is its {word} activation = ?"
        )

    def _new_probability_numbers(self, step: LessonStep) -> str:
        """A classifier's new output sums, from which its new probability follows."""
        net, L, j = self.lesson.network_after(), self.lesson.network.n_layers, step.neuron or 0
        s = step.sample or 0
        z = net.forward(self.lesson.X[s : s + 1]).z[L - 1][0]  # (k,): the new output sums
        nm = self._facts.names
        out = nm.node(nm.L, j)
        if self.lesson.task == "binary":
            return f"With the updated parameters z({out}) = {fmt(z[0])}, and {out} = σ(z) = ?"
        sums = ", ".join(f"z({nm.node(nm.L, k)}) = {fmt(v)}" for k, v in enumerate(z))
        return (
            f"With the updated parameters the output sums are {sums}; {out} is e^(z({out}) − "
            f"max z) divided by the sum of every output's e^(z − max z) = ?"
        )

    def _new_log_loss_numbers(self) -> str:
        """The new cross-entropy from the new probability of each example's true class."""
        classes = self.lesson.classes or ()
        binary = self.lesson.task == "binary"
        terms = []
        for st in self.lesson.steps:
            if st.kind != "new_probability":
                continue
            c = classes[st.sample or 0]
            if binary:
                terms.append(f"−ln({fmt(st.value if c == 1 else 1 - st.value)})")
            elif st.neuron == c:
                terms.append(f"−ln({fmt(st.value)})")
        if len(terms) == 1:
            return f"CE = {terms[0]} = ?"
        return f"CE = ({' + '.join(terms)}) / {len(terms)} = ?"

    def _new_loss_numbers(self) -> str:
        """The new loss written out from the new predictions and their targets."""
        pairs = [
            (s.value, s.operands["target"]) for s in self.lesson.steps if s.kind == "new_prediction"
        ]
        squares = " + ".join(f"({fmt(y)} − {operand(p)})²" for p, y in pairs)
        return f"MSE = ({squares}) / {len(pairs)} = ?"

    def reveal(self, k: int) -> str:
        """The student gives up on step k: recorded, and the answer as the tutor shows it."""
        step = self._step(k)
        self._revealed_after.setdefault(step.index, len(self._attempts.get(step.index, ())))
        return self.shown(k)

    def attempts(self, k: int) -> tuple[Attempt, ...]:
        return tuple(self._attempts.get(self._step(k).index, ()))

    # ---- the score -------------------------------------------------------------------------
    def outcome(self, k: int) -> str:
        """One of OUTCOMES for step k."""
        index = self._step(k).index
        tries = self._attempts.get(index, [])
        revealed_after = self._revealed_after.get(index)
        limit = len(tries) if revealed_after is None else revealed_after
        right = next((n for n, a in enumerate(tries[:limit]) if a.verdict.correct), None)
        if right == 0 and tries[0].hints == 0:
            return "right first time"
        if right is not None:
            return "right after hints"
        if revealed_after is not None:
            return "revealed"
        return "wrong" if tries else "not answered"

    def score(self) -> QuizScore:
        steps = self.lesson.steps
        phases = [p for p in PHASES if any(steps[k].phase == p for k in self.questions)]
        kinds = [s.name for s in STEP_KINDS if any(steps[k].kind == s.name for k in self.questions)]
        score = QuizScore(Tally(), {p: Tally() for p in phases}, {k: Tally() for k in kinds})
        for k in self.questions:
            outcome, attempted = self.outcome(k), bool(self._attempts.get(k))
            for tally in (
                score.total,
                score.by_phase[steps[k].phase],
                score.by_kind[steps[k].kind],
            ):
                tally.add(outcome, attempted)
            for attempt in self._attempts.get(k, ()):
                code = attempt.verdict.diagnosis
                if code is not None:
                    score.diagnoses[code] = score.diagnoses.get(code, 0) + 1
        return score

    def score_csv(self) -> str:
        """The score sheet, one row per question (a teacher collects these)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        iteration = self.lesson.iteration
        for k in self.questions:
            step, tries = self.lesson.steps[k], self._attempts.get(k, [])
            first = "" if not tries else _csv_answer(tries[0].answer)
            codes = ";".join(a.verdict.diagnosis for a in tries if a.verdict.diagnosis)
            writer.writerow(
                [
                    iteration,
                    k,
                    step.phase,
                    step.kind,
                    self.prompt(k).question,
                    self.shown(k),
                    len(tries),
                    first,
                    codes,
                    self._hints.get(k, 0),
                    self.outcome(k),
                ]
            )
        return out.getvalue()


# ---- which steps are asked ----------------------------------------------------------------
def _resolve_ask(ask) -> tuple[bool, frozenset[str]]:
    """(updates asked as directions?, the step kinds asked)."""
    if isinstance(ask, str):
        names: tuple[str, ...] = (ask,)
    elif isinstance(ask, (tuple, list)) and all(isinstance(a, str) for a in ask):
        names = tuple(ask)
    else:
        raise TypeError(f"ask must be a name or a tuple of names; got {ask!r}")
    if not names:
        raise QuizError("ask names nothing to ask; give e.g. 'all' or 'forward'")
    kinds: set[str] = set()
    for name in names:
        if name == "all":
            kinds.update(s.name for s in STEP_KINDS)
        elif name == "direction":
            kinds.update(UPDATE_KINDS)
        elif name in PHASES:
            kinds.update(s.name for s in STEP_KINDS if s.phase == name)
        elif name in KIND_BY_NAME:
            kinds.add(name)
        else:
            choices = ", ".join(ASK_CHOICES) + " or a step kind"
            raise QuizError(f"unknown ask {shown_text(name)}; choose one of: {choices}")
    kinds.difference_update(k for k in READ_OFF_KINDS if k not in names)
    if "backprop_sum" not in names:
        kinds.add("*skip-copies*")
    return "direction" in names, frozenset(kinds)


def _is_asked(step: LessonStep, kinds: frozenset[str]) -> bool:
    if step.kind not in kinds:
        return False
    if step.kind == "backprop_sum" and "*skip-copies*" in kinds:
        return sum(k.startswith("product_") for k in step.operands) > 1  # one term: a copy
    return True


def _index(k) -> int:
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"a step index must be a whole number; got {k!r}")
    return int(k)


# ---- right, wrong, how far ------------------------------------------------------------------
def _scale(step: LessonStep) -> float:
    """What "within 1 %" is relative to: the value, or for an update the change lr × g."""
    if is_update(step):
        scale = abs(step.operands["lr"] * step.operands["grad"])
    else:
        scale = abs(step.value)
    return scale if math.isfinite(scale) else 0.0


def _accepts(step: LessonStep, x: float) -> bool:
    if not math.isfinite(step.value):
        return False  # no typed number is infinitely large
    if fmt(x, digits_of(step)) == shown_value(step):
        return True
    gap = abs(x - step.value)
    return gap <= ZERO_TOLERANCE or gap <= RELATIVE_TOLERANCE * _scale(step)


def _matches(x: float, mistake: Mistake, digits: int) -> bool:
    if fmt(x, digits) == fmt(mistake.value, digits):
        return True
    gap = abs(x - mistake.value)
    return gap <= ZERO_TOLERANCE or gap <= RELATIVE_TOLERANCE * mistake.scale


def _rounded_too_far(step: LessonStep, x: float) -> bool:
    """An update's right value rounded to d significant digits (3 ≤ d < the digits the tutor
    shows, either way at a half): the change lr × g then disappears in the rounding."""
    v = step.value
    if not is_update(step) or not math.isfinite(v) or v == 0 or x == 0:
        return False
    magnitude = math.floor(math.log10(abs(v)))
    for d in range(3, digits_of(step)):
        half_unit = 0.5 * 10.0 ** (magnitude - d + 1)
        if float(f"{x:.{d}g}") == x and abs(x - v) <= half_unit * (1 + 1e-6):
            return True
    return False


def _how_far(step: LessonStep, x: float) -> str:
    """How far off an undiagnosed answer is, without giving the answer away."""
    v, scale = step.value, _scale(step)
    if not math.isfinite(v):
        return f"Not quite: this step's value ({fmt(v)}) is beyond what can be typed."
    side = "too high" if x > v else "too low"
    if is_update(step):
        if scale == 0:
            return f"Not quite: {fmt(x)} is {side}; this parameter's gradient is 0."
        off = abs(x - v) / scale
        if off >= 10:
            return (
                f"Not quite: {fmt(x)} is {side}, much further from the old value than "
                f"the small change learning rate × gradient; try again."
            )
        return (
            f"Not quite: {fmt(x)} is {side}, off by about {fmt(off, 2)} times the change "
            f"learning rate × gradient; try again."
        )
    if v == 0 or scale == 0:
        return f"Not quite: {fmt(x)} is {side}; look for a factor that is 0."
    if x * v < 0:
        return f"Not quite: {fmt(x)} has the wrong sign and the wrong size; try again."
    ratio = abs(x) / abs(v)
    if ratio >= 2:
        size = f"about {fmt(ratio, 2)} times too large"
    elif ratio <= 0.5:
        size = f"about {fmt(1 / ratio, 2)} times too small" if x != 0 else "0 where it is not"
    else:
        size = f"off by about {abs(ratio - 1):.0%}"
    return f"Not quite: {fmt(x)} is {side}, {size}; check the arithmetic and try again."


def _kept(answer) -> str:
    """Unreadable text as recorded for the score sheet (bounded: it came from outside)."""
    return str(answer)[: 4 * MAX_ANSWER_CHARS]


def _csv_answer(answer: float | str) -> str:
    if isinstance(answer, float):
        return repr(answer)
    text = answer.replace("\n", " ")[:MAX_ANSWER_CHARS]
    # a cell starting with = + - @ is a formula to a spreadsheet: keep it text
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
