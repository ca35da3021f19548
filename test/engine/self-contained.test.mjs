// A fresh clone with nothing beside it must build and pass: no source, test, script or benchmark may
// refer to a path above the repository root (CI happens to have other folders beside its clone;
// users, forks and source tarballs do not).
//
// Three ways a file can point outside: a relative literal ('../../x') resolved from the file's own
// folder, a join/resolve chain of '..' segments from a base whose folder is known (the file's folder,
// or a variable assigned from one), and an absolute path into the repository's parent folder.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROOT } from './helpers.mjs';

const SCANNER = fileURLToPath(import.meta.url);
const SCANNED = ['src', 'test', 'bench', 'scripts', 'webview', 'esbuild.mjs', 'package.json', '.ci'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out', '.tmp', '.runs', '.vscode-test', '__pycache__']);
const TEXT = /\.(ts|mjs|cjs|js|py|sh|json|md|txt|ipynb)$|(^|\/)run$/;

function* files(path) {
  const stat = statSync(path);
  if (stat.isFile()) {
    if (TEXT.test(path) && !path.endsWith('package-lock.json')) yield path;
    return;
  }
  for (const name of readdirSync(path)) if (!SKIPPED_DIRS.has(name)) yield* files(join(path, name));
}

const outside = (path) => {
  const rel = relative(ROOT, path);
  return rel === '..' || rel.startsWith(`..${sep}`);
};

// Expressions whose value is the folder of the file they are written in. (`__dirname` in TypeScript
// is the folder of the compiled output, which the source does not tell.)
const OWN_FOLDER = [
  /^__dirname$/,
  /^dirname\(fileURLToPath\(import\.meta\.url\)\)$/,
  /^os\.path\.dirname\(os\.path\.(abspath|realpath)\(__file__\)\)$/,
  /^"?\$\(dirname "\$(0|\{BASH_SOURCE\[0\]\})"\)"?$/,
];
const STRING = /^(['"])(.*)\1$/;
// join(…) / path.resolve(…) / os.path.join(…), arguments nested up to two calls deep.
const PATH_CALL = /(?:path\.|os\.path\.)?(?:join|resolve)\(([^()]*(?:\([^()]*(?:\([^()]*\))?[^()]*\))?[^()]*)\)/g;

/** The folder an expression names, when it is the file's folder, a known variable or a string. */
function folderOf(expr, file, known) {
  expr = expr.trim();
  if (expr === '__dirname' && file.endsWith('.ts')) return undefined;
  if (OWN_FOLDER.some((re) => re.test(expr))) return dirname(file);
  if (known.has(expr)) return known.get(expr);
  const call = new RegExp(`^(?:os\\.path\\.normpath\\()?${PATH_CALL.source}\\)?$`).exec(expr);
  return call ? resolveChain(call[1], file, known) : undefined;
}

/** Resolves `join(base, '..', 'x')`-style argument lists whose segments are all literals. */
function resolveChain(args, file, known) {
  const [base, ...rest] = args.split(',').map((a) => a.trim());
  const start = folderOf(base, file, known);
  if (start === undefined) return undefined;
  const segments = [];
  for (const arg of rest) {
    const m = STRING.exec(arg);
    if (!m) break; // a computed segment: what follows it is not known here
    segments.push(m[2]);
  }
  return resolve(start, ...segments);
}

/** Every line of `text` that names a path outside the repository, as `line: excerpt`. */
function escapes(text, file) {
  const found = [];
  const known = new Map([['ROOT', ROOT]]); // test/engine/helpers.mjs exports the root as ROOT
  const parent = dirname(ROOT);
  text.split('\n').forEach((line, i) => {
    const report = (what) => found.at(-1)?.startsWith(`${i + 1}: `) || found.push(`${i + 1}: ${what}`);
    // A name bound to a known folder (`const HERE = dirname(fileURLToPath(import.meta.url))`).
    const bound = /^\s*(?:(?:const|let|var|export const)\s+)?(\w+)\s*=\s*([^;#]+?);?\s*(?:\/\/.*)?$/.exec(line);
    const boundFolder = bound ? folderOf(bound[2], file, known) : undefined;
    if (boundFolder !== undefined) known.set(bound[1], boundFolder);
    // path.join / path.resolve / os.path.join with literal segments.
    for (const m of line.matchAll(PATH_CALL)) {
      const target = resolveChain(m[1], file, known);
      if (target !== undefined && outside(target)) report(m[0]);
    }
    // Shell: "$(dirname "$0")/../..".
    for (const m of line.matchAll(/\$\(dirname "\$(?:0|\{BASH_SOURCE\[0\]\})"\)((?:\/\.\.)+)/g)) {
      if (outside(resolve(dirname(file), `.${m[1]}`))) report(m[0]);
    }
    // Relative literals ('../x', "../../y") resolved from the file's folder.
    for (const m of line.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
      if (outside(resolve(dirname(file), m[1]))) report(m[1]);
    }
    // Absolute paths into a folder beside the repository (one that exists there, so that a clone
    // under /tmp may still name /tmp/some-marker), and into this machine's /work layout.
    for (const m of line.matchAll(/(?<![\w.])\/[\w.-]+(?:\/[\w.-]+)+/g)) {
      const path = m[0];
      const sibling = path.startsWith(`${parent}/`) && join(parent, path.slice(parent.length + 1).split('/')[0]);
      if ((sibling && sibling !== ROOT && existsSync(sibling)) || /^\/work\/(?!main\b)/.test(path)) report(path);
    }
    // The sibling folder CI happens to have, however it is spelled.
    if (/\.\.[/\\]shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]/.test(line)) report(line.trim());
  });
  return found;
}

describe('the repository is self-contained', () => {
  test('no file under src/, test/, bench/, scripts/ or webview/ refers to a path above the root', () => {
    const offenders = [];
    let scanned = 0;
    for (const top of SCANNED) {
      for (const file of files(join(ROOT, top))) {
        if (file === SCANNER) continue; // its own cases below are ways out on purpose
        scanned += 1;
        for (const hit of escapes(readFileSync(file, 'utf8'), file)) offenders.push(`${relative(ROOT, file)}:${hit}`);
      }
    }
    assert.ok(scanned > 100, `scanned only ${scanned} files`);
    assert.deepEqual(offenders, []);
  });

  test('the scanner sees each way out of the repository', () => {
    const here = join(ROOT, 'test', 'engine', 'x.mjs');
    // Spelled in pieces so that this file does not itself read as a way out of the repository.
    const beside = ["'..'", "'shared'"].join(', ');
    const cases = {
      [`const V = join(ROOT, ${beside}, 'vectors.json');`]: 1,
      "const HERE = dirname(fileURLToPath(import.meta.url));\nconst up = resolve(HERE, '..', '..', '..');": 1,
      'ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))': 1,
      "import x from '../../../outside.js';": 1,
      'cd "$(dirname "$0")/../../.."': 1,
      "const notes = '/work/shared/notes.md';": 1,
      "const data = join(ROOT, 'test', 'data', 'reference-vectors.json');": 0,
      "const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');": 0,
      "import { ROOT } from '../helpers.mjs';": 0,
      "const p = join(ROOT, '..', name);": 1,
      "const p = join(tmpdir(), '..', 'x');": 0,
    };
    for (const [source, expected] of Object.entries(cases)) {
      assert.equal(escapes(source, here).length, expected, source);
    }
  });
});
