// sandbox-refused: code a loss runs that the interpreter refuses to run (file, process and network
// access, dynamic code). Refused module-level code is a file note (not-executed), not a finding.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import type { InterpreterError } from '../../python/errors';

export const rule = defineRule({
  id: 'sandbox-refused',
  severity: 'warning',
  title: 'Code that Loss Lens never runs',
  message: '{detail}',
  explanation:
    'Loss Lens interprets the tensor subset of Python in a sandbox: it never opens files, starts processes, ' +
    'opens connections or evaluates dynamic code. Code that does is reported here and not executed; losses that ' +
    'do not depend on it are still analysed.',
  fix: 'Keep file and process access out of the loss function.',
  example: {
    bug: `import os
import torch

def dice_loss(pred, target, smooth=1.0):
    os.makedirs("debug", exist_ok=True)  # refused: the sandbox opens no files
    inter = (pred * target).sum()
    return 1 - (2 * inter + smooth) / (pred.sum() + target.sum() + smooth)
`,
    fixed: `import torch

def dice_loss(pred, target, smooth=1.0):
    inter = (pred * target).sum()
    return 1 - (2 * inter + smooth) / (pred.sum() + target.sum() + smooth)
`,
  },
});

/** The note for refused module-level code: what was refused, and that it was not run. */
export const notExecuted = (message: string) =>
  `not executed: ${message.replace(/^sandbox: /, '').replace(/; not executed$/, '')}`;

/** A loss that reached refused code while it ran: the finding at that line (the loss stops there). */
export function fromError(error: InterpreterError): Finding<typeof rule.id> | undefined {
  if (error.kind !== 'sandbox' || !error.range) return undefined;
  return makeFinding(rule, error.range, { detail: error.message.replace(/^sandbox: /, '') });
}
