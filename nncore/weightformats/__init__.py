"""The three formats a weights file can be written in, one module each, and what they share.

- `npz_file`: NumPy's zip of arrays (read without ever unpickling anything);
- `json_file`: a text file a person can open and read;
- `safetensors_file`: the state dict of a PyTorch `nn.Sequential`, loadable as it is.

Each format module has the same four parts: `EXTENSION`, `looks_like(data)` (do the first
bytes look like this format?), `write(tmp, header, network)` and `read(data)`, which returns
(description, weights, biases) with every part checked. The description itself, and the
checks every format applies to it, live in `header`. Saving and loading, which choose the
format and write atomically, are `nncore.weightfile.save` and `load`.
"""
