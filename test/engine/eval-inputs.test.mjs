// `loss-lens eval --inputs`: every malformed input is one line naming the field and element (exit 2),
// never a wrong value; .npy files written by real numpy (test/golden/make_npy_inputs.py) read as
// numpy reads them, and give the value the same data gives as nested lists.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT, closeTo, engine } from './helpers.mjs';

const NPY = join(ROOT, 'test', 'golden', 'npy');
const expected = JSON.parse(readFileSync(join(NPY, 'expected.json'), 'utf8'));

const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-inputs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const LOSS = join(scratch, 'dice.py');
writeFileSync(
  LOSS,
  'import torch\n\ndef dice_loss(pred, target):\n' +
    '    inter = (pred * target).sum()\n    return 1 - (2 * inter + 1) / (pred.sum() + target.sum() + 1)\n',
);

/** `loss-lens eval` of the test loss on an inputs file. */
const evalFile = (path, ...flags) =>
  spawnSync(
    process.execPath,
    [join(ROOT, 'dist', 'cli.js'), 'eval', LOSS, '--entry', 'dice_loss', '--inputs', path, ...flags],
    { cwd: scratch, encoding: 'utf8', timeout: 60_000 },
  );

/** eval --json on inputs written to a fresh file; its error message names that file FILE. */
function evalWith(inputs, ...flags) {
  const path = join(scratch, `inputs-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof inputs === 'string' ? inputs : JSON.stringify(inputs));
  const run = evalFile(path, '--json', ...flags);
  const message = run.stderr.replace(`--inputs ${path}: `, '--inputs FILE: ').trim();
  return { code: run.status, out: run.status === 0 ? JSON.parse(run.stdout) : undefined, message };
}

/** The nested lists of a flat array of `shape`. */
function nested(values, shape) {
  if (shape.length === 0) return values[0];
  const step = values.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => nested(values.slice(i * step, (i + 1) * step), shape.slice(1)));
}

describe('eval inputs: one-line errors naming the field and element', () => {
  const cases = [
    [
      'ragged nesting',
      '{"prediction": [[[0.5]], [0.5]], "target": [[1], [0]]}',
      'prediction[1][0]: ragged nesting: expected a list of 1 element(s), got number 0.5',
    ],
    [
      'a shorter row',
      '{"prediction": [[0.5, 0.1], [0.5]], "target": [[1, 0], [0, 1]]}',
      'prediction[1]: ragged nesting: expected a list of 2 element(s), got a list of 1',
    ],
    [
      'too deep',
      `{"prediction": ${'['.repeat(7)}0.5${']'.repeat(7)}, "target": [1]}`,
      'prediction: lists nested more than 6 deep: at most 6 dimensions',
    ],
    [
      'null element',
      '{"prediction": [0.5, null], "target": [1, 0]}',
      'prediction[1]: expected a number, got null (write "nan" for NaN)',
    ],
    [
      'a string',
      '{"prediction": [0.5, "x"], "target": [1, 0]}',
      'prediction[1]: expected a number, got the string "x" ("nan", "inf", "-inf" are)',
    ],
    [
      'NaN literal',
      '{"prediction": [0.5, NaN], "target": [1, 0]}',
      'not valid JSON: NaN and Infinity are not JSON; write "nan", "inf" or "-inf"',
    ],
    [
      'float32 overflow',
      '{"prediction": [0.5, 1e39], "target": [1, 0]}',
      'prediction[1]: 1e+39 overflows float32 (largest finite value 3.4028234663852886e+38)',
    ],
    [
      'a float label for int',
      '{"prediction": [0.5, 0.2], "target": [1.5, 0], "target_dtype": "int"}',
      "target[0]: 1.5 is not an integer (the labels' dtype is int)",
    ],
    [
      'mismatched shapes',
      '{"prediction": [0.5, 0.1, 0.2], "target": [1, 0]}',
      "target: shape [2] does not go with the prediction's [3]: labels have the prediction's shape (one-hot), " +
        'or it without its class axis or with that axis of size 1 (class maps)',
    ],
    ['a null file', 'null', 'expected a JSON object with "prediction" and "target", got null'],
    [
      'a typo',
      '{"prediction": [0.5], "targets": [1]}',
      'unknown field "targets" (the fields: prediction, target, target_dtype)',
    ],
    [
      'a bad dtype',
      '{"prediction": [0.5], "target": [1], "target_dtype": "long"}',
      'target_dtype: must be "float" or "int", got "long"',
    ],
    ['malformed JSON', '{"prediction": [0.5,, 1]}', /^not valid JSON( \(line 1, column \d+\))?: /],
  ];
  for (const [name, inputs, message] of cases)
    test(name, () => {
      const { code, message: got } = evalWith(inputs);
      assert.equal(code, 2);
      if (message instanceof RegExp)
        assert.match(got, new RegExp(`^loss-lens: --inputs FILE: ${message.source.slice(1)}`));
      else assert.equal(got, `loss-lens: --inputs FILE: ${message}`);
    });

  test('flags the tensors must agree with: --classes, --labels, --layout', () => {
    const inputs = { prediction: [[[0.2, 0.8]], [[0.7, 0.3]]], target: [[[0, 1]], [[1, 0]]] };
    assert.equal(evalWith(inputs).code, 0);
    assert.match(
      evalWith(inputs, '--classes', '3').message,
      /target: shape \[2, 1, 2\] does not go with .* under classes 3/,
    );
    assert.match(
      evalWith(inputs, '--labels', 'sparse', '--layout', 'channels_last').message,
      /under layout channels_last, labels sparse/,
    );
  });

  test('"nan", "inf" and booleans are elements; the engine checks nested lists too', async () => {
    assert.equal(evalWith({ prediction: [0.5, 'nan'], target: [true, false] }).out.value, 'nan');
    await assert.rejects(
      engine.evaluateFile({
        path: LOSS,
        entry: 'dice_loss',
        inputs: { prediction: [[0.5], 0.5], target: [1, 0], targetDtype: 'float' },
      }),
      /prediction\[1\]: ragged nesting: expected a list of 1 element\(s\), got number 0\.5/,
    );
    await assert.rejects(
      engine.evaluateFile({
        path: LOSS,
        entry: 'dice_loss',
        argOrder: 'x',
        inputs: { prediction: [0.5], target: [1], targetDtype: 'float' },
      }),
      /contract field argOrder is "x": allowed "true_pred", "pred_true"/,
    );
  });
});

describe('eval inputs: .npy files', () => {
  test('float32/float64/int32/int64/uint8/bool and format versions 1-3 read as numpy reads them', () => {
    for (const [name, want] of Object.entries(expected)) {
      if (['fortran.npy', 'big_endian.npy', 'overflow_f8.npy'].includes(name)) continue;
      const array = engine.parseNpy(readFileSync(join(NPY, name)), name);
      assert.deepEqual(array.shape, want.shape, name);
      assert.equal(array.descr, want.dtype, name);
      const values = Array.from(array.values, Number);
      assert.deepEqual(values, want.values.map(Number), name);
    }
  });

  test('arrays above the size bound are refused from the header, before their data is read', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (5000, 5000), }".padEnd(117) + '\n';
    const bytes = Buffer.concat([
      Buffer.from([0x93]),
      Buffer.from('NUMPY'),
      Buffer.from([1, 0, 118, 0]),
      Buffer.from(header),
    ]);
    assert.throws(() => engine.parseNpy(bytes, 'prediction (big.npy)'), {
      message: 'prediction (big.npy): 25,000,000 elements: at most 16,777,216',
    });
    assert.throws(() => engine.tensorFromValues([], [4097, 4097], 'target', 'int'), {
      message: 'target: 16,785,409 elements: at most 16,777,216',
    });
  });

  test('an eval on .npy inputs gives the value of the same data as nested lists', () => {
    const folder = join(scratch, 'arrays');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    for (const name of [
      'prediction_f4.npy',
      'prediction_f8.npy',
      'prediction_v3.npy',
      'labels_b1.npy',
      'labels_i8.npy',
    ])
      copyFileSync(join(NPY, name), join(folder, 'sub', name));
    const prediction = expected['prediction_f4.npy'];
    const labels = expected['labels_f4.npy'];
    const reference = evalWith({
      prediction: nested(prediction.values, prediction.shape),
      target: nested(labels.values, labels.shape),
    });
    assert.equal(reference.code, 0, reference.message);
    for (const [pred, target] of [
      ['prediction_f4.npy', 'labels_b1.npy'],
      ['prediction_f8.npy', 'labels_i8.npy'],
      ['prediction_v3.npy', 'labels_b1.npy'],
    ]) {
      const path = join(folder, 'inputs.json');
      writeFileSync(
        path,
        JSON.stringify({ prediction: { npy: `sub/${pred}` }, target: { npy: `sub/${target}` }, target_dtype: 'float' }),
      );
      const run = evalFile(path, '--json');
      assert.equal(run.status, 0, run.stderr);
      const out = JSON.parse(run.stdout);
      assert.ok(closeTo(out.value, reference.out.value), `${pred} + ${target}: ${out.value} vs ${reference.out.value}`);
      assert.ok(closeTo(out.grad_norm, reference.out.grad_norm));
    }
  });

  test('refused: Fortran order, big-endian, object arrays, overflow, paths outside the folder', () => {
    const folder = join(scratch, 'refused');
    mkdirSync(folder, { recursive: true });
    for (const name of ['fortran.npy', 'big_endian.npy', 'objects.npy', 'overflow_f8.npy', 'labels_f4.npy'])
      copyFileSync(join(NPY, name), join(folder, name));
    const refused = (npy) => {
      const path = join(folder, 'inputs.json');
      writeFileSync(path, JSON.stringify({ prediction: { npy }, target: { npy: 'labels_f4.npy' } }));
      const run = evalFile(path);
      assert.equal(run.status, 2);
      return run.stderr.replace(`--inputs ${path}: `, '').trim();
    };
    const refusals = {
      'fortran.npy': 'prediction (fortran.npy): Fortran order: save it in C order (np.ascontiguousarray(arr))',
      'big_endian.npy':
        "prediction (big_endian.npy): big-endian dtype '>f4': save it little-endian (arr.astype('<f4'))",
      'objects.npy': 'prediction (objects.npy): an object array (a pickle), never read',
      'overflow_f8.npy': 'prediction[1]: 1e+39 overflows float32 (largest finite value 3.4028234663852886e+38)',
      '../arrays/sub/prediction_f4.npy':
        "prediction: ../arrays/sub/prediction_f4.npy is outside the inputs file's folder: not read",
      '/etc/passwd.npy': 'prediction: /etc/passwd.npy: the path must be relative to the inputs file',
      'missing.npy': '--inputs: cannot read missing.npy: no such file',
    };
    for (const [npy, message] of Object.entries(refusals)) assert.equal(refused(npy), `loss-lens: ${message}`);
  });
});
