// The import structure of src/ and webview/: no import cycles, and no upward imports between the
// layers, lowest first:
//   src/engine/python/                                   the interpreter
//   the rest of src/engine/ (but index.ts)               program, contract, random, backend, findings/…
//   src/engine/diagnose/, src/engine/probe/              (probe never imports diagnose)
//   src/engine/index.ts                                  the engine's public surface
//   src/cli.ts, src/cli/, src/worker.ts, src/protocol.ts, src/host/, src/vscode/
//   src/extension.ts
// webview/ imports only src/protocol.ts and types. Inside diagnose/, queries import no check and
// the contract search imports queries, not checks. Type-only imports count (they are dependencies
// too), except that files of one folder may refer to each other's types in a cycle (mutually
// recursive types: a value and the scope that holds values). Imports are read from the source
// text: `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from './helpers.mjs';

const ENGINE_INDEX = 'src/engine/index.ts';
const ENGINE_LAYERED = /^src\/engine\/(python|diagnose|probe)\//;

const LAYERS = [
  { name: 'python', has: (f) => f.startsWith('src/engine/python/') },
  { name: 'engine core', has: (f) => f.startsWith('src/engine/') && f !== ENGINE_INDEX && !ENGINE_LAYERED.test(f) },
  { name: 'diagnose and probe', has: (f) => /^src\/engine\/(diagnose|probe)\//.test(f) },
  { name: 'engine index', has: (f) => f === ENGINE_INDEX },
  {
    name: 'hosts',
    has: (f) => ['src/cli.ts', 'src/worker.ts', 'src/protocol.ts'].includes(f) || /^src\/(cli|host|vscode)\//.test(f),
  },
  { name: 'extension', has: (f) => f === 'src/extension.ts' },
];

/** Imports that stay within a layer but against its structure: [from, to, why]. */
const FORBIDDEN = [
  [/^src\/engine\/probe\//, /^src\/engine\/diagnose\//, 'the probe runs without a diagnosis'],
  [/^src\/engine\/diagnose\/queries\//, /^src\/engine\/diagnose\/checks\//, 'checks use queries, not the reverse'],
  [/^src\/engine\/diagnose\/contract\w*\.ts$/, /^src\/engine\/diagnose\/checks\//, 'the contract search uses queries'],
];

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.ts$/.test(name)) yield path;
  }
}

const toPosix = (path) => relative(ROOT, path).split(sep).join('/');

// `import x, { a, type b } from '…'`, `export * as y from '…'`, `import type { … } from '…'`.
const CLAUSE = /(?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?|[\w$]+)/.source;
const FROM = new RegExp(`^\\s*(import|export)\\s+(type\\s+)?(${CLAUSE})\\s+from\\s+['"]([^'"]+)['"]`, 'gm');
const BARE = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Whether every name a braced import list brings in is marked `type`. */
const onlyTypes = (clause) => {
  const names = /^\{([^}]*)\}$/
    .exec(clause.trim())?.[1]
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return names !== undefined && names.length > 0 && names.every((n) => n.startsWith('type '));
};

function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
}

/** Every relative import of every file under src/ and webview/, as edges between repository paths. */
function importGraph() {
  const edges = [];
  for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'webview'))]) {
    const text = readFileSync(file, 'utf8');
    const found = [
      ...[...text.matchAll(FROM)].map((m) => ({ specifier: m[4], typeOnly: Boolean(m[2]) || onlyTypes(m[3]) })),
      ...[...text.matchAll(BARE), ...text.matchAll(DYNAMIC)].map((m) => ({ specifier: m[1], typeOnly: false })),
    ];
    for (const { specifier, typeOnly } of found) {
      if (!specifier.startsWith('.')) continue; // a package
      const target = resolveImport(file, specifier);
      edges.push({ from: toPosix(file), to: target ? toPosix(target) : `${specifier} (unresolved)`, typeOnly });
    }
  }
  return edges;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(edges) {
  const next = new Map();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map();
  const low = new Map();
  const stack = [];
  const found = [];
  const visit = (v) => {
    index.set(v, index.size);
    low.set(v, index.get(v));
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do component.push((w = stack.pop()));
    while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

const layerOf = (file) => LAYERS.findIndex((layer) => layer.has(file));

describe('import layers', () => {
  const edges = importGraph();

  test('the imports are read (every kind of import statement the code uses)', () => {
    assert.ok(edges.length > 300, `${edges.length} imports`);
    const has = (from, to) => edges.some((e) => e.from === from && e.to === to);
    assert.ok(has('src/engine/diagnose/diagnose.ts', 'src/engine/diagnose/contractSearch.ts'), 'a named import');
    assert.ok(has('src/engine/diagnose/checks/index.ts', 'src/engine/diagnose/checks/signError.ts'), 'import * as');
    assert.ok(has('src/engine/index.ts', 'src/engine/contract.ts'), 'export * from');
    assert.ok(has('src/engine/program.ts', 'src/engine/python/modules/all.ts'), "a bare import '…'");
    assert.ok(
      edges.some((e) => e.from === 'webview/types.ts' && e.typeOnly),
      'export type … from',
    );
    assert.deepEqual(
      edges.filter((e) => e.to.endsWith('(unresolved)')),
      [],
      'every relative import resolves',
    );
  });

  test('every file under src/ belongs to a layer', () => {
    const files = [...sourceFiles(join(ROOT, 'src'))].map(toPosix);
    assert.deepEqual(
      files.filter((f) => layerOf(f) < 0),
      [],
      'add new folders to LAYERS',
    );
  });

  test('no import cycles (files of one folder may share types in a cycle)', () => {
    const allowed = (component) => {
      const inside = new Set(component);
      const internal = edges.filter((e) => inside.has(e.from) && inside.has(e.to));
      return internal.every((e) => e.typeOnly) && new Set(component.map((f) => dirname(f))).size === 1;
    };
    assert.deepEqual(
      cycles(edges).filter((c) => !allowed(c)),
      [],
    );
  });

  test('no upward imports between layers', () => {
    const upward = edges
      .filter((e) => e.from.startsWith('src/') && layerOf(e.to) > layerOf(e.from))
      .map((e) => `${e.from} (${LAYERS[layerOf(e.from)].name}) → ${e.to} (${LAYERS[layerOf(e.to)].name})`);
    assert.deepEqual(upward, []);
  });

  test('src/ never imports webview/, and webview/ imports only src/protocol.ts and types', () => {
    const wrong = edges.filter(
      (e) =>
        (e.from.startsWith('src/') && e.to.startsWith('webview/')) ||
        (e.from.startsWith('webview/') && e.to.startsWith('src/') && e.to !== 'src/protocol.ts' && !e.typeOnly),
    );
    assert.deepEqual(
      wrong.map((e) => `${e.from} → ${e.to}`),
      [],
    );
  });

  test('within a layer: probe never imports diagnose; queries and the contract search import no check', () => {
    const wrong = edges.flatMap((e) =>
      FORBIDDEN.filter(([from, to]) => from.test(e.from) && to.test(e.to)).map(
        ([, , why]) => `${e.from} → ${e.to}: ${why}`,
      ),
    );
    assert.deepEqual(wrong, []);
  });
});
