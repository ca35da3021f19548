// Containers, strings, ints and tensors are checked against their size limits before they grow, so
// a loss that would exhaust memory (or crash V8) is a limit error at its line; the next loss runs.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { engine } from './helpers.mjs';
import { SMALL_INPUTS, TORCH_HEADER, evaluateTorch, lossReturning, lossWith, rejectsWith } from './limitHelpers.mjs';

/**
 * Evaluates and returns the error and the most elements the backend was asked to allocate at once
 * (a spy on its write): a result refused before allocation never reaches it.
 */
async function evaluateWatchingAllocations(source, limits) {
  const program = await engine.LossProgram.load(source, limits);
  const backend = tf.backend();
  const write = backend.write;
  let largest = 0;
  backend.write = function (values, shape, dtype) {
    largest = Math.max(
      largest,
      shape.reduce((a, b) => a * b, 1),
    );
    return write.call(this, values, shape, dtype);
  };
  try {
    const callable = program.resolveEntry('loss', limits);
    program.evaluate(callable, SMALL_INPUTS, { framework: 'torch', argOrder: 'pred_true', limits, valueOnly: true });
    return { largest };
  } catch (error) {
    return { error, largest };
  } finally {
    backend.write = write;
    program.dispose();
  }
}

describe('size limits are checked before growth', () => {
  before(() => engine.initBackend('auto'));

  test('doubling a tuple of a million items is a limit error at its line, not a V8 crash', async () => {
    const source = lossWith('s = (0,) * 10**6', 'for i in range(10):', '    s = s + s');
    await rejectsWith(evaluateTorch(source), 'limit', /grows a tuple past 1,000,000 items \(to 2,000,000\)/, 5);
  });

  test('lists and tuples: +, *, +=, extend, append, insert, unpacking, list(), dict()', async () => {
    const limits = { maxCollectionLength: 1000 };
    const cases = [
      [['s = (0,) * 600', 's = s + s'], /a tuple past 1,000 items \(to 1,200\)/, 4],
      [['s = [0] * 600', 's = s + s'], /a list past 1,000 items/, 4],
      [['s = (1, 2) * 501'], /a tuple past 1,000 items \(to 1,002\)/, 3],
      [['s = [0] * 600', 's += s'], /a list past 1,000 items/, 4],
      [['s = [0] * 600', 's.extend(s)'], /a list past 1,000 items/, 4],
      [['s = [0] * 1000', 's.append(1)'], /a list past 1,000 items \(to 1,001\)/, 4],
      [['s = [0] * 1000', 's.insert(0, 1)'], /a list past 1,000 items/, 4],
      [['s = [0] * 600', 's = [*s, *s]'], /a list past 1,000 items/, 4],
      [['s = list("x" * 1200)'], /a list past 1,000 items/, 3],
      [['d = dict(zip(range(800), range(800)))', 'd.update(zip(range(800, 1600), range(800)))'], /a dict/, 4],
      [['d = {(i, j): 0 for i in range(40) for j in range(30)}'], /a dict past 1,000 items/, 3],
      [['d = {(i, 0): 0 for i in range(600)}', 'e = {**d, **{(i, 1): 0 for i in range(600)}}'], /a dict past 1,000/, 4],
      [['d = {(i, 0): 0 for i in range(600)}', 'e = d | {(i, 1): 0 for i in range(600)}'], /a dict past 1,000/, 4],
    ];
    for (const [body, pattern, line] of cases)
      await rejectsWith(evaluateTorch(lossWith(...body), limits), 'limit', pattern, line);
  });

  test('strings: +, *, join, format, %, padding and replace, by characters', async () => {
    const limits = { maxStringLength: 1000 };
    const cases = [
      [['s = "x" * 600', 's = s + s'], /a string of 1,200 characters \(at most 1,000\)/, 4],
      [['s = "ab" * 501'], /a string of 1,002 characters/, 3],
      [['s = "x" * 600', 'u = "".join([s, s])'], /a string of 1,200 characters/, 4],
      [['s = "x" * 600', 'u = "-".join([s] * 500)'], /a string of 300,499 characters/, 4],
      [['s = "x" * 600', 'u = "{}{}".format(s, s)'], /a string of 1,200 characters/, 4],
      [['s = "x" * 600', 'u = "%s%s" % (s, s)'], /a string of 1,200 characters/, 4],
      [['u = "x".ljust(5000)'], /a string of 5,000 characters/, 3],
      [['u = "%5000d" % 1'], /a string of 5,000 characters/, 3],
      [['s = "x" * 600', 'u = s.replace("x", "yy")'], /a string of 1,200 characters/, 4],
    ];
    for (const [body, pattern, line] of cases)
      await rejectsWith(evaluateTorch(lossWith(...body), limits), 'limit', pattern, line);
    // A format width that would pad past the default string limit is refused before padding.
    await rejectsWith(evaluateTorch(lossWith('u = f"{1:>100000000}"')), 'limit', /format width/, 3);
  });

  test('what an evaluation builds is counted in all: a comprehension of big lists ends at the total', async () => {
    const source = lossWith('rows = [[0] * 500 for i in range(100)]');
    await rejectsWith(evaluateTorch(source, { maxBuiltItems: 10_000 }), 'limit', /builds more than 10,000 items/, 3);
    await rejectsWith(
      evaluateTorch(lossWith('rows = torch.ones(40, 40).tolist()'), { maxCollectionLength: 1000 }),
      'limit',
      /a list past 1,000 items \(to 1,600\)/,
      3,
    );
  });

  test('ints are bounded before they grow: products, shifts and long digit strings', async () => {
    await rejectsWith(evaluateTorch(lossWith('x = 2 ** 4000', 'y = x * x')), 'limit', /too large an integer/, 4);
    await rejectsWith(evaluateTorch(lossWith('x = 2 ** 4000', 'y = x << 200')), 'limit', /too large an integer/, 4);
    // CPython's own bound on int(str), as its ValueError.
    await rejectsWith(evaluateTorch(lossWith('x = int("9" * 5000)')), 'python', /Exceeds the limit \(4300 digits\)/, 3);
    assert.equal((await evaluateTorch(lossReturning('p.sum() * 0 + (2 ** 64 * 3) % 7'))).value, 6);
  });

  test('sets are built in linear time and keep Python equality', { timeout: 20_000 }, async () => {
    // Membership was a linear scan: set(range(200000)) made 2·10^10 comparisons.
    const big = lossReturning('p.sum() * 0 + len(s)', 's = set(range(200000))', 's.update(range(100000, 300000))');
    assert.equal((await evaluateTorch(big)).value, 300_000);
    const mixed = lossReturning(
      "p.sum() * 0 + len(s) + len(s & {2, 'a'}) * 10",
      "s = {1, 1.0, True, 2, 'a', 'a', (1, 2), (1, 2), None, None}",
    );
    assert.equal((await evaluateTorch(mixed)).value, 25);
  });

  test('tensor results are refused before the kernel allocates them', async () => {
    const limits = { maxTensorElements: 50_000 };
    const cases = [
      ['x = torch.ones(1000)', 'y = torch.cat([x] * 100)'],
      ['x = torch.ones(1000)', 'y = torch.stack([x] * 100)'],
      ['x = torch.ones(1000)', 'y = x.repeat(100)'],
      ['x = torch.ones(1000, 1)', 'y = x.expand(1000, 100)'],
      ['x = torch.ones(1000, 1)', 'y = x * torch.ones(1, 100)'],
      ['i = torch.zeros(1000, dtype=torch.long)', 'y = torch.nn.functional.one_hot(i, 100)'],
      ['x = torch.ones(10, 100)', 'y = x[torch.zeros(1000, dtype=torch.long)]'],
    ];
    for (const body of cases) {
      const { error, largest } = await evaluateWatchingAllocations(lossWith(...body), limits);
      assert.equal(error?.kind, 'limit', `${body[1]}: ${error?.stack ?? 'no error'}`);
      assert.match(error.message, /would hold 100,000 elements \(at most 50,000\)/, body[1]);
      assert.equal(error.line, 4, body[1]);
      assert.ok(largest < 100_000, `${body[1]}: ${largest} elements were allocated`);
    }
    // A matmul whose output fits but whose work does not (4M multiply-adds against 3.2M).
    const { error } = await evaluateWatchingAllocations(
      lossWith('y = torch.ones(100, 400) @ torch.ones(400, 100)'),
      limits,
    );
    assert.match(error?.message ?? '', /would take 4,000,000 multiply-adds/);
  });

  test('a concat of a hundred 16M-element tensors ends at once (it spent minutes in the wasm kernel)', async () => {
    const source = lossWith('x = torch.ones(4096, 4096)', 'y = torch.cat([x] * 100)');
    const { error, largest } = await evaluateWatchingAllocations(source, {});
    assert.match(error?.message ?? '', /the result of cat would hold 1,677,721,600 elements/);
    assert.equal(error.line, 4);
    assert.equal(largest, 4096 * 4096, 'only the 16M-element operand was allocated');
  });

  test('a contract with a huge class count is refused, not looped over forever', { timeout: 20_000 }, async () => {
    const source = `${TORCH_HEADER}def dice_loss(p, t):\n    return (p * t).mean()\n`;
    // The engine validates the contract first (a file-level error); the synthetic inputs' own bound
    // (1 to 1024 classes) stays behind it for callers that build contracts themselves.
    const report = await engine.diagnoseSource('classes.py', source, { contract: { classes: 1e8 } });
    assert.equal(report.error?.kind, 'contract', JSON.stringify(report));
    assert.match(report.error.message, /classes is 100000000: allowed an integer from 1 to 64/);
  });
});
