"""A plain transcription of the source article's algorithm, kept as an independent oracle.

Written from the algorithm's description (BRIEF.md), deliberately naive: fresh arrays every
step, the mask cast to float, gradients divided afterwards. Tests compare nncore with it and
the benchmark times it as "the article's code". Do not optimise it.
"""

from __future__ import annotations

import numpy as np


class ArticleNet:
    def __init__(self, architecture, seed=99):
        np.random.seed(seed)
        self.weights = []
        self.biases = []
        for n_in, n_out in zip(architecture[:-1], architecture[1:]):
            self.weights.append(np.random.uniform(low=-1, high=1, size=(n_in, n_out)))
            self.biases.append(np.zeros((1, n_out)))

    def forward(self, X):
        inputs, sums = [X], []
        for k, (W, b) in enumerate(zip(self.weights, self.biases)):
            Z = np.dot(inputs[-1], W) + b
            sums.append(Z)
            inputs.append(Z if k == len(self.weights) - 1 else np.maximum(0, Z))
        return inputs, sums

    def backward(self, inputs, sums, y):
        m = len(y)
        dW_all, db_all = [], []
        dA = inputs[-1] - y.reshape(-1, 1)
        for k in reversed(range(len(self.weights))):
            dZ = dA if k == len(self.weights) - 1 else dA * (sums[k] > 0).astype(float)
            dW_all.append(np.dot(inputs[k].T, dZ) / m)
            db_all.append(np.sum(dZ, axis=0, keepdims=True) / m)
            if k > 0:
                dA = np.dot(dZ, self.weights[k].T)
        return dW_all[::-1], db_all[::-1]

    def epoch(self, X, y, lr):
        """One full-batch step; returns the MSE of the predictions made before the update."""
        inputs, sums = self.forward(X)
        dW, db = self.backward(inputs, sums, y)
        for k in range(len(self.weights)):
            self.weights[k] -= lr * dW[k]
            self.biases[k] -= lr * db[k]
        return np.mean((inputs[-1].flatten() - y) ** 2)

    def predict(self, X):
        return self.forward(X)[0][-1].flatten()
