// Entry point of the extension-host suite: the @vscode/test-electron contract. VS Code (the
// code-server launcher in run.mjs, or runTest.ts where VS Code can be downloaded) require()s this
// module inside the extension host of a window opened with the extension under development, calls
// run(), and exits with 0 when the promise resolves, 1 when it rejects.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** Prefix of the reporter's lines: run.mjs picks them out of the browser console. */
export const TAG = '[loss-lens-suite] ';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed';
  ms?: number;
  error?: string;
}

export function run(): Promise<void> {
  // The spec reporter writes through Base.consoleLog; in code-server the extension host's console
  // is forwarded to the browser console, where run.mjs reads the tagged lines.
  (Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void }).consoleLog = (...args: unknown[]) =>
    console.log(TAG + format(...args));
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 60_000 });
  // LOSS_LENS_SUITE=restricted: the window is an untrusted folder, which only *.restricted.ts tests expect.
  const suffix = process.env.LOSS_LENS_SUITE === 'restricted' ? '.restricted.js' : '.test.js';
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith(suffix))
    .sort())
    mocha.addFile(join(__dirname, file));

  const results: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The launcher reads this file for the per-test verdicts (the exit code alone is one bit).
      const out = process.env.LOSS_LENS_VSCODE_RESULTS;
      if (out) writeFileSync(out, JSON.stringify({ failures, results }, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', ms: test.duration }));
    runner.on('fail', (test, error: Error) =>
      results.push({ title: test.fullTitle(), state: 'failed', error: error?.message ?? String(error) }),
    );
  });
}
