"""The list of steps a student walks through: recording them, replaying them, moving along them.

`StepTimeline` is what a `Lesson` is besides its arithmetic:

- `record(...)` appends a `LessonStep` with its effects and numbers it into groups (the
  neuron, layer and phase it belongs to), so a student can step by whole neurons or layers;
- `state_at(k)` is the state after the first k steps, a pure function of k: it starts from
  the nearest cached checkpoint and replays the steps after it, so stepping forward, backward
  or jumping always shows the same numbers;
- `boundaries`, `next_index`, `prev_index`, `phase_start` find where units begin.

Their arguments are checked on the way in: a step position that is not a whole number, or a
granularity or phase that is not text, is a TypeError; an unknown name a LessonError; a
position outside the lesson (for `state_at`) an IndexError.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..checks import choice, whole
from .examples import LessonError
from .formulas import example_prefix
from .record import Edge, Effect, LessonState, LessonStep, Node
from .vocabulary import GRANULARITIES, PHASES

_CHECKPOINT_EVERY = 64  # a state copy every 64 steps: replaying at most 63 is instant
_GROUPS = ("neuron", "layer", "phase")  # fine to coarse: the order of `LessonStep.group`


class StepTimeline:
    """Steps recorded in order, with the state after any number of them."""

    def __init__(self, batch_size: int):
        self._batch_size = batch_size
        self.steps: list[LessonStep] = []
        self._effects: list[tuple[Effect, ...]] = []
        self._group_ids = dict.fromkeys(_GROUPS, -1)
        self._group_keys: dict[str, tuple | None] = dict.fromkeys(_GROUPS)
        self._checkpoints: list[LessonState] = []
        self._boundary_cache: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.steps)

    # ---- recording ----------------------------------------------------------------------
    def record(
        self,
        phase: str,
        kind: str,
        *,
        layer: int | None,
        neuron: int | None,
        nodes: Sequence[Node] = (),
        edges: Sequence[Edge] = (),
        value: float,
        operands: dict[str, float],
        text: tuple[str, str],
        narration: str,
        sample: int | None = None,
        group: tuple,
        effects: Sequence[Effect] = (),
    ) -> float:
        """Append a step; `text` = (formula, LaTeX), `group` = (layer key, neuron key) inside
        the phase: a new key starts a new unit for stepping by layer or by neuron."""
        keys = {
            "phase": (phase,),
            "layer": (phase, group[0]),
            "neuron": (phase, group[0], group[1]),
        }
        for g in _GROUPS:
            if keys[g] != self._group_keys[g]:
                self._group_keys[g] = keys[g]
                self._group_ids[g] += 1
        formula, latex = text
        if sample is not None and self._batch_size > 1:
            prefix, prefix_tex = example_prefix(sample)
            formula, latex = prefix + formula, prefix_tex + latex
        value = float(value)
        step = LessonStep(
            index=len(self.steps),
            phase=phase,
            kind=kind,
            layer=layer,
            neuron=neuron,
            nodes=tuple(nodes),
            edges=tuple(edges),
            value=value,
            operands={k: float(v) for k, v in operands.items()},
            formula=formula,
            latex=latex,
            narration=narration,
            group=dict(self._group_ids),
            sample=sample,
        )
        self.steps.append(step)
        self._effects.append(tuple(effects))
        return value

    def _apply(self, state: LessonState, k: int) -> None:
        """Take step k in `state` (which must hold the first k steps)."""
        state.apply(self.steps[k], self._effects[k])

    def _make_checkpoints(self, start: LessonState) -> None:
        """Play every step once from `start`, keeping a copy every `_CHECKPOINT_EVERY`."""
        state = start
        self._checkpoints = [state.copy()]
        for k in range(len(self.steps)):
            self._apply(state, k)
            if (k + 1) % _CHECKPOINT_EVERY == 0:
                self._checkpoints.append(state.copy())

    # ---- replaying ----------------------------------------------------------------------
    def state_at(self, k: int) -> LessonState:
        """What is known after steps[0..k-1] (k = 0: nothing computed; k = len: all done).

        Always a fresh object rebuilt from the nearest checkpoint: the result depends on k
        only, never on earlier calls, and changing it cannot change the lesson.
        """
        k = whole(k, "the step position", error=LessonError)
        if not 0 <= k <= len(self.steps):
            raise IndexError(f"step {k} is outside 0..{len(self.steps)}")
        state = self._checkpoints[k // _CHECKPOINT_EVERY].copy()
        for idx in range(state.step_index, k):
            self._apply(state, idx)
        return state

    # ---- navigation ---------------------------------------------------------------------
    def boundaries(self, granularity: str = "operation") -> list[int]:
        """Positions k (0..len) where a unit of `granularity` begins, plus len at the end.

        Coarser boundaries are subsets of finer ones: iteration ⊂ phase ⊂ layer ⊂ neuron ⊂
        operation.
        """
        choice(granularity, "granularity", GRANULARITIES, error=LessonError)
        n = len(self.steps)
        if granularity == "operation":
            return list(range(n + 1))
        if granularity == "iteration":
            return [0, n]
        if granularity not in self._boundary_cache:
            marks = [0]
            for k in range(1, n):
                if self.steps[k].group[granularity] != self.steps[k - 1].group[granularity]:
                    marks.append(k)
            marks.append(n)
            self._boundary_cache[granularity] = marks
        return list(self._boundary_cache[granularity])

    def next_index(self, k: int, granularity: str = "operation") -> int:
        """The next boundary after k (len(steps) when there is none)."""
        k = whole(k, "the step position", error=LessonError)
        marks = self.boundaries(granularity)
        pos = bisect.bisect_right(marks, k)
        return marks[pos] if pos < len(marks) else len(self.steps)

    def prev_index(self, k: int, granularity: str = "operation") -> int:
        """The previous boundary before k (0 when there is none)."""
        k = whole(k, "the step position", error=LessonError)
        marks = self.boundaries(granularity)
        pos = bisect.bisect_left(marks, k)
        return marks[pos - 1] if pos > 0 else 0

    def phase_start(self, phase: str) -> int:
        """Index of the first step of a phase."""
        choice(phase, "phase", PHASES, error=LessonError)
        for step in self.steps:
            if step.phase == phase:
                return step.index
        raise LessonError(f"this lesson has no {phase} step")  # never for a whole iteration
