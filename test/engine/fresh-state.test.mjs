// Fresh state per file: the engine process analyses file after file, and nothing one file does to
// the framework modules reaches the next (a file that set os.environ or a dtype's attribute gave the
// next one a false non-differentiable error). Mutable framework state is rebuilt for each analysis;
// what every analysis shares (dtype and device objects) is read-only, as in the frameworks.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

const require = createRequire(import.meta.url);

const lossGuardedBy = (imports, guard) => `import torch
${imports}

def dice_loss(y_pred, y_true):
    ${guard}
    inter = (y_pred * y_true).sum()
    return 1 - (2 * inter + 1) / (y_pred.sum() + y_true.sum() + 1)
`;

/** [what file A does at its top level, the imports and guard of file B's loss]: B is clean alone. */
const MUTATIONS = {
  'os.environ': [
    "import os\nos.environ['LOSS_MODE'] = 'hard'",
    ['import os', "if os.environ.get('LOSS_MODE') == 'hard': y_pred = (y_pred > 0.5).float()"],
  ],
  'a torch.device attribute': [
    "import torch\ntorch.device('cpu').type = 'cuda'",
    ['', "if y_pred.device.type == 'cuda': y_pred = y_pred.round()"],
  ],
  'a torch dtype attribute': [
    'import torch\ntorch.float32.is_floating_point = False',
    ['', 'if not y_pred.dtype.is_floating_point: y_pred = y_pred.round()'],
  ],
  'a numpy dtype attribute': [
    "import numpy as np\nnp.dtype('float32').name = 'int8'",
    ['import numpy as np', "if np.dtype('float32').name == 'int8': y_pred = y_pred.round()"],
  ],
  "Keras's custom objects": [
    "from tensorflow.keras.utils import get_custom_objects\nget_custom_objects()['dice_loss'] = 'hard'",
    [
      'from tensorflow.keras.utils import get_custom_objects',
      "if get_custom_objects().get('dice_loss') == 'hard': y_pred = y_pred.round()",
    ],
  ],
  'theano.config': [
    "import theano\ntheano.config.floatX = 'int8'",
    ['import theano', "if theano.config.floatX == 'int8': y_pred = y_pred.round()"],
  ],
  'a module attribute': [
    'import torch\nimport numpy as np\ntorch.nn.functional.softmax = None\nnp.pi = 3',
    ['import numpy as np', 'if np.pi == 3 or torch.nn.functional.softmax is None: y_pred = y_pred.round()'],
  ],
};

const verdicts = (report) =>
  report.losses.map((l) => ({ entry: l.entry, error: l.error, findings: l.findings.map((f) => [f.kind, f.line]) }));

for (const [what, [mutation, [imports, guard]]] of Object.entries(MUTATIONS))
  test(`a file that changes ${what} does not change the verdict on the next file`, async () => {
    const options = { contract: { framework: 'torch' } };
    const b = lossGuardedBy(imports, guard);
    const alone = verdicts(await engine.diagnoseSource('b.py', b, options));
    assert.deepEqual(
      alone[0].findings.map(([kind]) => kind),
      ['batch-pooled-dice'],
      'B is clean alone',
    );
    const a = `${mutation}\n\ndef other_loss(p, t):\n    return (p * t).mean()\n`;
    await engine.diagnoseSource('a.py', a, options);
    assert.deepEqual(verdicts(await engine.diagnoseSource('b.py', b, options)), alone);
  });

test('dtype and device objects are read-only to Python code, as in the frameworks', async () => {
  const source = `import torch

def dice_loss(y_pred, y_true):
    try:
        y_pred.dtype.is_floating_point = False
    except AttributeError as error:
        message = str(error)
    assert message == "attribute 'is_floating_point' of 'dtype' objects is not writable", message
    try:
        del y_pred.device.type
    except AttributeError:
        return (y_pred * y_true).mean()
`;
  const report = await engine.diagnoseSource('x.py', source, { contract: { framework: 'torch' } });
  assert.equal(report.losses[0].error, undefined, JSON.stringify(report.losses[0].error));
});

let internals;
let bundleDir;
before(async () => {
  // The interpreter's module registry and value classes, bundled on the spot (TF.js stays external:
  // the bundle sits under the repository so node finds it in node_modules).
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  bundleDir = mkdtempSync(join(ROOT, 'out', 'fresh-state-'));
  const entry = join(bundleDir, 'entry.ts');
  const python = join(ROOT, 'src', 'engine', 'python');
  writeFileSync(
    entry,
    [
      `export { freshModules, getModule, registeredModules } from '${python}/modules/registry';`,
      `export * from '${python}/values';`,
      `export { isFrozen } from '${python}/frozen';`,
      `import '${python}/modules/all';`,
    ].join('\n'),
  );
  const outfile = join(bundleDir, 'internals.js');
  await require('esbuild').build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['@tensorflow/*'],
    logLevel: 'warning',
  });
  internals = require(outfile);
});
after(() => bundleDir && rmSync(bundleDir, { recursive: true, force: true }));

/** The values Python code could change (containers, instances, classes of its own, functions) under every module. */
function mutableValues() {
  const { PyDict, PyList, PyTuple, PyInstance, PyClass, PyFunction, PyModule, isFrozen } = internals;
  const found = new Map();
  const seen = new Set();
  const visit = (value, path, depth) => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 4) return;
    seen.add(value);
    const mutable =
      value instanceof PyDict ||
      value instanceof PyList ||
      (value instanceof PyInstance && !isFrozen(value)) ||
      (value instanceof PyClass && !value.qualifiedName) ||
      value instanceof PyFunction;
    if (mutable) found.set(value, path);
    const children =
      value instanceof PyModule ||
      value instanceof PyInstance ||
      value instanceof PyClass ||
      value instanceof PyFunction
        ? [...value.attrs]
        : value instanceof PyDict
          ? [...value.entries.values()].map(([key, item]) => [String(key), item])
          : value instanceof PyList || value instanceof PyTuple
            ? value.items.map((item, i) => [String(i), item])
            : [];
    for (const [name, child] of children) visit(child, `${path}.${name}`, depth + 1);
  };
  for (const name of internals.registeredModules()) visit(internals.getModule(name), name, 0);
  return found;
}

test('no mutable value under the framework modules outlives an analysis', () => {
  internals.freshModules();
  const first = mutableValues();
  assert.ok(
    ['os.environ', 'theano.config'].every((path) => [...first.values()].includes(path)),
    [...first.values()].join(', '),
  );
  internals.freshModules();
  const second = mutableValues();
  const shared = [...first].filter(([value]) => second.has(value)).map(([, path]) => path);
  assert.deepEqual(shared, []);
});
