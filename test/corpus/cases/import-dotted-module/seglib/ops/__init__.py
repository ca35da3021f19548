# Tensor operations used by the criteria in this repository.
