"""`import nncore` is cheap, and still offers every name it always did.

nncore's names load from their modules on first use (PEP 562 `__getattr__`), so the app,
which reads only `nncore.__version__` and the lesson engine before its first paint, does not
wait for the training, data and weight-file code. What `import nncore` loads is checked in a
fresh interpreter: the test process has imported most of nncore already.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap

import pytest

import nncore


def test_importing_nncore_loads_none_of_its_modules_nor_numpy():
    probe = textwrap.dedent("""
        import json, sys
        import nncore
        version = nncore.__version__
        loaded = sorted(name for name in sys.modules
                        if name.startswith("nncore.") or name.split(".")[0] == "numpy")
        print(json.dumps({"version": version, "loaded": loaded}))
    """)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    report = json.loads(result.stdout)
    assert report == {"version": nncore.__version__, "loaded": []}


@pytest.mark.parametrize("name", nncore.__all__)
def test_every_exported_name_is_the_one_its_module_defines(name):
    home = importlib.import_module(f"nncore.{nncore._HOME_OF[name]}")
    assert getattr(nncore, name) is getattr(home, name)
    assert name in dir(nncore)


def test_the_exports_are_listed_once_and_the_same_in_both_lists():
    assert len(nncore.__all__) == len(set(nncore.__all__))
    assert set(nncore.__all__) == set(nncore._HOME_OF)


def test_star_import_and_from_import_give_the_same_objects():
    namespace: dict = {}
    exec("from nncore import *", namespace)
    assert set(nncore.__all__) <= set(namespace)
    from nncore import Network, recipe

    assert Network is nncore.network.Network and recipe is nncore.training.recipe


def test_modules_are_reachable_as_attributes_and_unknown_names_are_attribute_errors():
    assert nncore.training is importlib.import_module("nncore.training")
    assert nncore.lesson.Lesson is nncore.Lesson
    with pytest.raises(AttributeError, match="no attribute 'no_such_thing'"):
        _ = nncore.no_such_thing
    with pytest.raises(AttributeError):
        _ = nncore.__no_such_dunder__
    assert not hasattr(nncore, "no_such_thing")
