// Shared by the sandbox and limit tests: one evaluation of a small torch loss, and the check that it
// ends in a typed interpreter error.
import assert from 'node:assert/strict';
import { engine } from './helpers.mjs';

export const TORCH_HEADER = 'import torch\n';

/** A torch loss whose body is `lines` (after `def loss(p, t):`), returning `result`. */
export const lossReturning = (result, ...lines) =>
  `${TORCH_HEADER}def loss(p, t):\n${lines.map((l) => `    ${l}\n`).join('')}    return ${result}\n`;

/** A torch loss whose body is `lines`, returning p.sum(). */
export const lossWith = (...lines) => lossReturning('p.sum()', ...lines);

/** A 2×4 prediction of 0.5 and a target of ones. */
export const SMALL_INPUTS = {
  prediction: { data: new Float32Array(8).fill(0.5), shape: [2, 4] },
  target: { data: new Float32Array(8).fill(1), shape: [2, 4] },
  targetDtype: 'float',
};

/** Loads `source` and evaluates its `entry` (default `loss`) as a torch loss f(prediction, target) on 2×4 inputs. */
export async function evaluateTorch(source, limits = {}, options = {}) {
  const program = await engine.LossProgram.load(source, limits);
  try {
    const callable = program.resolveEntry(options.entry ?? 'loss', limits);
    return program.evaluate(callable, SMALL_INPUTS, {
      framework: 'torch',
      argOrder: 'pred_true',
      limits,
      isCancelled: options.isCancelled,
    });
  } finally {
    program.dispose();
  }
}

/** The promise rejects with an InterpreterError of `kind`, its message matching `pattern`, at `line`. */
export function rejectsWith(promise, kind, pattern, line) {
  return assert.rejects(promise, (error) => {
    assert.equal(error.name, 'InterpreterError', `not an InterpreterError: ${error.stack}`);
    assert.equal(error.kind, kind, error.message);
    if (pattern) assert.match(error.message, pattern);
    if (line !== undefined) assert.equal(error.line, line, `line of: ${error.message}`);
    return true;
  });
}
