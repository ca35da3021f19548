// The model of OpenCV's cv2 (OpenCV cannot be installed here): structuring elements as OpenCV's
// getStructuringElement builds them (known outputs such as the 3×3 cross and the 5×5 and 7×7
// ellipses, and rows derived by hand from its documented construction), erode/dilate/morphologyEx
// against a plain reference written from OpenCV's documented formula, and how `import cv2`
// resolves: the model only where nothing on the project's paths provides cv2.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engine, fixedLabels, fixedPrediction } from './helpers.mjs';

async function run(source, { framework = 'numpy', shape = [1, 1, 4, 4] } = {}) {
  const program = await engine.LossProgram.load(source);
  try {
    return program.evaluate(
      program.resolveEntry('loss'),
      { prediction: fixedPrediction(shape), target: fixedLabels(shape), targetDtype: 'float' },
      { framework, argOrder: 'pred_true', valueOnly: true },
    );
  } finally {
    program.dispose();
  }
}

async function failure(source, options) {
  try {
    await run(source, options);
  } catch (error) {
    return error.message;
  }
  assert.fail('the evaluation did not fail');
}

/** Asserts Python conditions inside a loss (each `assert` line of `body`); the loss returns 0. */
const checks = (body) => `import numpy as np\nimport cv2\n\ndef loss(p, t):\n${body}    return 0.0\n`;

describe('cv2.getStructuringElement', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('rectangles, crosses and ellipses as OpenCV builds them (ksize is (width, height))', async () => {
    const element = (shape, ksize, expected, anchor = '') =>
      `    e = cv2.getStructuringElement(cv2.MORPH_${shape}, ${ksize}${anchor})\n` +
      `    assert e.dtype == np.uint8 and e.tolist() == ${JSON.stringify(expected)}, ('${shape}', e.tolist())\n`;
    const body = [
      element('CROSS', '(3, 3)', [
        [0, 1, 0],
        [1, 1, 1],
        [0, 1, 0],
      ]),
      element('CROSS', '(5, 3)', [
        [0, 0, 1, 0, 0],
        [1, 1, 1, 1, 1],
        [0, 0, 1, 0, 0],
      ]),
      // Only a cross depends on the anchor: the row and column through it.
      element(
        'CROSS',
        '(3, 3)',
        [
          [1, 1, 1],
          [1, 0, 0],
          [1, 0, 0],
        ],
        ', (0, 0)',
      ),
      element('RECT', '(3, 2)', [
        [1, 1, 1],
        [1, 1, 1],
      ]),
      element('ELLIPSE', '(5, 5)', [
        [0, 0, 1, 0, 0],
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1],
        [0, 0, 1, 0, 0],
      ]),
      element('ELLIPSE', '(7, 7)', [
        [0, 0, 0, 1, 0, 0, 0],
        [0, 1, 1, 1, 1, 1, 0],
        [1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1],
        [0, 1, 1, 1, 1, 1, 0],
        [0, 0, 0, 1, 0, 0, 0],
      ]),
      // r = 3, c = 2: half-widths round(2·sqrt(1 - dy²/9)) = 0, 1, 2, 2 (1.49 rounds down, 1.89 up).
      element('ELLIPSE', '(5, 7)', [
        [0, 0, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 0, 0],
      ]),
      // Even sizes: r = c = 2 centred at (2, 2), the last column cut off by the width.
      element('ELLIPSE', '(4, 4)', [
        [0, 0, 1, 0],
        [1, 1, 1, 1],
        [1, 1, 1, 1],
        [1, 1, 1, 1],
      ]),
      element('ELLIPSE', '(1, 1)', [[1]]),
      '    assert cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)).shape == (5, 3)\n',
      '    assert (cv2.MORPH_RECT, cv2.MORPH_CROSS, cv2.MORPH_ELLIPSE) == (0, 1, 2)\n',
    ].join('');
    assert.equal((await run(checks(body))).value, 0);
  });

  test("OpenCV's assertions: unknown shape, empty size, anchor outside the element", async () => {
    const call = (args) => `import cv2\n\ndef loss(p, t):\n    return cv2.getStructuringElement(${args}).sum()\n`;
    assert.match(await failure(call('3, (3, 3)')), /shape == MORPH_RECT/);
    assert.match(await failure(call('cv2.MORPH_RECT, (0, 3)')), /anchor\.inside/);
    assert.match(await failure(call('cv2.MORPH_CROSS, (3, 3), (3, 0)')), /anchor\.inside/);
  });
});

/**
 * OpenCV's erode/dilate as documented: dst(y, x) = min (max) over the non-zero kernel elements (i, j)
 * of src(y + i - anchor.y, x + j - anchor.x), pixels outside the image ignored (the default border);
 * `iterations` passes. Plain loops: independent of the model's implementation.
 */
function reference(src, h, w, kernel, kh, kw, { erode, anchor = [-1, -1], iterations = 1 }) {
  const [ax, ay] = [anchor[0] < 0 ? Math.floor(kw / 2) : anchor[0], anchor[1] < 0 ? Math.floor(kh / 2) : anchor[1]];
  let current = Float64Array.from(src);
  for (let pass = 0; pass < iterations; pass++) {
    const next = new Float64Array(h * w);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let best = erode ? Infinity : -Infinity;
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const [sy, sx] = [y + i - ay, x + j - ax];
            if (!kernel[i * kw + j] || sy < 0 || sy >= h || sx < 0 || sx >= w) continue;
            best = erode ? Math.min(best, current[sy * w + sx]) : Math.max(best, current[sy * w + sx]);
          }
        next[y * w + x] = best;
      }
    current = next;
  }
  return Array.from(current);
}

/**
 * A pixel no kernel element reaches inside the image (a kernel that misses its anchor) gets the
 * default border: the dtype's largest value for erode, smallest for dilate (0 for uint8).
 */
const FLT_MAX = 3.4028234663852886e38;
const saturated = (values, max) =>
  values.map((v) => (v === Infinity ? max : v === -Infinity ? (max === 255 ? 0 : -max) : v));

const IMAGE = { h: 6, w: 7 };
const pixel = (i) => Math.round(255 * ((i * 0.6180339887) % 1));
const image = Array.from({ length: IMAGE.h * IMAGE.w }, (_, i) => pixel(i));
const KERNELS = {
  cross: { k: [0, 1, 0, 1, 1, 1, 0, 1, 0], kh: 3, kw: 3 },
  ellipse: { k: [0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0], kh: 5, kw: 5 },
  lopsided: { k: [1, 1, 0, 0, 0, 1], kh: 2, kw: 3 },
  square: { k: [1, 1, 1, 1, 1, 1, 1, 1, 1], kh: 3, kw: 3 },
};

describe('cv2.erode, cv2.dilate, cv2.morphologyEx', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('a hand-checked erosion and dilation with the 3×3 cross', async () => {
    const body = `    x = np.zeros((5, 6), np.uint8)
    x[1:4, 1:5] = 200
    x[2, 2] = 50
    cross = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
    e = cv2.erode(x, cross)
    assert e.dtype == np.uint8 and e.tolist() == [[0] * 6, [0] * 6, [0, 0, 50, 50, 0, 0], [0] * 6, [0] * 6], e
    assert cv2.dilate(x, cross, iterations=2).tolist() == [[200] * 6] * 5
    assert cv2.erode(x, cross, iterations=0).tolist() == x.tolist()
`;
    assert.equal((await run(checks(body))).value, 0);
  });

  for (const [name, { k, kh, kw }] of Object.entries(KERNELS))
    for (const erode of [true, false])
      for (const [iterations, anchor] of [
        [1, [-1, -1]],
        [2, [-1, -1]],
        [3, [0, 1]],
      ]) {
        const fn = erode ? 'erode' : 'dilate';
        test(`${fn} with the ${name} kernel, ${iterations} iteration(s), anchor ${anchor}`, async () => {
          const expected = reference(image, IMAGE.h, IMAGE.w, k, kh, kw, { erode, anchor, iterations });
          const body = `    x = np.array(${JSON.stringify(image)}, dtype=np.uint8).reshape(${IMAGE.h}, ${IMAGE.w})
    k = np.array(${JSON.stringify(k)}, dtype=np.uint8).reshape(${kh}, ${kw})
    anchor = (${anchor.join(', ')})
    r = cv2.${fn}(x, k, anchor=anchor, iterations=${iterations})
    assert r.dtype == np.uint8 and r.ravel().tolist() == ${JSON.stringify(saturated(expected, 255))}, r.ravel()
    r = cv2.${fn}(x.astype(np.float32), k, anchor=anchor, iterations=${iterations})
    assert r.dtype == np.float32 and r.ravel().tolist() == ${JSON.stringify(saturated(expected, FLT_MAX))}, r.ravel()
`;
          assert.equal((await run(checks(body))).value, 0);
        });
      }

  test('(H, W, C) images channel by channel; explicit borders', async () => {
    const { k, kh, kw } = KERNELS.cross;
    const plane = (c) => image.map((v, i) => (v + 37 * c * i) % 256);
    const channels = [0, 1, 2].map((c) => reference(plane(c), IMAGE.h, IMAGE.w, k, kh, kw, { erode: true }));
    const interleaved = image.flatMap((_, i) => channels.map((ch) => ch[i]));
    const body = `    image = ${JSON.stringify(image)}
    planes = [[(v + 37 * c * i) % 256 for i, v in enumerate(image)] for c in range(3)]
    x = np.array(planes, dtype=np.uint8).reshape(3, ${IMAGE.h}, ${IMAGE.w}).transpose(1, 2, 0)
    r = cv2.erode(x, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))
    assert r.shape == x.shape and r.ravel().tolist() == ${JSON.stringify(interleaved)}, r.ravel().tolist()
    row = np.array([[5, 1, 9]], dtype=np.uint8)
    wide = np.ones((1, 3), np.uint8)
    assert cv2.dilate(row, wide, borderType=cv2.BORDER_CONSTANT, borderValue=7).tolist() == [[7, 9, 9]]
    assert cv2.erode(row, wide, borderType=cv2.BORDER_REPLICATE).tolist() == [[1, 1, 1]]
    assert cv2.erode(row, wide, borderType=cv2.BORDER_REFLECT_101).tolist() == [[1, 1, 1]]
    assert cv2.dilate(row, wide, borderType=cv2.BORDER_REFLECT).tolist() == [[5, 9, 9]]
`;
    assert.equal((await run(checks(body))).value, 0);
  });

  test('morphologyEx: open, close, gradient, top hat, black hat as erode/dilate compose them', async () => {
    const { k, kh, kw } = KERNELS.ellipse;
    const ref = (src, erode) => reference(src, IMAGE.h, IMAGE.w, k, kh, kw, { erode });
    const open = ref(ref(image, true), false);
    const close = ref(ref(image, false), true);
    const gradient = ref(image, false).map((v, i) => v - ref(image, true)[i]);
    const tophat = image.map((v, i) => Math.max(v - open[i], 0));
    const blackhat = close.map((v, i) => Math.max(v - image[i], 0));
    const body = `    x = np.array(${JSON.stringify(image)}, dtype=np.uint8).reshape(${IMAGE.h}, ${IMAGE.w})
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    got = [cv2.morphologyEx(x, op, k).ravel().tolist() for op in
           (cv2.MORPH_OPEN, cv2.MORPH_CLOSE, cv2.MORPH_GRADIENT, cv2.MORPH_TOPHAT, cv2.MORPH_BLACKHAT)]
    assert got == ${JSON.stringify([open, close, gradient, tophat, blackhat])}, got
`;
    assert.equal((await run(checks(body))).value, 0);
  });

  test('an erosion of the prediction passes the gradient to the winning pixels (numpy read as autograd)', async () => {
    const source = `import numpy as np\nimport cv2\n\ndef loss(p, t):
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    return cv2.erode(p[0, 0], k).sum()\n`;
    const program = await engine.LossProgram.load(source);
    try {
      const shape = [1, 1, 4, 4];
      const evaluation = program.evaluate(
        program.resolveEntry('loss'),
        { prediction: fixedPrediction(shape), target: fixedLabels(shape), targetDtype: 'float' },
        { framework: 'numpy', argOrder: 'pred_true' },
      );
      // Each output pixel's minimum is one input pixel: the gradient counts how often each one wins.
      assert.equal(
        evaluation.gradient.reduce((a, b) => a + b, 0),
        16,
      );
    } finally {
      program.dispose();
    }
  });
});

describe('import cv2', () => {
  let scratch;
  before(async () => {
    await engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto');
    scratch = mkdtempSync(join(tmpdir(), 'loss-lens-cv2-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const KERNEL_LOSS = `import cv2
import torch


def kernel_loss(pred, target):
    k = torch.from_numpy(cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))).float()
    return ((pred - target) ** 2).mean() * k.sum()
`;

  /** Diagnoses `source` as loss.py of a project folder holding `files` too. */
  async function diagnoseIn(name, source, files = {}) {
    const root = join(scratch, name);
    mkdirSync(root, { recursive: true });
    for (const [path, text] of Object.entries({ ...files, 'loss.py': source })) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const file = join(root, 'loss.py');
    const layout = engine.projectLayout(engine.fileSystemHost, file, { root });
    return engine.diagnoseSource(file, source, { project: { layout, host: engine.fileSystemHost } });
  }

  test('nothing on the paths provides cv2: the model (5 = the cross kernel sum scales the loss)', async () => {
    const [loss] = (await diagnoseIn('absent', KERNEL_LOSS)).losses;
    assert.equal(loss.error, undefined, loss.error?.message);
  });

  test("a project's own cv2.py (or an environment's) wins over the model", async () => {
    const own = 'def getStructuringElement(shape, size):\n    raise ValueError("the project cv2")\nMORPH_CROSS = 1\n';
    const [loss] = (await diagnoseIn('own', KERNEL_LOSS, { 'cv2.py': own })).losses;
    assert.match(loss.error?.message ?? '', /the project cv2/);
    const venv = { '.venv/pyvenv.cfg': 'home = /usr/bin\n', '.venv/lib/python3.11/site-packages/cv2/__init__.py': own };
    const [inVenv] = (await diagnoseIn('venv', KERNEL_LOSS, venv)).losses;
    assert.match(inVenv.error?.message ?? '', /the project cv2/);
  });

  test("other names of cv2 stay unresolved until they reach the loss, then named with the import's line", async () => {
    const source = `import numpy as np
import cv2 as cv
import torch
from cv2 import imread


def show(mask):
    cv.imshow("mask", mask)


def contour_loss(pred, target):
    edges = cv.Canny(target.numpy().astype(np.uint8), 0, 1)
    return (pred * edges).mean()
`;
    const report = await engine.diagnoseSource('contour.py', source);
    const [loss] = report.losses;
    assert.match(loss.error.message, /unresolved import: .*cv2\.Canny comes from 'cv2' \(line 2\)/);
    const quiet = `import cv2\nimport torch\nfrom cv2 import imwrite\n\n\ndef dice_loss(pred, target):
    if False:
        imwrite("x.png", cv2.cvtColor(pred, cv2.COLOR_GRAY2BGR))
    return 1 - (2 * (pred * target).sum() + 1) / (pred.sum() + target.sum() + 1)\n`;
    const [clean] = (await engine.diagnoseSource('quiet.py', quiet)).losses;
    assert.equal(clean.error, undefined);
  });
});
