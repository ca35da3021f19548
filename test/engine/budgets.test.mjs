// The step budget and the clock cover every path: limits and cancellation cannot be caught by the
// code's own except/finally/__exit__, long native work (sorts, lambdas called by builtins) reads the
// clock, and a diagnosis has one deadline per loss and one per file.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine } from './helpers.mjs';
import { TORCH_HEADER, evaluateTorch, lossWith, rejectsWith } from './limitHelpers.mjs';

/** A cancellation flag that turns true after `polls` reads: how often the evaluation read the clock. */
function cancelledAfter(polls) {
  const flag = { polls: 0 };
  flag.isCancelled = () => ++flag.polls > polls;
  return flag;
}

/** A loss whose evaluations each take a few hundred ms (within their own wall time), then a quick one. */
const SLOW_THEN_QUICK = [
  'import torch',
  '',
  'def slow_loss(p, t):',
  '    n = 0',
  '    for i in range(190000):',
  '        n = n + i * 2 - 1',
  '    return (p - t).abs().mean()',
  '',
  'def quick_loss(p, t):',
  '    return (p - t).abs().mean()',
  '',
].join('\n');

describe('budgets cover every path', () => {
  before(() => engine.initBackend('auto'));

  test('no except clause catches a limit, whatever it names', async () => {
    for (const handler of [
      'except:',
      'except Exception:',
      'except BaseException:',
      'except (ValueError, BaseException) as e:',
    ]) {
      // A handler that caught the recursion limit would retry the recursion at every level (2^150 calls).
      const source =
        `${TORCH_HEADER}def f(n):\n    try:\n        return f(n + 1)\n    ${handler}\n        return f(n + 1)\n\n` +
        'def loss(p, t):\n    return f(0) + p.sum()\n';
      await rejectsWith(evaluateTorch(source), 'limit', /recursion depth/);
    }
    // ...nor cancellation, even from inside a bare except's own body.
    const flag = cancelledAfter(3);
    const looping = lossWith(
      'x = p',
      'for i in range(100000):',
      '    try:',
      '        x = x * 1.0',
      '    except:',
      '        x = x * 1.0',
    );
    await rejectsWith(evaluateTorch(looping, {}, flag), 'cancelled');
  });

  test(
    "a limit does not run the code's __exit__ (which could retry the recursion at every level)",
    { timeout: 20_000 },
    async () => {
      const source = [
        'import torch',
        'class Guard:',
        '    def __enter__(self):',
        '        return self',
        '    def __exit__(self, *exc):',
        '        return f(1)',
        '',
        'def f(n):',
        '    with Guard():',
        '        return f(n + 1)',
        '',
        'def loss(p, t):',
        '    return f(0) + p.sum()',
        '',
      ].join('\n');
      await rejectsWith(evaluateTorch(source), 'limit', /recursion depth/);
      // A Python exception still runs __exit__, as in Python.
      const exits = [
        'import torch',
        'seen = []',
        'class Note:',
        '    def __enter__(self):',
        '        return self',
        '    def __exit__(self, *exc):',
        '        seen.append(1)',
        '',
        'def loss(p, t):',
        '    try:',
        '        with Note():',
        '            raise ValueError("x")',
        '    except ValueError:',
        '        pass',
        '    return p.sum() * 0 + len(seen)',
        '',
      ].join('\n');
      assert.equal((await evaluateTorch(exits)).value, 1);
    },
  );

  test('a builtin that calls Python many times (sorted with a key) reads the clock while it runs', async () => {
    // The lambda's calls are no statements: before, they never reached the clock, so a sort of a
    // million items with a key ran for seconds past the wall-time limit.
    const source = lossWith('xs = torch.arange(20000).tolist()', 'ys = sorted(xs, key=lambda v: -v)');
    await rejectsWith(evaluateTorch(source, {}, cancelledAfter(50)), 'cancelled', undefined, 4);
  });

  test('long native work (sorting, converting, joining) counts as ticks and reads the clock', async () => {
    const sorts = lossWith('xs = list(range(100000))', 'for i in range(20):', '    ys = sorted(xs)');
    await rejectsWith(evaluateTorch(sorts, {}, cancelledAfter(10)), 'cancelled');
    const conversions = lossWith('x = torch.ones(300, 300)', 'for i in range(20):', '    rows = x.tolist()');
    await rejectsWith(evaluateTorch(conversions, {}, cancelledAfter(10)), 'cancelled');
  });

  test("a loss's diagnosis has one deadline over all its evaluations; the next loss still runs", async () => {
    // Each evaluation of slow_loss stays well within its own wall time; a diagnosis makes a dozen or more.
    const report = await engine.diagnoseSource('budget.py', SLOW_THEN_QUICK, { limits: { maxLossDiagnosisMs: 1000 } });
    const [slow, quick] = report.losses;
    assert.equal(slow.error?.kind, 'limit', JSON.stringify(slow.error));
    assert.match(slow.error.message, /this loss's diagnosis took longer than 1,000 ms/);
    assert.equal(quick.error, undefined, JSON.stringify(quick.error));
  });

  test("a file's diagnosis has one deadline: the losses after it are reported at once, not run", async () => {
    const report = await engine.diagnoseSource('budget.py', SLOW_THEN_QUICK, { limits: { maxFileDiagnosisMs: 300 } });
    assert.deepEqual(
      report.losses.map((loss) => [
        loss.name,
        loss.error?.kind,
        /this file's diagnosis took longer/.test(loss.error?.message),
      ]),
      [
        ['slow_loss', 'limit', true],
        ['quick_loss', 'limit', true],
      ],
    );
  });

  test("a module's top-level code runs under the file's deadline and stops when cancelled", async () => {
    const slowModule = ['import torch', 'N = 0', 'while N < 10 ** 9:', '    N = N + 1', ''].join('\n');
    const source = `${slowModule}\ndef quick_loss(p, t):\n    return (p - t).abs().mean()\n`;
    // The loop-iteration limit out of the way: the clock, not the step count, must stop it.
    const limits = { maxFileDiagnosisMs: 300, maxLoopIterations: 10 ** 9 };
    const timed = await engine.diagnoseSource('slow_module.py', source, { limits });
    assert.equal(timed.error?.kind, 'limit', JSON.stringify(timed.error));
    assert.match(timed.error.message, /this file's diagnosis took longer than 300 ms/);
    const flag = cancelledAfter(5);
    await rejectsWith(engine.diagnoseSource('slow_module.py', source, { isCancelled: flag.isCancelled }), 'cancelled');
    assert.ok(flag.polls > 5, 'the top-level loop read the cancellation flag');
  });
});
