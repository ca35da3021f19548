// Phase "vsix": the packaged extension, installed the way a user installs one, works in VS Code.
//
// 1. The .vsix: `npm run package -- --out <run>/vsix/loss-lens.vsix`, or the file LOSS_LENS_VSIX
//    names (used as is: e.g. a CI artifact).
// 2. `code-server --install-extension` into a fresh extensions folder under os.tmpdir(), OUTSIDE
//    the repository: from a folder inside it, node's module resolution would climb to the
//    repository's node_modules, and a .vsix that does not carry TF.js would still work here.
// 3. A code-server of its own (fresh user data; `lossLens.probe` none and `lossLens.openReport`
//    false: no training probe, no report panel) and a window with NO extension under development,
//    on a copy of the examples: the installed copy is the only Loss Lens there is.
// 4. Clicking "Diagnose Loss" above torch_argmax_dice.py's loss must give "Loss Lens: 1 error" and
//    the error in the Problems count; the "Loss Lens" output channel must say it ran on wasm (the
//    bundled backend, whose .wasm binaries the package must carry: without them it is cpu).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO } from './paths.mjs';
import { installExtension, startCodeServer } from './server.mjs';
import { quickOpen, screenshot, sel, workbenchUrl } from './workbench.mjs';
import { makeWorkspace } from './workspace.mjs';

const EXAMPLE = 'torch_argmax_dice.py'; // one loss, one error (argmax cuts the gradient)
// What the installed extension loads at run time.
const RUNTIME_FILES = [
  'package.json',
  'docs/findings.md',
  'dist/extension.js',
  'dist/engineHost.js',
  'dist/worker.js',
  'dist/webview.js',
  'dist/plotly.min.js',
  'dist/tree-sitter.cjs',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-python.wasm',
  'dist/tfjs-backend-wasm.wasm',
  'dist/tfjs-backend-wasm-simd.wasm',
];

const oneLine = (error) =>
  String(error?.message ?? error)
    .replace(/\s*\n\s*/g, ' ')
    .slice(0, 400);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** Every file under `dir`, relative to it. */
function filesUnder(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, path) : [path];
  });
}

/** The "Loss Lens" output channel, from the files VS Code backs output channels with. */
function outputChannelText(userData) {
  const logs = join(userData, 'logs');
  if (!existsSync(logs)) return '';
  return filesUnder(logs)
    .filter((f) => /(^|\/)\d+-Loss Lens\.log$/.test(f))
    .map((f) => readFileSync(join(logs, f), 'utf8'))
    .join('\n');
}

/**
 * @param {{
 *   browser: import('playwright-core').Browser,
 *   runDir: string,
 *   timeoutMs: number,
 *   log(message: string): void,
 * }} options
 * @returns {Promise<{ title: string, state: 'passed' | 'failed', error?: string }[]>}
 */
export async function runVsixPhase({ browser, runDir, timeoutMs, log }) {
  const results = [];
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const phaseDir = join(runDir, 'vsix');
  mkdirSync(phaseDir, { recursive: true });
  // Outside the repository (see 2. above); deleted when every test passed.
  const extensionsDir = mkdtempSync(join(tmpdir(), 'loss-lens-vsix-extensions-'));
  let server;
  let page;
  /** Runs one check; a failed one fails the phase's remaining checks too (they build on it). */
  let broken;
  const check = async (title, body) => {
    const started = Date.now();
    if (broken) {
      results.push({ title, state: 'failed', error: `not run: "${broken}" failed` });
      return;
    }
    try {
      const note = await body();
      results.push({ title, state: 'passed' });
      log(`  ok   ${title} (${Date.now() - started} ms${note ? `; ${note}` : ''})`);
    } catch (error) {
      const shot = page
        ? await screenshot(page, `failed-vsix-${title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined)
        : undefined;
      results.push({
        title,
        state: 'failed',
        error: `${oneLine(error)}${shot ? ` (screenshot ${relative(REPO, shot)})` : ''}`,
      });
      log(`  FAIL ${title}: ${oneLine(error)}`);
      broken = title;
    }
  };

  let vsix = process.env.LOSS_LENS_VSIX;
  let installed;
  try {
    await check(vsix ? `the .vsix given by LOSS_LENS_VSIX exists` : '`npm run package` builds a .vsix', () => {
      if (vsix) {
        if (!existsSync(vsix)) throw new Error(`LOSS_LENS_VSIX=${vsix}: no such file`);
      } else {
        vsix = join(phaseDir, `${manifest.name}.vsix`);
        try {
          execFileSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], {
            cwd: REPO,
            encoding: 'utf8',
            stdio: 'pipe',
          });
        } catch (error) {
          throw new Error(`npm run package failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
        }
      }
      return `${relative(REPO, vsix)}, ${mb(statSync(vsix).size)}`;
    });

    await check('it installs with code-server --install-extension; the installed folder is self-contained', () => {
      const output = installExtension({ runDir: phaseDir, vsix, extensionsDir });
      if (!/successfully installed/i.test(output)) throw new Error(`code-server did not report the install: ${output}`);
      const folders = readdirSync(extensionsDir).filter((f) => !f.startsWith('.') && f !== 'extensions.json');
      const expected = `${id}-${manifest.version}`;
      if (folders.length !== 1 || folders[0] !== expected)
        throw new Error(`expected only ${expected} in the extensions folder, found ${folders.join(', ') || 'nothing'}`);
      installed = join(extensionsDir, expected);
      const files = filesUnder(installed);
      const missing = RUNTIME_FILES.filter((f) => !files.includes(f));
      if (missing.length) throw new Error(`the installed extension lacks ${missing.join(', ')}`);
      const unwanted = files.filter((f) => /(^|\/)node_modules\/|\.map$|^(src|test|webview|bench|scripts)\//.test(f));
      if (unwanted.length)
        throw new Error(
          `the installed extension carries ${unwanted.slice(0, 5).join(', ')}${unwanted.length > 5 ? ', …' : ''}`,
        );
      // The premise of this phase: TF.js can come only from the package itself.
      const fromWorker = createRequire(join(installed, 'dist', 'worker.js'));
      for (const dep of ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm']) {
        let resolved;
        try {
          resolved = fromWorker.resolve(dep);
        } catch {
          /* as it should be */
        }
        if (resolved)
          throw new Error(
            `${dep} resolves from the installed extension (${resolved}): ` +
              'this check could not tell a self-contained .vsix from one that is not',
          );
      }
      return `${installed} (${files.length} files)`;
    });

    await check(
      `clicking "Diagnose Loss" on ${EXAMPLE}: the lens says "Loss Lens: 1 error", the Problems count 1 error`,
      async () => {
        server = await startCodeServer({
          runDir: phaseDir,
          extensionsDir,
          settings: { 'lossLens.probe': 'none', 'lossLens.openReport': false },
        });
        const workspace = join(phaseDir, 'workspace');
        makeWorkspace(workspace);
        page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        page.setDefaultTimeout(timeoutMs);
        await page.goto(workbenchUrl(server, workspace, { development: false }));
        await page.locator(sel.workbench).waitFor();
        await page.locator(sel.explorerRow).first().waitFor();
        await quickOpen(page, EXAMPLE);
        await page.locator(sel.codeLens, { hasText: 'Diagnose Loss' }).first().click();
        await page.locator(sel.codeLens, { hasText: 'Loss Lens: 1 error' }).waitFor();
        await page.locator(`${sel.problemsStatus}[aria-label*="Errors: 1"]`).waitFor();
        await screenshot(page, 'vsix-diagnose-lens');
      },
    );

    await check(
      'the installed copy ran: no extension under development, the output channel reports backend wasm',
      async () => {
        // The server logs "Loading development extension at <path>" (remoteagent.log) for an extension
        // under development; the extension host logs each activation (remoteexthost.log).
        const logs = join(server.userData, 'logs');
        const read = (name) =>
          filesUnder(logs)
            .filter((f) => f.endsWith(`/${name}`))
            .map((f) => readFileSync(join(logs, f), 'utf8'))
            .join('\n');
        const dev = /Loading development extension at .*/.exec(read('remoteagent.log'));
        if (dev) throw new Error(`the server loaded an extension under development: ${dev[0]}`);
        if (!read('remoteexthost.log').includes(`_doActivateExtension ${id},`))
          throw new Error(`the extension host log shows no activation of ${id}`);
        // The channel file is written shortly after the lens updates.
        let line;
        for (
          const end = Date.now() + timeoutMs;
          !line && Date.now() < end;
          await new Promise((r) => setTimeout(r, 200))
        ) {
          line = outputChannelText(server.userData)
            .split('\n')
            .find((l) => l.includes(EXAMPLE) && /\bbackend \w+/.test(l));
        }
        if (!line)
          throw new Error(
            `no "${EXAMPLE} … backend …" line in the Loss Lens output channel:\n` +
              outputChannelText(server.userData).slice(-800),
          );
        const backend = /\bbackend (\w+)/.exec(line)[1];
        if (backend !== 'wasm') throw new Error(`the packaged extension ran on ${backend}, not wasm: ${line.trim()}`);
        return line.trim();
      },
    );
  } finally {
    if (page) await page.close().catch(() => {});
    if (server) await server.stop();
    if (!results.some((r) => r.state === 'failed')) rmSync(extensionsDir, { recursive: true, force: true });
    else log(`  installed extension kept in ${extensionsDir}`);
  }
  return results;
}
