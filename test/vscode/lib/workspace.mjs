// A fresh workspace folder per phase: copies of the repository's examples/*.py plus the harness's
// own fixtures/. Tests may edit or save files there; the repository is never touched.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HARNESS, REPO } from './paths.mjs';

export function makeWorkspace(dir) {
  mkdirSync(dir, { recursive: true });
  const copied = [];
  for (const [from, keep] of [
    [join(REPO, 'examples'), (f) => f.endsWith('.py')],
    [join(HARNESS, 'fixtures'), () => true],
  ]) {
    for (const file of readdirSync(from).filter(keep).sort()) {
      copyFileSync(join(from, file), join(dir, file));
      copied.push(file);
    }
  }
  return copied;
}
