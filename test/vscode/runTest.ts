// The same extension-host suite under @vscode/test-electron, for machines that can download
// VS Code (this one cannot: there, run.mjs drives code-server instead). After
//   bash test/vscode/setup.sh && node test/vscode/lib/build-suite.mjs && npm run build
// run
//   node test/vscode/out/runTest.js            # downloads VS Code 1.100.3 into test/vscode/.vscode-test/
// (on a headless Linux machine: xvfb-run -a node test/vscode/out/runTest.js).
import { cpSync, mkdtempSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const harness = resolve(__dirname, '..'); // out/runTest.js -> test/vscode
  const repo = resolve(harness, '..', '..');
  const run = mkdtempSync(join(tmpdir(), 'loss-lens-vscode-'));
  const workspace = join(run, 'workspace');
  const userData = join(run, 'user-data');
  mkdirSync(workspace, { recursive: true });
  for (const f of readdirSync(join(repo, 'examples')).filter((f) => f.endsWith('.py')))
    cpSync(join(repo, 'examples', f), join(workspace, f));
  cpSync(join(harness, 'fixtures'), workspace, { recursive: true });

  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    cachePath: join(harness, '.vscode-test'), // the download, git-ignored
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(harness, 'out', 'suite', 'index'),
    extensionTestsEnv: { LOSS_LENS_VSCODE_USER_DATA: userData },
    launchArgs: [
      workspace,
      '--user-data-dir',
      userData,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
    ],
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
