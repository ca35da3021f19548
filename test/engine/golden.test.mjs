// Every fixture against golden values from real PyTorch 1.13 / numpy (test/golden/make_golden.py):
// the loss value and d(loss)/d(prediction) to 1e-4 relative, and "no gradient" exactly where the
// framework has none. Runs through evaluateFile, the same path as `loss-lens eval`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, closeTo, engine, flatten, relativeL2 } from './helpers.mjs';

const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'golden.json'), 'utf8'));

describe('interpreter matches real PyTorch/numpy on the fixture corpus', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('the corpus is large and spans every framework', () => {
    const frameworks = new Set(golden.cases.map((c) => c.framework));
    assert.ok(golden.cases.length >= 40, `${golden.cases.length} fixtures`);
    for (const f of ['keras', 'tf', 'torch', 'numpy', 'theano']) assert.ok(frameworks.has(f), `no ${f} fixture`);
  });

  for (const fixture of golden.cases) {
    test(`${fixture.fixture} (${fixture.entry})`, async () => {
      const report = await engine.evaluateFile({
        path: join(ROOT, fixture.fixture),
        entry: fixture.entry,
        framework: fixture.framework,
        argOrder: fixture.argOrder,
        inputs: { prediction: fixture.prediction, target: fixture.target, targetDtype: fixture.targetDtype },
      });
      assert.ok(closeTo(report.value, fixture.value), `value ${report.value}, expected ${fixture.value}`);
      if (fixture.gradient === null) {
        assert.equal(report.gradNorm, null, 'the framework has no gradient path here, the interpreter found one');
        return;
      }
      assert.notEqual(report.evaluation.gradient, null, 'the framework has a gradient path, the interpreter cut it');
      const expected = flatten(fixture.gradient);
      const { diff, norm, mismatched } = relativeL2(report.evaluation.gradient, expected);
      assert.equal(mismatched, 0, `${mismatched} gradient entries differ in NaN/Inf`);
      assert.ok(diff <= 1e-4 * norm + 1e-7, `gradient off by ${diff.toExponential(3)} (norm ${norm.toExponential(3)})`);
    });
  }
});
