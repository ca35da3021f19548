// The harness's own build step: type-checks (tsconfig.json here) and bundles the extension-host
// suite (suite/*.ts) and the @vscode/test-electron launcher (runTest.ts) into out/ as CommonJS,
// which is what the extension host require()s. It uses the repository's typescript and esbuild;
// it never builds the extension itself.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { HARNESS, OUT, REPO } from './paths.mjs';

const fromRepo = createRequire(join(REPO, 'package.json'));

export async function buildSuite() {
  const tsc = spawnSync(process.execPath, [fromRepo.resolve('typescript/bin/tsc'), '-p', HARNESS], {
    encoding: 'utf8',
  });
  if (tsc.status !== 0)
    throw new Error(`the suite does not type-check (tsc -p test/vscode):\n${tsc.stdout}${tsc.stderr}`);

  const suite = readdirSync(join(HARNESS, 'suite'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(HARNESS, 'suite', f));
  await fromRepo('esbuild').build({
    entryPoints: [...suite, join(HARNESS, 'runTest.ts')],
    outbase: HARNESS,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // vscode is provided by the extension host; mocha and test-electron are resolved at run time
    // from test/vscode/node_modules.
    external: ['vscode', 'mocha', '@vscode/test-electron'],
    logLevel: 'warning',
  });
  return suite.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildSuite();
  console.log(`type-checked and built ${OUT}`);
}
