"""nn: a thin, PyTorch-shaped neural-network layer on top of `autograd.Value`."""
