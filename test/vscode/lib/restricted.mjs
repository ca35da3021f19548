// Phase "restricted": workspace trust ON and a folder nobody trusted, so the window opens in
// restricted mode. The extension-host suite's *.restricted.ts tests run there (LOSS_LENS_SUITE).
// Its own code-server: the other phases run with trust off.
import { join } from 'node:path';
import { runExtensionHostSuite } from './exthost.mjs';
import { startCodeServer } from './server.mjs';
import { makeWorkspace } from './workspace.mjs';

export async function runRestrictedPhase({ browser, runDir, timeoutMs, log }) {
  const phaseDir = join(runDir, 'restricted');
  const resultsFile = join(phaseDir, 'results.json');
  const server = await startCodeServer({
    runDir: phaseDir,
    trust: true,
    env: { LOSS_LENS_VSCODE_RESULTS: resultsFile, LOSS_LENS_SUITE: 'restricted' },
  });
  try {
    const workspace = join(phaseDir, 'workspace');
    makeWorkspace(workspace);
    log(`phase restricted: code-server ${server.url} with workspace trust on, untrusted folder`);
    const { results } = await runExtensionHostSuite({ browser, server, workspace, resultsFile, timeoutMs, log });
    return results;
  } finally {
    await server.stop();
  }
}
