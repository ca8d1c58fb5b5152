"""Sheets the sheet tests share: the neuron of seed 001 (f = sigmoid(w.x), dot = 1)."""

NEURON = """
title = "A neuron"
[inputs]
x0 = -1.0
x1 = -2.0
[params]
w0 = 2.0
w1 = -3.0
w2 = -3.0
[nodes]
dot = "w0*x0 + w1*x1 + w2"
f = "sigmoid(dot)"
[ask]
values = ["dot", "f"]
grads = ["dot", "w0", "w1", "w2"]
"""
