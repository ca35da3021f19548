// The CLI's name, version and home, read from the package.json it ships in (dist/cli.js is one
// folder below it), so `--version` and the SARIF tool entry can never disagree with the package.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageInfo {
  name: string;
  version: string;
  /** The project's page (package.json's homepage, or its repository's web address), when it names one. */
  homepage?: string;
}

let cached: PackageInfo | undefined;

/** The package's repository as a web address: `git+https://github.com/o/r.git` → `https://github.com/o/r`. */
const repositoryPage = (repository: unknown) => {
  const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  return typeof url === 'string' && /^(git\+)?https:\/\//.test(url)
    ? url.replace(/^git\+/, '').replace(/\.git$/, '')
    : undefined;
};

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  const homepage = typeof manifest.homepage === 'string' ? manifest.homepage : repositoryPage(manifest.repository);
  cached = { name: manifest.name, version: manifest.version, ...(homepage ? { homepage } : {}) };
  return cached;
}
