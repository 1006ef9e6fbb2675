"""Pure computations behind every figure a page shows: typed, no I/O, each formula in its docstring."""
