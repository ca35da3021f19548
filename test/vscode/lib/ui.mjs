// Phase 2: UI tests. One workbench window (extension under development, no test module) on its own
// workspace folder; each test in ui/*.ui.mjs gets the page in turn and a fresh look at the screen.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HARNESS } from './paths.mjs';
import { screenshot, sel, workbenchUrl } from './workbench.mjs';

/** An error as one readable line (Playwright and assert messages span several). */
const oneLine = (error) =>
  String(error?.message ?? error)
    .replace(/\s*\n\s*/g, ' ')
    .slice(0, 400);

export async function runUiTests({ browser, server, workspace, timeoutMs, log }) {
  const files = readdirSync(join(HARNESS, 'ui'))
    .filter((f) => f.endsWith('.ui.mjs'))
    .sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(HARNESS, 'ui', file)).href);
    for (const t of mod.tests) tests.push({ ...t, title: `${file.replace(/\.ui\.mjs$/, '')}: ${t.name}` });
  }

  const results = [];
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(timeoutMs);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await page.goto(workbenchUrl(server, workspace));
    await page.locator(sel.workbench).waitFor();
    // The explorer lists the folder once the browser is connected to the server.
    await page.locator(sel.explorerRow).first().waitFor();
    log('workbench loaded with the extension under development');
    for (const t of tests) {
      const started = Date.now();
      try {
        await t.run({ page, screenshot: (name) => screenshot(page, name), log });
        results.push({ title: t.title, state: 'passed', ms: Date.now() - started });
        log(`  ok   ${t.title} (${Date.now() - started} ms)`);
      } catch (error) {
        const shot = await screenshot(page, `failed-${t.name.replace(/\W+/g, '-')}`).catch(() => undefined);
        results.push({
          title: t.title,
          state: 'failed',
          error: `${oneLine(error)}${shot ? ` (screenshot ${shot})` : ''}`,
        });
        log(`  FAIL ${t.title}: ${oneLine(error)}`);
        await page.keyboard.press('Escape').catch(() => {});
      }
    }
  } catch (error) {
    await screenshot(page, 'failed-ui-startup').catch(() => {});
    results.push({ title: 'UI: workbench start', state: 'failed', error: oneLine(error) });
  } finally {
    if (pageErrors.length) log(`  (page errors seen: ${pageErrors.slice(0, 3).join(' | ')})`);
    await page.close().catch(() => {});
  }
  return results;
}
