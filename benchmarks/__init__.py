"""Speed measurements of nn-tutor, kept out of the installed packages.

Each module is a script: `python -m benchmarks.<name> --help`. They print ratios measured side
by side in one run (each contender in its own process, alternating rounds, medians), because
on a shared machine only ratios measured together mean anything. Tests never assert timings.
"""
