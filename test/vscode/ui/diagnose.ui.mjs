// UI tests: what a user does. Each test gets the same workbench page, in this order.
import assert from 'node:assert/strict';
import { quickOpen, runFromPalette, sel, toasts } from '../lib/workbench.mjs';

const EXAMPLE = 'torch_soft_dice_ce.py'; // one class, SoftDiceCrossEntropy

export const tests = [
  {
    name: 'an example opens in the editor',
    async run({ page }) {
      await quickOpen(page, EXAMPLE);
      await page.locator(sel.editorLines, { hasText: 'class SoftDiceCrossEntropy' }).waitFor();
    },
  },
  {
    name: '"Diagnose Loss" from the command palette writes its summary to the Loss Lens output',
    async run({ page, screenshot, log }) {
      await quickOpen(page, EXAMPLE);
      await runFromPalette(page, 'Diagnose Loss', 'Loss Lens: Diagnose Loss');
      // The command ends with output.show(true): the Output panel opens on the "Loss Lens" channel.
      const summary = page.locator(sel.outputLines, { hasText: `${EXAMPLE} (backend` });
      await summary.waitFor();
      const text = (await summary.innerText()).replace(/\u00a0/g, ' '); // Monaco renders spaces as U+00A0
      log(`  output: ${text.split('\n').find((l) => l.includes(EXAMPLE))?.trim()}`);
      assert.match(text, /\(backend \w+\): 1 definitions, \d+ notes/);
      await screenshot('diagnose-loss-output');
      const problems = (await toasts(page)).filter((t) => t.severity !== 'info');
      assert.deepEqual(problems, [], 'no warning or error notification');
    },
  },
  {
    name: '"Diagnose Loss" on a text file says to open a Python file',
    async run({ page, screenshot }) {
      await quickOpen(page, 'notes.txt');
      await runFromPalette(page, 'Diagnose Loss', 'Loss Lens: Diagnose Loss');
      await page.locator(sel.toastShown, { hasText: 'Loss Lens: open a Python file with a loss function first.' }).waitFor();
      await screenshot('diagnose-loss-not-python');
      const shown = await toasts(page);
      assert.deepEqual(shown.filter((t) => t.text.startsWith('Loss Lens')).map((t) => t.severity), ['info'], JSON.stringify(shown));
    },
  },
];
