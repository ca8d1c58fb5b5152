"""What a PrairieLearn question's server.py runs: `generate_data` and `grade_data`.

PrairieLearn calls `generate(data)` once per variant (with `data["variant_seed"]`) and
`grade(data)` per submission, after its elements have parsed the inputs
(`data["submitted_answers"]` as numbers, `data["raw_submitted_answers"]` as typed). Grading
reads the typed text, so the digits a student wrote are the digits judged, applies error
carried forward, and writes each asked quantity's score, weight (its points) and explanation
to `data["partial_scores"]` and `data["feedback"]`, and the total to `data["score"]`.
"""
from __future__ import annotations

from typing import Any

from ..checker import printed_tolerance
from .answers import Answers
from .grade import grade
from .prairielearn import answer_name, key_lines
from .sheet import load
from .sweep import tangents

__all__ = ["generate_data", "grade_data"]


def _seed(sheet_variants: bool, data: dict[str, Any]) -> int | None:
    return int(data.get("variant_seed", 0)) if sheet_variants else None


def generate_data(sheet_path: str, data: dict[str, Any]) -> None:
    """Fill data["params"] (the given numbers, the seed, the key) and data["correct_answers"]."""
    sheet = load(sheet_path)
    seed = _seed(bool(sheet.variants), data)
    problem = sheet.problem(seed)
    params = data.setdefault("params", {})
    for name in sheet.leaves:
        params[name] = f"{problem.values[name]:.15g}"
    params["seed"] = seed
    params["key"] = key_lines(sheet, seed)
    answers = data.setdefault("correct_answers", {})
    for name in sheet.values:
        answers[answer_name(name, "value")] = problem.values[name]
    for name in sheet.grads:
        answers[answer_name(name, "grad")] = problem.grads[name]
    if sheet.jvp:
        answers[answer_name(sheet.root, "jvp")] = tangents(problem)[sheet.root]


def _typed(data: dict[str, Any], name: str) -> str | None:
    """The number as the student typed it (None when missing or not a number)."""
    raw = data.get("raw_submitted_answers", {}).get(name)
    if raw is None:
        raw = data.get("submitted_answers", {}).get(name)
    if raw is None or isinstance(raw, bool):
        return None
    text = str(raw).strip().replace("\u2212", "-")
    try:
        printed_tolerance(text)
    except (ValueError, TypeError):
        return None
    return text


def grade_data(sheet_path: str, data: dict[str, Any]) -> None:
    """Grade the submission in `data` with error carried forward; scores into `data`."""
    sheet = load(sheet_path)
    seed = data.get("params", {}).get("seed")
    values = {n: t for n in sheet.values if (t := _typed(data, answer_name(n, "value"))) is not None}
    grads = {n: t for n in sheet.grads if (t := _typed(data, answer_name(n, "grad"))) is not None}
    jvp = {n: t for n in [sheet.root] * bool(sheet.jvp)
           if (t := _typed(data, answer_name(n, "jvp"))) is not None}
    answers = Answers("submission", "<prairielearn>", seed, values, grads, {}, jvp)
    report = grade(sheet, answers, seed)
    tests = report.gradescope()["tests"]  # one per entry, in the entries' order, with points
    partial = data.setdefault("partial_scores", {})
    feedback = data.setdefault("feedback", {})
    earned = possible = 0.0
    for entry, test in zip(report.entries, tests):
        name = answer_name(entry.label, entry.quantity)
        weight = float(test["max_score"])
        score = float(test["score"]) / weight if weight else 0.0
        partial[name] = {"score": score, "weight": weight, "feedback": test["output"]}
        feedback[name] = test["output"]
        earned, possible = earned + score * weight, possible + weight
    data["score"] = earned / possible if possible else 0.0
