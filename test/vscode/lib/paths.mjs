// Where things are, for every part of the harness.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HARNESS = resolve(dirname(fileURLToPath(import.meta.url)), '..'); // test/vscode
export const REPO = resolve(HARNESS, '..', '..'); // the extension under development (package.json)
export const OUT = join(HARNESS, 'out'); // the compiled extension-host suite
export const RUNS = join(HARNESS, '.runs'); // one folder per run: code-server state, logs, workspaces
export const ARTIFACTS = join(REPO, 'test-artifacts', 'vscode'); // screenshots
