"""nncore: a small, readable neural-network engine in pure NumPy.

It powers the nn-tutor app and works on its own from a notebook or the `nncore` command:
networks with recorded forward passes and backpropagation, activations, losses, optimisers,
data, training runs, the step-by-step lesson engine, and weight files.
"""
from .activations import ACTIVATIONS, Activation, get_activation
from .losses import half_mse, mse, r2
from .network import ForwardRecord, Gradients, Network, init_parameters

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation",
    "mse", "half_mse", "r2",
    "Network", "ForwardRecord", "Gradients", "init_parameters",
]
__version__ = "0.1.0"
