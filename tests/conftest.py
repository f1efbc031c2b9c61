"""Suite-wide settings.

One BLAS thread per process: the suite runs many small matrix products, where OpenBLAS's
thread pool only fights the other processes on a small shared machine (measured: the
100-epoch fidelity test took 95 s with the default pool under load, 12-16 s with one thread).
Set before NumPy is first imported; an explicit setting in the environment wins.
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
