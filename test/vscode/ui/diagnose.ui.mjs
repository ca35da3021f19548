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
    name: '"Diagnose Loss" from the command palette: the CodeLens shows the verdict',
    async run({ page, screenshot }) {
      await quickOpen(page, EXAMPLE);
      await runFromPalette(page, 'Diagnose Loss', 'Loss Lens: Diagnose Loss');
      await page.locator(sel.codeLens, { hasText: 'Loss Lens: no problems found' }).waitFor();
      await screenshot('diagnose-loss-verdict');
      const problems = (await toasts(page)).filter((t) => t.severity !== 'info');
      assert.deepEqual(problems, [], 'no warning or error notification');
    },
  },
  {
    name: 'clicking the "Diagnose Loss" lens on a buggy example puts its error in the Problems count',
    async run({ page, screenshot }) {
      await quickOpen(page, 'torch_argmax_dice.py');
      await page.locator(sel.codeLens, { hasText: 'Diagnose Loss' }).first().click();
      await page.locator(sel.codeLens, { hasText: 'Loss Lens: 1 error' }).waitFor();
      await page.locator(`${sel.problemsStatus}[aria-label*="Errors: 1"]`).waitFor();
      await screenshot('diagnose-lens-problems');
    },
  },
  {
    name: '"Diagnose Loss" on a text file says to open a Python file',
    async run({ page, screenshot }) {
      await quickOpen(page, 'notes.txt');
      await runFromPalette(page, 'Diagnose Loss', 'Loss Lens: Diagnose Loss');
      await page
        .locator(sel.toastShown, { hasText: 'Loss Lens: open a Python file with a loss function first.' })
        .waitFor();
      await screenshot('diagnose-loss-not-python');
      const shown = (await toasts(page)).filter((t) => t.text.startsWith('Loss Lens'));
      assert.deepEqual(
        shown.filter((t) => t.text.includes('open a Python file')).map((t) => t.severity),
        ['info'],
        JSON.stringify(shown),
      );
      // Earlier tests' probes may still show their progress; nothing may be a warning or an error.
      assert.deepEqual(
        shown.filter((t) => t.severity !== 'info'),
        [],
        JSON.stringify(shown),
      );
    },
  },
];
