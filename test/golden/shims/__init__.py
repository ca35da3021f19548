"""Torch-backed stand-ins for TensorFlow/Keras 2, Theano and numpy.

The golden generator executes the real fixture files with these modules in
place of the real frameworks (see test/golden/README.md).  Each shim gives the
framework's own semantics (argument names and defaults, dtype rules, which ops
carry a gradient) and lets torch autograd compute d(loss)/d(prediction).
"""
