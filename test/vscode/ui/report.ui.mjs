// UI tests of the report panel: what a user sees beside the editor after clicking a loss's lens.
// The page lives two frames deep (VS Code's webview host, then the page itself); every selector
// inside it is a data-testid the panel defines (webview/*.ts).
import assert from 'node:assert/strict';
import { sel } from '../lib/workbench.mjs';

const EXAMPLE = 'torch_argmax_dice.py'; // hard_dice_loss: argmax cuts the gradient (line 9)
const LOSS = 'hard_dice_loss';
const ARGMAX_LINE = 9;
// LowMemoryDiceLoss: its autograd Function's backward forgets the batch mean (return on line 23).
const BACKWARD_EXAMPLE = 'torch_dice_function_backward.py';
const BACKWARD_LOSS = 'LowMemoryDiceLoss';
const BACKWARD_LINE = 23;

/** The report page showing `loss`: among the webviews on screen, the visible one that names it. */
async function reportPage(page, loss, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frames = page.locator('iframe.webview.ready');
    const count = await frames.count();
    for (let i = 0; i < count; i++) {
      if (
        !(await frames
          .nth(i)
          .isVisible()
          .catch(() => false))
      )
        continue;
      const inner = frames.nth(i).contentFrame().frameLocator('iframe#active-frame');
      const name = await inner
        .getByTestId('loss-name')
        .textContent({ timeout: 500 })
        .catch(() => null);
      if (name?.trim() === loss) return inner;
    }
    if (Date.now() > deadline) throw new Error(`no visible report panel for ${loss} (${count} webview(s) on screen)`);
    await page.waitForTimeout(250);
  }
}

/** The lens that diagnoses the loss: "Diagnose Loss" before a run, the verdict after one. */
const diagnoseLens = (page) => page.locator(sel.codeLens, { hasText: /^(Diagnose Loss|Loss Lens: )/ }).first();

/** Points drawn on the live loss chart (all runs), as the page records them. */
async function lossPoints(report) {
  return Number((await report.getByTestId('chart-loss').getAttribute('data-points')) ?? 0);
}

/** Waits until `read()` returns more than `than` (the page keeps drawing) and returns the value. */
async function grows(page, read, than, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (value > than) return value;
    if (Date.now() > deadline) throw new Error(`${what} stayed at ${value} (expected more than ${than})`);
    await page.waitForTimeout(100);
  }
}

async function probeStep(report) {
  return Number((await report.getByTestId('probe-status').getAttribute('data-step')) ?? 0);
}

/** The text editor's cursor line, from the status bar ("Ln 9, Col 5"). */
async function cursorLine(page) {
  const text = await page
    .locator('[id="status.editor.selection"]')
    .innerText()
    .catch(() => '');
  const match = /Ln (\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Quick Open, pressing Enter only once the highlighted row is the file (not a stale one). */
async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator(sel.quickInput);
  await input.waitFor();
  await input.fill(name);
  await page.locator(`${sel.quickRow}.focused`, { hasText: name }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator(sel.activeTab, { hasText: name }).waitFor();
}

/** The workbench's theme kind, from its root class: 'vs-dark', 'vs' (light), 'hc-black', 'hc-light'. */
async function workbenchTheme(page) {
  const classes = (await page.locator(sel.workbench).getAttribute('class')) ?? '';
  return ['vs-dark', 'hc-black', 'hc-light', 'vs'].find((c) => classes.split(/\s+/).includes(c));
}

/** Preferences: Color Theme, then a theme by its label ("Dark Modern", "Light Modern"). */
async function pickTheme(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator(sel.quickInput);
  await input.fill('>Preferences: Color Theme');
  // Click the command itself: "Browse Color Themes in Marketplace" matches the same words.
  await page
    .locator(sel.quickRow, { hasText: 'Preferences: Color Theme' })
    .filter({ hasNotText: 'Browse' })
    .first()
    .click();
  await page
    .locator(sel.quickRow, { hasText: /Dark Modern|Light Modern/ })
    .first()
    .waitFor();
  await input.fill(name);
  await page.locator(sel.quickRow, { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The theme the workbench had before these tests (restored by the last one). */
let originalTheme;

export const tests = [
  {
    name: 'clicking the lens of a buggy loss opens its report beside the editor with the finding',
    async run({ page, screenshot }) {
      // Screenshots in a dark theme, whatever the browser's colour scheme gave the workbench.
      originalTheme = await workbenchTheme(page);
      if (originalTheme !== 'vs-dark') {
        await pickTheme(page, 'Dark Modern');
        await page.locator(`${sel.workbench}.vs-dark`).waitFor();
      }
      // The first editor group: earlier tests may have left the focus on a report beside it.
      await page.keyboard.press('Control+1');
      await openFile(page, EXAMPLE);
      await diagnoseLens(page).click();
      const report = await reportPage(page, LOSS);
      const finding = report.locator('[data-testid="finding"][data-kind="non-differentiable"]');
      await finding.waitFor();
      assert.equal(await finding.getAttribute('data-line'), String(ARGMAX_LINE));
      assert.match(await report.getByTestId('verdict').innerText(), /\d+ errors?/);
      assert.match(await finding.innerText(), /argmax/);
      // The contract the loss was diagnosed under, in the header.
      assert.match(await report.getByTestId('contract').innerText(), /PyTorch/);
      await screenshot('report-opened');
    },
  },
  {
    name: 'the probe trains live: the curves gain points while it runs, then the lesion table appears',
    async run({ page, screenshot }) {
      const report = await reportPage(page, LOSS);
      // The lens started a probe; run one more from the panel's button so the live phase is seen
      // from its start whatever the first one has done by now.
      const run = report.getByTestId('run-quick-probe');
      await run.waitFor();
      await report.locator('[data-testid="run-quick-probe"]:not([disabled])').waitFor();
      await run.click();
      await report.locator('[data-testid="probe-status"][data-state="running"]').waitFor();
      assert.equal(
        await report.getByTestId('cancel-probe').isEnabled(),
        true,
        'Cancel is enabled while the probe runs',
      );
      const first = await grows(page, () => lossPoints(report), 0, 'points on the loss chart');
      const firstStep = await probeStep(report);
      const later = await grows(page, () => lossPoints(report), first, 'points on the loss chart');
      assert.ok(later > first, `the live curves grew (${first} → ${later} points)`);
      assert.match(await report.getByTestId('probe-progress').innerText(), /step \d+\/\d+|finished/i);
      await report.getByTestId('run-legend').scrollIntoViewIfNeeded();
      await screenshot('report-probe-live');
      // The end: the table of lesions per loss, the user's run first, and the probe's verdict.
      const table = report.getByTestId('lesion-table');
      await table.waitFor({ timeout: 120_000 });
      const rows = report.getByTestId('lesion-row');
      assert.ok((await rows.count()) >= 2, 'the user and at least one reference');
      assert.match(await rows.first().innerText(), new RegExp(`${LOSS}[\\s\\S]*no gradient`));
      assert.equal(
        await report.getByTestId('cancel-probe').isEnabled(),
        false,
        'Cancel is disabled once the probe ended',
      );
      assert.ok((await probeStep(report)) >= firstStep);
      await report.locator('[data-testid="finding"][data-kind="no-learning"]').waitFor();
      await table.scrollIntoViewIfNeeded();
      await screenshot('report-probe-done');
    },
  },
  {
    name: "the plots are drawn from the engine's numbers",
    async run({ page, screenshot }) {
      const report = await reportPage(page, LOSS);
      for (const id of ['chart-loss', 'chart-dice', 'chart-fraction', 'chart-response']) {
        const chart = report.locator(`[data-testid="${id}"].js-plotly-plot`);
        await chart.locator('svg.main-svg').first().waitFor();
        assert.ok((await chart.locator('.scatterlayer .trace').count()) > 0, `${id} has traces`);
      }
      // One trace per run on the training curves (the user's loss and its references).
      const runs = await report.getByTestId('lesion-row').count();
      assert.ok((await report.locator('[data-testid="chart-dice"] .scatterlayer .trace').count()) >= runs);
      // argmax leaves no gradient: the panel says so instead of drawing empty bars.
      await report.getByTestId('no-gradient').waitFor();
      assert.ok((await report.locator('.js-plotly-plot').count()) >= 4);
      // Mask snapshots: ground truth, input and one tile per run, when the engine sends them.
      if (await report.getByTestId('snapshots').isVisible()) {
        assert.ok((await report.getByTestId('snapshot-run').count()) >= runs);
      }
      await report.getByTestId('chart-response').scrollIntoViewIfNeeded();
      await screenshot('report-plots');
    },
  },
  {
    name: 'clicking a finding reveals its line in the editor',
    async run({ page, screenshot }) {
      const report = await reportPage(page, LOSS);
      await report
        .locator('[data-testid="finding"][data-kind="non-differentiable"] [data-testid="finding-reveal"]')
        .click();
      const deadline = Date.now() + 15_000;
      while ((await cursorLine(page)) !== ARGMAX_LINE && Date.now() < deadline) await page.waitForTimeout(100);
      assert.equal(await cursorLine(page), ARGMAX_LINE, "the cursor is on the finding's line");
      await page.locator(sel.activeTab, { hasText: EXAMPLE }).waitFor();
      await screenshot('report-reveal');
    },
  },
  {
    name: 'the report follows a switch to a light theme',
    async run({ page, screenshot }) {
      const report = await reportPage(page, LOSS);
      const fontColor = () =>
        report
          .locator('[data-testid="chart-response"] .xtick text')
          .first()
          .evaluate((t) => getComputedStyle(t).fill);
      const dark = await fontColor();
      try {
        await pickTheme(page, 'Light Modern');
        await report.locator('body.vscode-light').waitFor();
        const deadline = Date.now() + 10_000;
        let light = await fontColor();
        while (light === dark && Date.now() < deadline) {
          await page.waitForTimeout(100);
          light = await fontColor();
        }
        assert.notEqual(light, dark, "the charts' text colour follows the theme");
        await report.getByTestId('header').scrollIntoViewIfNeeded();
        await screenshot('report-light');
      } finally {
        // Leave the workbench as the tests found it.
        if (originalTheme === 'vs-dark')
          await pickTheme(page, 'Dark Modern').catch(() => page.keyboard.press('Escape'));
      }
    },
  },
  {
    name: 'a hand-written backward: the finding at its return and the hand-vs-automatic gradient chart',
    async run({ page, screenshot }) {
      // The argmax example has no hand-written gradient: no such chart in its report.
      const argmax = await reportPage(page, LOSS);
      assert.equal(await argmax.getByTestId('chart-gradient-check').isVisible(), false);
      await page.keyboard.press('Control+1');
      await openFile(page, BACKWARD_EXAMPLE);
      await diagnoseLens(page).click();
      const report = await reportPage(page, BACKWARD_LOSS);
      const finding = report.locator('[data-testid="finding"][data-kind="wrong-gradient"]');
      await finding.waitFor();
      assert.equal(await finding.getAttribute('data-line'), String(BACKWARD_LINE));
      assert.match(await finding.innerText(), /DiceFunction/);
      const chart = report.locator('[data-testid="chart-gradient-check"].js-plotly-plot');
      await chart.locator('svg.main-svg').first().waitFor();
      // The diagonal, the elements and the largest difference.
      assert.equal(await chart.locator('.scatterlayer .trace').count(), 3);
      await report.getByTestId('chart-gradient-check').scrollIntoViewIfNeeded();
      await screenshot('report-gradient-check');
    },
  },
];
