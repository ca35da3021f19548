"""Writes the .npy files the eval-inputs tests read (test/golden/npy/), with real numpy.

Each file is small (at most 32 elements) and deterministic; `expected.json` lists every array's
values as numpy reads them back, so the tests compare Loss Lens's reader with numpy's. The refused
files (Fortran order, big-endian, an object array) are there to be refused.

    /usr/bin/python3 test/golden/make_npy_inputs.py           # rewrite test/golden/npy/
    /usr/bin/python3 test/golden/make_npy_inputs.py --check   # exit 1 if a file is stale
"""
import io
import json
import os
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'npy')


def arrays():
    rng = np.random.RandomState(13)
    prediction = (1 / (1 + np.exp(-rng.randn(2, 1, 4, 4)))).astype(np.float32)
    labels = (rng.rand(2, 1, 4, 4) > 0.5)
    classes = rng.randint(0, 3, size=(2, 4, 4))
    return {
        # The prediction of a binary channels-first loss, in every float width and format version.
        'prediction_f4.npy': (prediction, (1, 0)),
        'prediction_f8.npy': (prediction.astype(np.float64), (1, 0)),
        'prediction_v2.npy': (prediction, (2, 0)),
        'prediction_v3.npy': (prediction, (3, 0)),
        # Its labels in every integer and bool dtype read.
        'labels_f4.npy': (labels.astype(np.float32), (1, 0)),
        'labels_b1.npy': (labels, (1, 0)),
        'labels_u1.npy': (labels.astype(np.uint8), (1, 0)),
        'labels_i4.npy': (labels.astype(np.int32), (1, 0)),
        'labels_i8.npy': (labels.astype(np.int64), (1, 0)),
        'classes_i8.npy': (classes.astype(np.int64), (1, 0)),
        # Refused.
        'fortran.npy': (np.asfortranarray(prediction.reshape(8, 4)), (1, 0)),
        'big_endian.npy': (prediction.astype('>f4'), (1, 0)),
        'objects.npy': (np.array([1, 'a', None], dtype=object), (1, 0)),
        'overflow_f8.npy': (np.array([0.5, 1e39]), (1, 0)),
    }


def encoded(array, version):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, version=version, allow_pickle=True)
    return buffer.getvalue()


def main():
    check = '--check' in sys.argv
    files = {name: encoded(array, version) for name, (array, version) in arrays().items()}
    expected = {
        name: {'shape': list(array.shape), 'dtype': array.dtype.str, 'values': array.ravel().tolist()}
        for name, (array, _) in arrays().items()
        if array.dtype != object
    }
    files['expected.json'] = (json.dumps(expected, indent=1, sort_keys=True) + '\n').encode()
    stale = []
    for name, data in files.items():
        path = os.path.join(OUT, name)
        if check:
            if not os.path.exists(path) or open(path, 'rb').read() != data:
                stale.append(name)
        else:
            os.makedirs(OUT, exist_ok=True)
            with open(path, 'wb') as f:
                f.write(data)
    if stale:
        sys.exit('stale: ' + ', '.join(stale))


if __name__ == '__main__':
    main()
