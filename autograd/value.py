"""The public face of the node layer: `Value` and the functions that build Values.

The code lives in small modules with one job each; this module gathers them so that
`from autograd.value import Value, as_value, maximum, minimum, vsum` keeps working:

    autograd/node.py             the Value class: fields, node construction, arithmetic operators
    autograd/node_info.py        reading a node: op, parents, is_leaf, repr, named, detach
    autograd/math_methods.py     x.exp(), x.relu(), x.max(y), ...: one op-table row each
    autograd/value_functions.py  as_value, maximum, minimum, vsum (the n-ary sum node)
    autograd/errors.py           the wording of every error a node construction can raise
    autograd/ops.py              THE op table: forwards and local derivative rules
"""
from .node import Value
from .value_functions import as_value, maximum, minimum, vsum

__all__ = ["Value", "as_value", "maximum", "minimum", "vsum"]
