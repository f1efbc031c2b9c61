"""Golden outputs: every text of every preset lesson, fingerprinted.

The lesson package was restructured with the rule "every number, formula, narration, LaTeX
and hand-out identical"; these fingerprints hold that rule from then on. A change to any
wording changes a fingerprint: if the change is meant, run this file as a script
(`python tests/nncore/lesson/test_golden.py`) and paste the new values, so that the diff of
the commit shows the change was deliberate.

The texts round every number (4 significant digits, up to 10 in updates), so they do not
depend on the last bit of a float; the CSV, which writes values in full, is left out.
"""

from __future__ import annotations

import hashlib

import pytest

from nncore.lesson import make_lesson, render

# Taken from the outputs of the last commit before the restructuring (c1939e5).
GOLDEN = {
    "perceptron": {
        "formula": "1515c54ae2630860",
        "latex": "db27e03ae295a99d",
        "narration": "5aaeda8b3c6a77f1",
        "markdown": "f331d1422609c21e",
        "handout_latex": "9a413dccddbffecd",
    },
    "article": {
        "formula": "b1f85743c443c290",
        "latex": "c7b4d5f5fa0a1493",
        "narration": "13560a958e87f74a",
        "markdown": "fdd2d6d6acf15e54",
        "handout_latex": "7c70ed463401d0cf",
    },
    "sigmoid": {
        "formula": "fde5855d77cef47d",
        "latex": "41e22aa304d1fa3e",
        "narration": "59b61dc03d7e2f74",
        "markdown": "17cc443c2feb6388",
        "handout_latex": "bbd5f5d7f19f386e",
    },
    "custom": {
        "formula": "0d6c1895badc001b",
        "latex": "44352eebbff71831",
        "narration": "f4fe1b0deaa76c91",
        "markdown": "2fe364386b8e9d92",
        "handout_latex": "1c09f35043bfa22f",
    },
}


def fingerprints(name: str) -> dict[str, str]:
    lesson = make_lesson(name)
    texts = {
        "formula": "\n".join(s.formula for s in lesson.steps),
        "latex": "\n".join(s.latex for s in lesson.steps),
        "narration": "\n".join(s.narration for s in lesson.steps),
        "markdown": render(lesson, "markdown"),
        "handout_latex": render(lesson, "latex"),
    }
    return {
        key: hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] for key, text in texts.items()
    }


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_preset_texts_are_unchanged(name):
    assert fingerprints(name) == GOLDEN[name]


def test_key_steps_of_the_article_written_out():
    steps = make_lesson("article").steps
    by_text = {s.formula: s for s in steps}
    assert "z(h₃) = (−0.05) + (−0.21) + (−0.2) = −0.46" in by_text
    assert "Δŷ = y − ŷ = 0.2 − (−0.1) = 0.3" in by_text
    assert "∂L/∂w(h₃→ŷ) = h₃ × δ(ŷ) = 0 × (−0.3) = 0" in by_text
    assert "w(h₃→ŷ) ← 0.9 − 0.1 × 0 = 0.9" in by_text
    assert by_text["∂L/∂b(ŷ) = δ(ŷ) = −0.3"].narration == (
        "The bias is added straight into ŷ's sum, so its change is the neuron's own desired "
        "change, +0.3 (gradient −0.3)."
    )


if __name__ == "__main__":
    for preset in GOLDEN:
        print(f'    "{preset}": {fingerprints(preset)!r},')
