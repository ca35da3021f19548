// Phase 1: the extension-host suite (suite/, compiled to out/suite/) in a workbench window opened
// with extensionDevelopmentPath + extensionTestsPath. The extension host require()s
// out/suite/index.js and calls run(); when it settles the workbench stops the extension host and
// calls window.codeAutomationExit(code), which Playwright exposes to us.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT } from './paths.mjs';
import { screenshot, sel, workbenchUrl } from './workbench.mjs';

const TAG = '[loss-lens-suite] ';

/**
 * @returns {Promise<{ exitCode: number | undefined, results: { title: string, state: string, error?: string }[] }>}
 */
export async function runExtensionHostSuite({ browser, server, workspace, resultsFile, timeoutMs, log }) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    let exit;
    const exited = new Promise((resolve) => {
      exit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    page.on('console', (message) => {
      const text = message.text();
      const at = text.indexOf(TAG);
      if (at >= 0) {
        for (const line of text.slice(at + TAG.length).split('\n')) if (line.trim()) log(`  | ${line}`);
      } else if (process.env.DEBUG_CONSOLE) {
        log(`  [console.${message.type()}] ${text.slice(0, 400)}`);
      }
    });

    await page.goto(workbenchUrl(server, workspace, { testsPath: join(OUT, 'suite', 'index') }));
    await page.locator(sel.workbench).waitFor({ timeout: 30_000 });
    log('workbench loaded; extension host running the suite');

    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    await screenshot(page, 'exthost-suite-end').catch(() => {});

    const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).results : [];
    if (exitCode === undefined)
      results.push({
        title: 'extension-host suite',
        state: 'failed',
        error: `no codeAutomationExit within ${timeoutMs} ms`,
      });
    else if (exitCode !== 0 && !results.some((r) => r.state === 'failed')) {
      // run() failed without a failing test: the module did not load, or mocha itself threw.
      results.push({
        title: 'extension-host suite',
        state: 'failed',
        error: `extension host exited with ${exitCode} (see the code-server log)`,
      });
    }
    return { exitCode, results };
  } finally {
    await page.close().catch(() => {});
  }
}
