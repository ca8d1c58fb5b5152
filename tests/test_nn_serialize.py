"""JSON weights: exact round trip; corrupt or mismatched files raise and change nothing."""
import json

import pytest

import nn


def test_round_trip_is_exact_and_plain_json(tmp_path):
    a, b = nn.MLP(2, [4, 1], seed=1), nn.MLP(2, [4, 1], seed=2)
    path = a.save(tmp_path / "w.json")
    document = json.loads(path.read_text())
    assert document["format"] == "teachgrad.nn.weights" and document["version"] == 2
    assert document["parameters"] == a.state_dict()
    b.load(path)
    assert b.state_dict() == a.state_dict()  # floats round-trip bit for bit
    assert b([0.3, -0.2]).data == a([0.3, -0.2]).data


@pytest.mark.parametrize("text, message", [
    ("{not json", "not a valid weights file"),
    ('{"format": "other", "version": 1, "parameters": {}}', "not a teachgrad weights file"),
    ('{"format": "teachgrad.nn.weights", "version": 9, "parameters": {}}', "version 9"),
    ('{"format": "teachgrad.nn.weights", "version": 1, "parameters": {"a": NaN}}',
     "NaN is not a finite number"),
])
def test_corrupt_files_raise_and_leave_the_model_unchanged(tmp_path, text, message):
    model = nn.MLP(2, [3, 1])
    before = model.state_dict()
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        model.load(path)
    assert model.state_dict() == before


def test_mismatched_architecture_names_the_parameter(tmp_path):
    path = nn.serialize.save(nn.MLP(2, [3, 1]), tmp_path / "w.json")
    model = nn.MLP(2, [4, 1])
    before = model.state_dict()
    with pytest.raises(ValueError, match="another architecture: sizes: file \\[3, 1\\], model \\[4, 1\\]"):
        nn.serialize.load(model, path)
    assert model.state_dict() == before
    document = json.loads(path.read_text())
    document["model"] = "MLP(2 -> [3, 1])"  # a version 1 file: checked by parameter names only
    document["version"] = 1
    old = tmp_path / "v1.json"
    old.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="does not fit this model.*missing \\['layers.0.neurons.3"):
        nn.serialize.load(model, old)
    assert model.state_dict() == before
    document = json.loads(path.read_text())
    document["parameters"]["layers.0.neurons.0.b"] = "0.5"
    path.write_text(json.dumps(document))
    same = nn.MLP(2, [3, 1], seed=5)
    before = same.state_dict()
    with pytest.raises(ValueError, match="'layers.0.neurons.0.b': expected a number, got str"):
        same.load(path)
    assert same.state_dict() == before
    with pytest.raises(OSError, match="cannot read weights file"):
        same.load(tmp_path / "missing.json")
