"""The "Step through" tab's states for `nn-tutor --screenshot`: one PNG each.

`screenshot_states(tab)` lists (name, enter) pairs; `enter()` puts the tab into that state
without animation. Besides a few steps of the presets (the softmax classifier's among them)
there are Predict mode's moments (a question, a diagnosed slip, a hint, the end-of-iteration
summary) and the loss slice. The student's answers are typed as a student would: the number as the tutor writes it, or a
classic slip of the article's lesson written out by hand.
"""

from __future__ import annotations

from app.step.controls import SPEEDS
from nncore.formatting import fmt


def screenshot_states(tab) -> list:
    """(name, enter) for every state the screenshot mode draws."""

    def start(preset: str, position: int, predict: bool = False) -> None:
        tab.speed_box.setCurrentIndex(len(SPEEDS) - 1)  # no animation
        tab.predict.set_active(predict, remember=False)
        tab.load_preset(preset)
        tab.inspect(None)
        tab.set_granularity("operation")
        tab.go_to(position, animate=False)

    def at_phase(preset: str, phase: str, offset: int = 0):
        def enter():
            start(preset, 0)
            tab.go_to(tab.lesson.phase_start(phase) + 1 + offset, animate=False)

        return enter

    def answer(text: str) -> None:
        tab.predict.box.edit.setText(text)
        tab.predict.submit(text)

    def question():
        start("article", 3, predict=True)  # z(h₁) = 0.06 + 0.24 + 0.1
        tab.step_forward()

    def mistake():
        question()
        answer("0.3")  # 0.06 + 0.24: the bias forgotten

    def hint():
        start("article", 32, predict=True)  # ∂L/∂w(x₁→h₁) = x₁ × δ(h₁)
        tab.step_forward()
        answer("−0.015")  # a sign slip
        tab.predict.hint()

    def loss_slice():
        start("article", 0)
        tab.go_to(tab.lesson.phase_start("update"), animate=False)
        tab.inspect(("edge", 1, 0, 0))  # w(h₁→ŷ): gradient −0.12

    def summary():
        start("article", 0, predict=True)
        slips = {"weight_update": "old", "output_error": "flip"}
        while tab.position < len(tab.lesson):
            tab.step_forward()
            k = tab.predict.current
            if k is None:
                continue
            step = tab.lesson.steps[k]
            slip = slips.pop(step.kind, None)
            if slip == "old":
                answer(fmt(step.operands["old"]))  # the weight before its update
            elif slip == "flip":
                answer(fmt(-step.value))  # target − prediction instead of ŷ − y
            if tab.predict.current is not None:
                answer(tab.predict.quiz.shown(k))  # the number as the tutor writes it

    return [
        ("article-forward", at_phase("article", "forward", 3)),
        ("article-backward", at_phase("article", "backward", 7)),
        ("article-update", at_phase("article", "update", 0)),
        ("sigmoid-forward", at_phase("sigmoid", "forward", 8)),
        ("perceptron-loss", at_phase("perceptron", "loss", 2)),
        # the softmax lesson: the last probability, the first output error p − y, and
        # mid-backward (the errors of the three outputs carried back to h₁ and summed)
        ("softmax-forward", at_phase("softmax", "forward", 28)),
        ("softmax-backward-output-error", at_phase("softmax", "backward", 0)),
        ("softmax-backward", at_phase("softmax", "backward", 15)),
        ("predict-question", question),
        ("predict-mistake", mistake),
        ("predict-hint", hint),
        ("loss-slice", loss_slice),
        ("predict-summary", summary),
    ]
