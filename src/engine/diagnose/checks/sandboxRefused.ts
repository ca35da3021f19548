// sandbox-refused: file-level code the interpreter refuses to run (file, process and network
// access, dynamic code), reported from the notes the program took while loading.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import type { InterpreterError } from '../../python/errors';
import type { LoadNote } from '../../python/interpreter';

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

export function check(loadNotes: readonly LoadNote[]): Finding<typeof rule.id>[] {
  return loadNotes
    .filter((n) => n.kind === 'sandbox')
    .map((n) => makeFinding(rule, n.range, { detail: n.message.replace(/^sandbox: /, '') }));
}

/** A loss that reached refused code while it ran: the finding at that line (the loss stops there). */
export function fromError(error: InterpreterError): Finding<typeof rule.id> | undefined {
  if (error.kind !== 'sandbox' || !error.range) return undefined;
  return makeFinding(rule, error.range, { detail: error.message.replace(/^sandbox: /, '') });
}
