"""Every worked example builds, and the checker finds exactly the slips that the independent
reference (docs/seed_reference.md) lists, no more and no fewer."""
import doctest

import pytest

import autograd.examples
from autograd import examples

CLASSES = ("cat", "dog", "cow", "horse")


def _rows(stage, *rows):
    return {(stage, f"W_{c}_{k}", "grad") for c in rows for k in range(1, 5)}


# (stage, label, quantity) of each genuine slip, transcribed from docs/seed_reference.md
EXPECTED_SLIPS = {
    "seed000_softmax": (
        {("sample1", "z_horse", "value")}
        | {("sample1", f"P_{c}", "value") for c in ("dog", "cow", "horse")}
        | {("sample1", f"z_{c}", "grad") for c in ("dog", "cow", "horse")}
        | _rows("sample1", "dog", "cow", "horse")
        # z_cow 26.466 for 26.465 is one unit off in the last place: rounding by the policy
        | {("sample2", f"z_{c}", "value") for c in ("dog", "horse")}
        | {("sample2", "P_cat", "value"), ("sample2", "P_horse", "value"), ("sample2", "z_horse", "grad")}
        | _rows("sample2", "horse")
        | {("sample3", f"P_{c}", "value") for c in ("dog", "cow", "horse")}
        | {("sample3", f"z_{c}", "grad") for c in ("cow", "horse")}
        | _rows("sample3", "cow", "horse")),
    "seed000_net221": set(),
    "seed001_neuron": {("q4_boundary", label, "value") for label in ("|n|", "n_hat1", "n_hat2", "d")},
    "seed001_gates": set(),
    "seed001_jacobians": {("q10_F1", "a", "grad"), ("q10_F1", "b", "grad")},
    "seed001_q12": (
        {("forward_backward", f"yhat{i}", q) for i in (1, 2, 3) for q in ("value", "grad")}
        | {("forward_backward", label, "value") for label in ("L1", "L2", "L3", "L")}
        | {("forward_backward", f"v{k}", "grad") for k in (1, 2, 3, 4)}
        | {("forward_backward", f"w{j}_{k}", "grad") for j in (1, 2, 3) for k in (1, 2, 3)}),
    "seed002_net221_sgd": (
        {("forward_backward", "a1_2", "value"), ("forward_backward", "z1_2", "grad")}
        | {("forward_backward", p, "grad") for p in ("W1_11", "W1_21", "W1_22", "b1_2")}
        | {("update", label, "value") for label in ("W1_21_new", "W1_22_new", "b1_2_new", "z1_2_new",
                                                    "a1_1_new", "a1_2_new", "z2_new", "yhat_new", "L_new")}),
    "seed003_net321": {("sheet", "w31_1", "grad")},  # the sheet seed003_q3 ('_' for the seed's '-')
    "seed004_bce": set(),
}

# printed numbers the reference calls rounding only (cut digits, rounded intermediates)
EXPECTED_ROUNDING = {
    "seed000_softmax": {("sample2", "z_cow", "value"),  # one unit off: rounding by the policy
                        ("sample4", "P_dog", "value"), ("sample4", "P_cow", "value"),
                        ("sample4", "z_dog", "grad"), ("sample4", "z_cow", "grad"),
                        ("sample4", "W_dog_1", "grad"), ("sample4", "W_dog_3", "grad"),
                        ("sample4", "W_dog_4", "grad")},
    # the sheet seed000_q3 (the example exists once, as a sheet): one stage, "sheet"
    "seed000_net221": {("sheet", "s3", "value")} | {("sheet", w, "grad") for w in ("w2", "w3", "w4")},
    "seed002_net221_sgd": {("forward_backward", "a1_1", "value"), ("forward_backward", "z2", "value"),
                           ("forward_backward", "a1_1", "grad"), ("forward_backward", "a1_2", "grad"),
                           ("update", "W2_1_new", "value"), ("update", "W1_11_new", "value")},
    "seed003_net321": {("sheet", "sq", "value"), ("sheet", "w21_1", "grad"), ("sheet", "w32_1", "grad")},
}


def test_registry_lists_every_seed_example_in_order():
    assert examples.names() == list(EXPECTED_SLIPS)
    assert examples.get("seed002").name == "seed002_net221_sgd"
    with pytest.raises(KeyError, match="no worked example named 'nope'; known: seed000_softmax"):
        examples.get("nope")


@pytest.mark.parametrize("name", list(EXPECTED_SLIPS))
def test_checker_finds_exactly_the_reference_slips(name):
    example = examples.get(name)
    assert example.name == name and example.description.strip() and example.stages
    results = example.run()
    found = {(stage.name, e.label, e.quantity) for stage, _, report in results for e in report.slips}
    assert found == EXPECTED_SLIPS[name]
    rounding = {(stage.name, e.label, e.quantity) for stage, _, report in results
                for e in report.entries if e.verdict == "rounding"}
    assert rounding == EXPECTED_ROUNDING.get(name, set())


@pytest.mark.parametrize("name", list(EXPECTED_SLIPS))
def test_every_note_sits_on_a_real_mismatch(name):
    # a note explains a difference; on a number that matches it would be stale
    for stage, _, report in examples.get(name).run():
        for entry in report.entries:
            if entry.note_kind:
                assert not entry.ok, (stage.name, entry.label, entry.quantity)


def test_engine_values_agree_with_the_reference_truth():
    # spot checks against the reference's true values (10 significant digits there)
    net = {e.label: e for _, _, r in examples.get("seed000_net221").run() for e in r.entries
           if e.quantity == "grad"}
    assert net["w3"].actual == pytest.approx(-0.0004438954232, rel=1e-9)
    sgd = {(e.label, e.quantity): e.actual for _, _, r in examples.get("seed002").run() for e in r.entries}
    assert sgd[("L_new", "value")] == pytest.approx(0.2580148964, rel=1e-9)
    assert sgd[("z1_2", "grad")] == pytest.approx(0.01499607549, rel=1e-9)
    q12 = {(e.label, e.quantity): e.actual for _, _, r in examples.get("seed001_q12").run() for e in r.entries}
    assert q12[("L", "value")] == pytest.approx(281.7000512, rel=1e-9)
    assert q12[("w1_3", "grad")] == pytest.approx(-0.6839055159, rel=1e-9)
    soft = examples.get("seed000_softmax").run()
    sample1 = {(e.label, e.quantity): e.actual for e in soft[0][2].entries}
    assert sample1[("P_cow", "value")] == pytest.approx(3.804605923e-26, rel=1e-8)
    assert sample1[("W_horse_1", "grad")] == pytest.approx(1.452834599e-13, rel=1e-6)


def test_build_gives_fresh_graphs():
    from autograd.graph import topological_order
    for name in ("seed002", "seed003"):  # a Python module and an example that is a sheet
        first, second = examples.get(name), examples.get(name)
        theirs = topological_order(second.stages[0].root)
        assert not {id(n) for n in topological_order(first.stages[0].root)} & {id(n) for n in theirs}
        before = [n.grad for n in theirs]
        first.run()
        assert [n.grad for n in theirs] == before  # exact: running one touches nothing of the other


def test_docstring_example():
    assert doctest.testmod(autograd.examples).failed == 0


def test_examples_a_sheet_expresses_exist_once_as_sheets():
    # issue 20 item 7: a worked example a shipped sheet expresses has no Python module; the
    # modules that remain say in their docstring why a sheet cannot say them
    from pathlib import Path
    folder = Path(autograd.examples.__file__).parent
    as_sheets = {name for name in examples.names() if "(the worksheet " in examples.get(name).source}
    assert as_sheets == {"seed000_net221", "seed001_gates", "seed003_net321"}
    for name in examples.names():
        module = folder / f"{name}.py"
        if name in as_sheets:
            assert not module.exists(), name
        else:
            assert "Why this stays a Python module" in module.read_text(encoding="utf-8"), name


def test_a_sheet_with_several_graphs_runs_one_stage_per_graph():
    """seed001_neuron's sheet asks about four separate graphs: every printed number is checked on
    its own graph, a node two graphs share (norm) once, and nothing is lost or raises."""
    from autograd import examples

    example = examples.get("sheet-seed001_neuron")
    results = example.run()
    assert len(results) == len(example.stages) == 6  # logsig, d, n_hat2, n_hat1, s6, output
    checked = [(e.label, e.quantity) for _, _, report in results for e in report.entries]
    assert len(checked) == len(set(checked))  # each printed number once
    assert {label for label, _ in checked} >= {"output", "norm", "n_hat1", "n_hat2", "d", "s6", "a"}
    slips = sorted(e.label for _, _, report in results for e in report.slips)
    assert slips == ["d", "n_hat1", "n_hat2", "norm"]  # the seed's Q4 normal is off (see the sheet)
