"""`nncore info`: the description of a weights file."""

from __future__ import annotations

from nncore import weightfile


def test_info_describes_the_model(run_cli, trained, capsys):
    code, out, err = run_cli(capsys, "info", trained)
    assert code == 0, err
    for expected in (
        "format version 1 (.npz)",
        "architecture   2-8-1  (2 input(s), 1 hidden layer(s), 1 output(s))",
        "activations    relu, linear",
        "parameters     33",
        "dtype          float64",
        "initialisation article (seed 99)",
        "recipe         article: gd, lr 0.001, constant schedule, full batch, 5 epochs planned",
        "epochs trained 5",
        "final loss     training MSE",
        "stopped        Finished the planned 5 epochs.",
        "normaliser     inputs mean [",
        "function       mean: (x + y) / 2",
        "data           120 random points of (x + y) / 2 (seed 0)",
    ):
        assert expected in out


def test_info_on_a_bare_file_and_on_garbage(run_cli, tmp_path, capsys):
    from nncore.network import Network

    weightfile.save(tmp_path / "bare.safetensors", Network([3, 2, 2]))
    code, out, _ = run_cli(capsys, "info", tmp_path / "bare.safetensors")
    assert code == 0
    assert "recipe         (not recorded)" in out and "epochs trained 0" in out
    assert "normaliser     none" in out
    (tmp_path / "x.json").write_text("[1, 2]")
    code, _, err = run_cli(capsys, "info", tmp_path / "x.json")
    assert code == 1 and "not a weights file" in err
    code, _, err = run_cli(capsys, "info", tmp_path)
    assert code == 1 and "is a folder" in err


def test_describe_gives_the_lines_info_prints(run_cli, trained, capsys):
    from nncore.cli import describe

    code, out, _err = run_cli(capsys, "info", trained)
    assert code == 0
    assert describe(weightfile.load(trained), str(trained)) == out.splitlines()
