// Shared by the engine tests: the built engine bundle (tests drive exactly what ships) and tolerances.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const engine = require(join(ROOT, 'dist', 'engine.js'));

/** A source file of the extension that needs no vscode, bundled on the spot into `folder` and loaded. */
export async function bundled(source, folder) {
  const out = join(folder, `${source.split('/').pop().replace(/\.ts$/, '')}.js`);
  await require('esbuild').build({
    entryPoints: [join(ROOT, source)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  return require(out);
}

/** |a - b| within `rtol` of |b| (plus a tiny absolute floor for values at zero); NaN/Inf must match exactly. */
export function closeTo(actual, expected, rtol = 1e-4, atol = 1e-6) {
  if (typeof expected === 'string') expected = { nan: NaN, inf: Infinity, '-inf': -Infinity }[expected];
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= rtol * Math.abs(expected) + atol;
}

const SPECIAL = { nan: NaN, inf: Infinity, '-inf': -Infinity };

/** Nested golden lists to numbers ("nan", "inf" and "-inf" are stored as strings in JSON). */
export function flatten(nested) {
  return (Array.isArray(nested) ? nested.flat(Infinity) : [nested]).map((v) =>
    typeof v === 'string' ? SPECIAL[v] : v,
  );
}

/**
 * Relative L2 distance between two flat arrays over the finite expected entries; `mismatched`
 * counts entries where one side is NaN/Inf and the other is not the same.
 */
export function relativeL2(actual, expected) {
  let diff = 0;
  let norm = 0;
  let mismatched = 0;
  for (let i = 0; i < expected.length; i++) {
    if (!Number.isFinite(expected[i]) || !Number.isFinite(actual[i])) {
      if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) mismatched++;
      continue;
    }
    diff += (actual[i] - expected[i]) ** 2;
    norm += expected[i] ** 2;
  }
  return { diff: Math.sqrt(diff), norm: Math.sqrt(norm), mismatched };
}

/** A deterministic prediction in (0.05, 0.95) of `shape` (the inputs the interpreter-ops tests share). */
export function fixedPrediction(shape) {
  const size = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: size }, (_, i) => 0.05 + 0.9 * ((i * 0.6180339887) % 1)), shape };
}

/** Binary labels of `shape` (a pattern that leaves every channel both 0 and 1). */
export function fixedLabels(shape) {
  const size = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: size }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0)), shape };
}

/** A SourceHost over in-memory files (absolute path → text), for project tests. */
export function memoryHost(files) {
  const folders = new Set();
  for (const path of Object.keys(files)) for (let d = dirname(path); d !== dirname(d); d = dirname(d)) folders.add(d);
  return {
    readText: (path) => files[path],
    isFile: (path) => path in files,
    isDirectory: (path) => folders.has(path),
    list: (folder) =>
      [
        ...new Set(
          [...Object.keys(files), ...folders]
            .filter((p) => dirname(p) === folder)
            .map((p) => p.slice(folder.length + 1)),
        ),
      ].sort(),
  };
}

/** The built CLI (`dist/cli.js`) as a user runs it, from `cwd`: `cliIn(dir)('diagnose', 'a.py', '--json')`. */
export function cliIn(cwd) {
  return (...args) => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
      cwd,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr, signal: run.signal };
  };
}
