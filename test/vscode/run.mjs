// Tests Loss Lens in a real VS Code on a machine that cannot download one: code-server 4.100.3
// (VS Code 1.100.3) on 127.0.0.1, driven by playwright-core in Debian's headless Chromium.
//
//   npm run build && node test/vscode/run.mjs      # or: npm run test:vscode (runs setup.sh first)
//
// 1. builds the harness's own suite (suite/*.ts -> out/) -- never the extension: dist/ must exist;
// 2. starts code-server with a fresh user-data dir and quiet settings;
// 3. phase "extension host": a window on a copy of examples/ with the repository as the extension
//    under development runs out/suite/index.js (the @vscode/test-electron contract) and reports
//    through window.codeAutomationExit;
// 4. phase "UI": another window on another copy; ui/*.ui.mjs click through the workbench and
//    save screenshots to test-artifacts/vscode/;
// 5. phase "restricted" (lib/restricted.mjs): a code-server with workspace trust on and a window on an
//    untrusted folder runs suite/*.restricted.ts: discovery works, interpretation and probes wait;
// 6. phase "vsix" (lib/vsix.mjs): `npm run package`, the .vsix installed with code-server
//    --install-extension into a fresh extensions folder, a code-server of its own and a window with
//    no extension under development: the installed copy must diagnose an example;
// 7. stops code-server (its whole process group) whatever happened, and prints "N passed, N failed".
//
// Environment: VSCODE_TEST_TIMEOUT_MS (whole run, default 300000), EXTHOST_TIMEOUT_MS (default
// 180000), UI_TIMEOUT_MS (each UI wait, default 30000), KEEP_RUN=1 (keep test/vscode/.runs/<run>
// even on success), DEBUG_CONSOLE=1 (print the browser console), CHROMIUM_PATH,
// ONLY=exthost|ui|restricted|vsix, LOSS_LENS_VSIX=FILE (the vsix phase installs that file instead of packaging).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { ARTIFACTS, HARNESS, REPO, RUNS } from './lib/paths.mjs';

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const log = (message) => console.log(`[vscode ${seconds().padStart(5)}s] ${message}`);
const env = (name, fallback) => Number(process.env[name] || fallback);
const TOTAL_MS = env('VSCODE_TEST_TIMEOUT_MS', 300_000);
const EXTHOST_MS = env('EXTHOST_TIMEOUT_MS', 180_000);
const UI_MS = env('UI_TIMEOUT_MS', 30_000);
const ONLY = process.env.ONLY;

/** @type {{ phase: string, title: string, state: 'passed' | 'failed', error?: string }[]} */
const results = [];
let server;
let browser;
let runDir;
let finished = false;

function summary() {
  const passed = results.filter((r) => r.state === 'passed').length;
  const failed = results.filter((r) => r.state === 'failed').length;
  console.log('');
  for (const r of results)
    console.log(
      `${r.state === 'passed' ? 'ok  ' : 'FAIL'} [${r.phase}] ${r.title}${r.error ? `\n       ${r.error}` : ''}`,
    );
  const kept = runDir && existsSync(runDir) ? `; run folder kept: ${relative(REPO, runDir)}` : '';
  console.log(`\nreal VS Code tests finished in ${seconds()} s${kept}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

function fail(phase, title, error) {
  results.push({
    phase,
    title,
    state: 'failed',
    error: error instanceof Error ? error.message.split('\n')[0] : String(error),
  });
}

/** The later phases start code-servers of their own: the first one stops competing for the CPU. */
async function stopFirstServer() {
  if (!server) return;
  await server.stop();
  server = undefined;
  log('code-server of the extension-host and UI phases stopped');
}

async function shutDown() {
  if (browser) await browser.close().catch(() => {});
  browser = undefined;
  if (server) {
    await server.stop();
    log('code-server stopped');
  }
  server = undefined;
}

// The whole run is bounded: past TOTAL_MS, stop everything and report what was collected.
const watchdog = setTimeout(async () => {
  if (finished) return;
  log(`timed out after ${TOTAL_MS} ms`);
  fail('run', 'whole run', `timed out after ${TOTAL_MS} ms`);
  const stopping = shutDown();
  await Promise.race([stopping, new Promise((r) => setTimeout(r, 10_000))]);
  summary();
  process.exit(1); // the exit hook in lib/server.mjs SIGKILLs a code-server still running
}, TOTAL_MS);

try {
  // ---------------------------------------------------------------------------- prerequisites
  for (const file of ['dist/extension.js', 'dist/worker.js']) {
    if (!existsSync(join(REPO, file)))
      throw new Error(`${file} is missing: run "npm run build" first (the harness builds only its own suite)`);
  }
  const require = createRequire(join(HARNESS, 'package.json'));
  for (const dep of ['playwright-core', 'mocha']) {
    try {
      require.resolve(dep);
    } catch {
      throw new Error(`${dep} is not installed: run "bash test/vscode/setup.sh"`);
    }
  }
  const { buildSuite } = await import('./lib/build-suite.mjs');
  const { startCodeServer } = await import('./lib/server.mjs');
  const { makeWorkspace } = await import('./lib/workspace.mjs');
  const { launchBrowser, CHROMIUM } = await import('./lib/workbench.mjs');
  const { runExtensionHostSuite } = await import('./lib/exthost.mjs');
  const { runUiTests } = await import('./lib/ui.mjs');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run "bash test/vscode/setup.sh"`);

  const suites = await buildSuite();
  log(
    `type-checked and built the extension-host suite (${suites} file(s) -> ${relative(REPO, join(HARNESS, 'out'))}/)`,
  );
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });

  // ----------------------------------------------------------------------------------- server
  mkdirSync(RUNS, { recursive: true });
  runDir = mkdtempSync(join(RUNS, 'run-'));
  const resultsFile = join(runDir, 'exthost-results.json');
  const userData = join(runDir, 'user-data');
  server = await startCodeServer({
    runDir,
    // Handed to the extension host (it inherits code-server's environment).
    env: { LOSS_LENS_VSCODE_RESULTS: resultsFile, LOSS_LENS_VSCODE_USER_DATA: userData },
  });
  log(`code-server ${server.url} (pid ${server.pid}, state in ${relative(REPO, runDir)}/)`);
  browser = await launchBrowser();
  log(`chromium ${browser.version()}`);

  // --------------------------------------------------------------------------- extension host
  if (!ONLY || ONLY === 'exthost') {
    const workspace = join(runDir, 'workspace-exthost');
    log(`phase extension host: workspace ${makeWorkspace(workspace).join(', ')}`);
    try {
      const { exitCode, results: got } = await runExtensionHostSuite({
        browser,
        server,
        workspace,
        resultsFile,
        timeoutMs: EXTHOST_MS,
        log,
      });
      for (const r of got) results.push({ phase: 'exthost', ...r });
      const passed = got.filter((r) => r.state === 'passed').length;
      log(`phase extension host: exit code ${exitCode ?? 'none'}, ${passed}/${got.length} passed`);
    } catch (error) {
      fail('exthost', 'extension-host suite', error);
    }
  }

  // ------------------------------------------------------------------------------------- UI
  if (!ONLY || ONLY === 'ui') {
    // Its own folder: the first window's editors are not restored into this one.
    const workspace = join(runDir, 'workspace-ui');
    makeWorkspace(workspace);
    log('phase UI');
    try {
      for (const r of await runUiTests({ browser, server, workspace, timeoutMs: UI_MS, log }))
        results.push({ phase: 'ui', ...r });
    } catch (error) {
      fail('ui', 'UI tests', error);
    }
    log(`phase UI: screenshots in ${relative(REPO, ARTIFACTS)}/`);
  }

  // ------------------------------------------------------------------------------- restricted
  if (!ONLY || ONLY === 'restricted') {
    const { runRestrictedPhase } = await import('./lib/restricted.mjs');
    const phaseStarted = performance.now();
    await stopFirstServer();
    try {
      for (const r of await runRestrictedPhase({ browser, runDir, timeoutMs: EXTHOST_MS, log }))
        results.push({ phase: 'restricted', ...r });
    } catch (error) {
      fail('restricted', 'restricted-mode suite', error);
    }
    log(`phase restricted: ${((performance.now() - phaseStarted) / 1000).toFixed(1)} s`);
  }

  // ------------------------------------------------------------------------------------- vsix
  if (!ONLY || ONLY === 'vsix') {
    // Its own code-server (fresh extensions folder, the .vsix installed there); the browser is
    // shared. The first server is done: stopped, so its extension hosts stop competing for the CPU.
    const { runVsixPhase } = await import('./lib/vsix.mjs');
    const phaseStarted = performance.now();
    await stopFirstServer();
    log('phase vsix: package, install, diagnose with the installed copy');
    try {
      for (const r of await runVsixPhase({ browser, runDir, timeoutMs: UI_MS, log }))
        results.push({ phase: 'vsix', ...r });
    } catch (error) {
      fail('vsix', 'vsix phase', error);
    }
    log(`phase vsix: ${((performance.now() - phaseStarted) / 1000).toFixed(1)} s`);
  }
} catch (error) {
  fail('run', 'harness', error);
  if (error instanceof Error && error.message.includes('\n')) console.error(error.message);
  if (server) console.error(`--- code-server log (tail) ---\n${server.log().slice(-3000)}`);
} finally {
  await shutDown().catch((error) => fail('run', 'shutdown', error));
}

finished = true;
clearTimeout(watchdog);
const failed = results.some((r) => r.state === 'failed');
if (runDir && !failed && !process.env.KEEP_RUN) rmSync(runDir, { recursive: true, force: true });
process.exitCode = summary() ? 0 : 1;
