"""Optimisers and schedules against updates worked out by hand."""

import math

import numpy as np
import pytest

from nncore.optim import (
    Adam,
    ConstantLR,
    CosineAnnealing,
    GradientDescent,
    Momentum,
    StepDecay,
    make_optimizer,
    make_schedule,
)


def params_and_grads(dtype="float64"):
    params = [
        np.array([[1.0, -2.0], [0.5, 0.0]], dtype=dtype),
        np.array([[0.25, -0.75]], dtype=dtype),
    ]
    grads = [np.array([[0.2, -0.4], [1.0, 0.0]], dtype=dtype), np.array([[-3.0, 0.5]], dtype=dtype)]
    return params, grads


def test_gradient_descent_is_p_minus_lr_g_in_place():
    params, grads = params_and_grads()
    w_id = id(params[0])
    GradientDescent().step(params, grads, lr=0.1)
    assert id(params[0]) == w_id
    np.testing.assert_array_equal(params[0], [[1.0 - 0.02, -2.0 + 0.04], [0.5 - 0.1, 0.0]])
    np.testing.assert_array_equal(params[1], [[0.25 + 0.3, -0.75 - 0.05]])


def test_gradient_descent_matches_the_article_update_bit_for_bit():
    rng = np.random.default_rng(3)
    W = rng.normal(size=(64, 64))
    dW = rng.normal(size=(64, 64))
    expected = W.copy()
    expected -= 0.001 * dW
    GradientDescent().step([W], [dW], 0.001)
    np.testing.assert_array_equal(W, expected)


def test_momentum_two_steps_by_hand():
    p = [np.array([1.0, 2.0])]
    opt = Momentum(beta=0.5)
    opt.step(p, [np.array([1.0, -1.0])], lr=0.1)  # v = g = (1, -1)
    np.testing.assert_allclose(p[0], [0.9, 2.1], rtol=0, atol=1e-15)
    opt.step(p, [np.array([2.0, 0.0])], lr=0.1)  # v = 0.5·(1, -1) + (2, 0) = (2.5, -0.5)
    np.testing.assert_allclose(p[0], [0.9 - 0.25, 2.1 + 0.05], rtol=0, atol=1e-15)


def test_momentum_with_beta_zero_is_gradient_descent():
    a, g = params_and_grads()
    b = [x.copy() for x in a]
    for _ in range(3):
        Momentum(beta=0.0).step(a, g, 0.05)
        GradientDescent().step(b, g, 0.05)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def adam_by_hand(p0, gs, lr, b1=0.9, b2=0.999, eps=1e-8):
    """Adam on one scalar, written out plainly."""
    p, m, v = p0, 0.0, 0.0
    out = []
    for t, g in enumerate(gs, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        p = p - lr * m_hat / (math.sqrt(v_hat) + eps)
        out.append(p)
    return out


def test_adam_first_step_moves_each_parameter_by_about_lr_against_its_gradient():
    # At t = 1, m̂ = g and v̂ = g², so the change is lr·g/(|g| + ε) ≈ lr·sign(g).
    params, grads = params_and_grads()
    before = [p.copy() for p in params]
    Adam().step(params, grads, lr=0.01)
    for p, b, g in zip(params, before, grads):
        expected = b - 0.01 * g / (np.abs(g) + 1e-8)
        np.testing.assert_allclose(p, expected, rtol=1e-14, atol=1e-17)
    assert params[0][0, 0] == pytest.approx(1.0 - 0.01, abs=1e-9)
    assert params[0][1, 1] == 0.0  # zero gradient, no move


def test_adam_three_steps_match_the_scalar_formula():
    gs = [0.3, -1.2, 0.05]
    expected = adam_by_hand(2.0, gs, lr=0.02, b1=0.8, b2=0.99, eps=1e-6)
    p = [np.array([2.0])]
    opt = Adam(beta1=0.8, beta2=0.99, eps=1e-6)
    for g, e in zip(gs, expected):
        opt.step(p, [np.array([g])], lr=0.02)
        assert p[0][0] == pytest.approx(e, rel=1e-13)
    assert opt.steps == 3


def test_adam_reset_forgets_the_moments():
    p = [np.array([1.0])]
    opt = Adam()
    opt.step(p, [np.array([5.0])], 0.1)
    opt.reset()
    q = [np.array([1.0])]
    opt.step(q, [np.array([-0.5])], 0.1)
    assert q[0][0] == pytest.approx(1.1, abs=1e-7)  # a fresh first step, not a continuation


def test_adam_matches_torch_when_available():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=(4, 3))
    grads = [rng.normal(size=(4, 3)) for _ in range(5)]
    w = torch.tensor(w0.copy(), requires_grad=True)
    opt_t = torch.optim.Adam([w], lr=0.01)
    ours = [w0.copy()]
    opt = Adam()
    for g in grads:
        w.grad = torch.tensor(g)
        opt_t.step()
        opt.step(ours, [g], 0.01)
    np.testing.assert_allclose(ours[0], w.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["gd", "momentum", "adam"])
def test_float32_stays_float32(name):
    params, grads = params_and_grads("float32")
    opt = make_optimizer(name)
    for _ in range(3):
        opt.step(params, grads, np.float64(0.01))  # even a float64 scalar lr
    assert all(p.dtype == np.float32 for p in params)
    for state in (getattr(opt, a, {}) for a in ("velocity", "m", "v")):
        assert all(s.dtype == np.float32 for s in state.values())


def test_optimizer_rejects_mismatched_input():
    params, grads = params_and_grads()
    opt = Adam()
    with pytest.raises(ValueError, match="gradients"):
        opt.step(params, grads[:1], 0.1)
    with pytest.raises(ValueError, match="shape"):
        opt.step(params, [grads[1], grads[0]], 0.1)
    opt.step(params, grads, 0.1)
    with pytest.raises(ValueError, match="reset"):
        opt.step([np.zeros(3)], [np.zeros(3)], 0.1)
    with pytest.raises(ValueError, match="learning rate"):
        opt.step(params, grads, float("nan"))
    with pytest.raises(ValueError, match="choose one of"):
        make_optimizer("rmsprop")
    with pytest.raises(ValueError, match="beta"):
        Momentum(beta=1.5)


def test_make_optimizer_names():
    assert isinstance(make_optimizer("gd"), GradientDescent)
    assert isinstance(make_optimizer("SGD"), GradientDescent)
    assert make_optimizer("momentum", beta=0.8).beta == 0.8
    assert make_optimizer("adam", beta1=0.5).beta1 == 0.5


# ---- schedules ----------------------------------------------------------------------------


def test_constant_schedule():
    s = ConstantLR(0.001)
    assert [s(e) for e in (0, 1, 1999)] == [0.001] * 3


def test_step_decay_values():
    s = StepDecay(0.1, every=10, gamma=0.5)
    assert s(0) == 0.1 and s(9) == 0.1
    assert s(10) == pytest.approx(0.05) and s(19) == pytest.approx(0.05)
    assert s(25) == pytest.approx(0.025)


def test_cosine_without_warmup():
    s = CosineAnnealing(0.01, total_epochs=100, min_lr=0.001)
    assert s(0) == pytest.approx(0.01)
    assert s(50) == pytest.approx(0.001 + 0.009 * 0.5)  # half way: the midpoint
    assert s(25) == pytest.approx(0.001 + 0.009 * (1 + math.cos(math.pi / 4)) / 2)
    assert s(100) == pytest.approx(0.001) and s(500) == pytest.approx(0.001)
    values = [s(e) for e in range(101)]
    assert all(a >= b for a, b in zip(values, values[1:]))


def test_cosine_with_linear_warmup():
    s = CosineAnnealing(0.004, total_epochs=14, warmup=4)
    assert [s(e) for e in range(4)] == pytest.approx([0.001, 0.002, 0.003, 0.004])
    assert s(4) == pytest.approx(0.004)  # cosine starts at the top
    assert s(9) == pytest.approx(0.002)  # 5 of 10 annealing epochs
    assert s(14) == 0.0


def test_make_schedule_and_bad_options():
    assert isinstance(make_schedule("constant", 0.1, 10), ConstantLR)
    step = make_schedule("step", 0.1, 100)
    assert (step.every, step.gamma) == (10, 0.5)
    cos = make_schedule("cosine", 0.1, 100, warmup=5, min_lr=1e-4)
    assert (cos.total_epochs, cos.warmup, cos.min_lr) == (100, 5, 1e-4)
    with pytest.raises(ValueError, match="does not take"):
        make_schedule("constant", 0.1, 10, warmup=3)
    with pytest.raises(ValueError, match="choose one of"):
        make_schedule("exponential", 0.1, 10)
    with pytest.raises(ValueError, match="shorter"):
        CosineAnnealing(0.1, total_epochs=5, warmup=5)
    with pytest.raises(ValueError, match="learning rate"):
        ConstantLR(-1)
    with pytest.raises(ValueError, match="epoch"):
        ConstantLR(0.1)(-1)


def test_a_step_decay_every_zero_epochs_is_refused_not_replaced():
    with pytest.raises(ValueError, match="every"):
        make_schedule("step", 0.1, 100, every=0)
    with pytest.raises(ValueError, match="every"):
        StepDecay(0.1, every=0)
    with pytest.raises(TypeError):
        make_schedule("step", 0.1, 100, every="often")
    assert make_schedule("step", 0.1, 100, every=3).every == 3
    assert make_schedule("step", 0.1, None, every=3).every == 3


def test_optimizer_settings_are_checked_with_nncore_checks():
    from nncore.errors import NNCoreError

    for bad in (lambda: Momentum(beta=1.0), lambda: Adam(eps=0), lambda: Adam(beta2=-0.1)):
        with pytest.raises(NNCoreError):
            bad()
    with pytest.raises(TypeError):
        Adam(beta1="0.9")
    with pytest.raises(NNCoreError, match="does not take"):
        make_optimizer("gd", beta=0.9)
    with pytest.raises(NNCoreError, match="learning rate"):
        GradientDescent().step([np.zeros(2)], [np.zeros(2)], -0.1)


# ---- absurd settings are refused, and no epoch overflows ----------------------------------


@pytest.mark.parametrize("gamma", [1e300, 1.5, 1.0 + 1e-12, 0.0, -0.5, math.inf, math.nan])
def test_a_step_decay_that_does_not_decay_is_refused(gamma):
    from nncore.errors import SettingsError

    with pytest.raises(SettingsError, match="gamma"):
        StepDecay(0.1, every=10, gamma=gamma)
    with pytest.raises(SettingsError, match="gamma"):
        make_schedule("step", 0.1, 100, gamma=gamma)


@pytest.mark.parametrize("lr", [1e300, 1e6 * (1 + 1e-9), math.inf, math.nan, 0.0, -1e-3])
def test_every_schedule_refuses_an_absurd_learning_rate(lr):
    from nncore.errors import SettingsError

    for make in (
        lambda: ConstantLR(lr),
        lambda: StepDecay(lr, every=1),
        lambda: CosineAnnealing(lr, total_epochs=10),
    ):
        with pytest.raises(SettingsError, match="learning rate"):
            make()
    if lr != 0.0:  # a step of rate 0 is allowed: a schedule may anneal down to 0
        with pytest.raises(SettingsError, match="learning rate"):
            GradientDescent().step([np.zeros(2)], [np.zeros(2)], lr)


def test_the_largest_rate_is_accepted_and_named():
    from nncore.optim import MAX_LEARNING_RATE

    assert MAX_LEARNING_RATE == 1e6
    assert ConstantLR(MAX_LEARNING_RATE)(0) == 1e6
    p = np.ones(2)
    GradientDescent().step([p], [np.full(2, 1e-6)], MAX_LEARNING_RATE)
    np.testing.assert_array_equal(p, [0.0, 0.0])


@pytest.mark.parametrize("epoch", [10**9, 10**18, 10**400, 1e300])
def test_schedules_answer_any_epoch_with_a_finite_rate(epoch):
    for schedule in (
        ConstantLR(0.1),
        StepDecay(0.1, every=1, gamma=0.5),
        StepDecay(0.1, every=3, gamma=1.0),
        StepDecay(1e6, every=1, gamma=1.0 - 1e-16),
        CosineAnnealing(0.1, total_epochs=80, warmup=3, min_lr=1e-4),
        CosineAnnealing(0.1, total_epochs=10**15, warmup=10**15 - 1),
    ):
        lr = schedule(epoch)
        assert isinstance(lr, float) and math.isfinite(lr) and 0.0 <= lr <= 1e6
    assert StepDecay(0.1, every=1, gamma=0.5)(10**9) == 0.0  # 0.5 ** 1e9 underflows to 0
    assert StepDecay(0.1, every=3, gamma=1.0)(10**400) == 0.1
    assert CosineAnnealing(0.1, total_epochs=80, min_lr=1e-4)(10**400) == 1e-4


def test_a_huge_step_decay_exponent_is_as_the_arithmetic_says():
    s = StepDecay(0.8, every=2, gamma=0.5)
    assert [s(e) for e in range(6)] == [0.8, 0.8, 0.4, 0.4, 0.2, 0.2]  # exact powers of two
    assert s(2 * 1074) == 0.8 * 0.5**1074  # the smallest subnormal power, still exact


def test_cosine_settings_must_be_sane():
    from nncore.errors import SettingsError

    with pytest.raises(SettingsError, match="min_lr"):
        CosineAnnealing(0.1, total_epochs=10, min_lr=0.2)
    with pytest.raises(SettingsError, match="min_lr"):
        CosineAnnealing(0.1, total_epochs=10, min_lr=-0.01)
    with pytest.raises(SettingsError, match="min_lr"):
        CosineAnnealing(0.1, total_epochs=10, min_lr=math.nan)
    with pytest.raises(SettingsError, match="shorter"):
        CosineAnnealing(0.1, total_epochs=10, warmup=10)
    with pytest.raises(SettingsError, match="warmup"):
        CosineAnnealing(0.1, total_epochs=10, warmup=-1)
    with pytest.raises(SettingsError, match="total_epochs"):
        CosineAnnealing(0.1, total_epochs=10**400)
