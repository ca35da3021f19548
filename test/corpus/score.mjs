// Scores a Loss Lens CLI against the real-code corpus (test/corpus/manifest.json + golden.json).
//
//   node test/corpus/score.mjs [--cli PATH/TO/cli.js] [--out FILE] [--no-eval] [--case NAME ...]
//
// For every case it runs `node CLI diagnose FILE --json` from the case folder (the project root),
// compares each loss with the manifest's expectation, and (unless --no-eval) runs `CLI eval` with
// the golden inputs of every analysed loss to compare the value and the gradient norm with real
// PyTorch / numpy. Prints one line per loss and a summary; --out writes the same text to a file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const cli = resolve(option('--cli', join(REPO, 'dist', 'cli.js')));
const out = option('--out', undefined);
const withEval = !args.includes('--no-eval');
const only = args.flatMap((a, i) => (a === '--case' ? [args[i + 1]] : []));

const manifest = JSON.parse(readFileSync(join(HERE, 'manifest.json'), 'utf8'));
const golden = JSON.parse(readFileSync(join(HERE, 'golden.json'), 'utf8'));
const goldenRow = new Map(golden.cases.map((r) => [`${r.case}\u0000${r.loss}`, r]));
const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-corpus-'));

function run(cwd, argv) {
  try {
    return {
      stdout: execFileSync('node', [cli, ...argv], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 600_000,
        maxBuffer: 1 << 28,
      }),
      code: 0,
    };
  } catch (error) {
    return { stdout: error.stdout ?? '', stderr: error.stderr ?? '', code: error.status ?? -1 };
  }
}

const decode = (v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
function l2(nested) {
  let sum = 0;
  const walk = (x) => (Array.isArray(x) ? x.forEach(walk) : (sum += decode(x) ** 2));
  walk(nested);
  return Math.sqrt(sum);
}
const close = (a, b, rel, abs = 1e-6) =>
  (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= rel * Math.abs(b) + abs;

const baseName = (key) => key.split('(')[0];
const findReport = (reports, key) => reports.find((r) => r.entry === key || r.name === key || r.name === baseName(key));
const serious = (report) =>
  (report.findings ?? [])
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => `${f.kind}@${f.line}`);

/** A loss that takes one dict (the manifest's dictInput): eval's two tensors put under its keys. */
const dictEntry = (entry, keys) =>
  `lambda a, b: (${entry})({${[...keys.prediction.map((k) => `'${k}': a`), `'${keys.labels}': b`].join(', ')}})`;

/** `CLI eval` of one analysed loss on its golden inputs. */
function evalLoss(caseDef, loss, spec) {
  const row = goldenRow.get(`${caseDef.name}\u0000${loss}`);
  if (!row) return { status: 'no-golden' };
  let entry = spec.entry;
  const extras = Object.values(row.extra ?? {});
  const kwargs = Object.entries(spec.callKwargs ?? {}).map(
    ([k, v]) => `${k}=${v === true ? 'True' : v === false ? 'False' : JSON.stringify(v)}`,
  );
  if (extras.length || kwargs.length) {
    const tensor = row.framework === 'torch' ? 'torch.tensor' : 'tf.constant';
    const extraArgs = extras.map((e) => `${tensor}(${JSON.stringify(e)})`);
    entry = `lambda a, b: (${spec.entry})(a, b${[...extraArgs, ...kwargs].map((x) => `, ${x}`).join('')})`;
  }
  if (spec.dictInput) entry = dictEntry(entry, spec.dictInput);
  const inputs = join(scratch, 'inputs.json');
  writeFileSync(
    inputs,
    JSON.stringify({ prediction: row.prediction, target: row.target, target_dtype: row.targetDtype }),
  );
  const root = join(REPO, caseDef.root);
  const res = run(root, [
    'eval',
    caseDef.file,
    '--entry',
    entry,
    '--inputs',
    inputs,
    '--framework',
    row.framework,
    '--arg-order',
    row.argOrder,
    '--json',
  ]);
  // Real PyTorch raises on this loss (golden `raises`): eval must fail with the same error (exit 2).
  if (row.raises) {
    const said = `${res.stdout}\n${res.stderr ?? ''}`;
    if (res.code === 2 && said.includes(row.raises)) return { status: 'match' };
    return { status: 'mismatch', detail: `should raise ${row.raises}, got ${said.trim().slice(0, 120)}` };
  }
  let report;
  try {
    report = JSON.parse(res.stdout);
  } catch {
    return { status: 'eval-failed', detail: (res.stderr || res.stdout).trim().split('\n').pop()?.slice(0, 160) };
  }
  if (report.error)
    return { status: 'eval-failed', detail: String(report.error.message ?? report.error).slice(0, 160) };
  const value = decode(row.value);
  const valueOk = close(report.value ?? NaN, value, 1e-4);
  const gradOk =
    row.gradient === null
      ? report.grad_norm === null
      : report.grad_norm !== null && close(report.grad_norm, l2(row.gradient), 1e-3);
  const expectedGrad = row.gradient === null ? null : l2(row.gradient);
  return {
    status: valueOk && gradOk ? 'match' : 'mismatch',
    detail: `value ${report.value} vs ${value}, |grad| ${report.grad_norm} vs ${expectedGrad}`,
  };
}

const lines = [];
const byGroup = {};
const totals = {
  cases: 0,
  casesAllRight: 0,
  analysedExpected: 0,
  analysedRequired: 0,
  analysedOk: 0,
  analysedOptionalListed: 0,
  analysedOptionalOk: 0,
  findingsExact: 0,
  expectedFindings: 0,
  foundFindings: 0,
  falseFindings: 0,
  otherExpected: 0,
  otherOk: 0,
  fileExpected: 0,
  fileOk: 0,
  extra: 0,
  evalTried: 0,
  evalMatch: 0,
};

for (const caseDef of manifest.cases) {
  if (only.length && !only.includes(caseDef.name)) continue;
  totals.cases++;
  let caseOk = true;
  const root = join(REPO, caseDef.root);
  const res = run(root, ['diagnose', caseDef.file, '--json']);
  let report;
  try {
    // diagnose --json prints { version, backend, files: [one report per file] }.
    report = JSON.parse(res.stdout).files[0];
  } catch {
    lines.push(
      `${caseDef.name}: NO-JSON (exit ${res.code}) ${(res.stderr ?? '').trim().split('\n').pop()?.slice(0, 160)}`,
    );
    totals.casesAllRight += 0;
    continue;
  }
  const reports = report.losses ?? [];
  if (caseDef.fileError) {
    totals.fileExpected++;
    const ok =
      !!report.error &&
      report.error.message.includes(caseDef.fileError.message) &&
      report.error.line === caseDef.fileError.line;
    if (ok) totals.fileOk++;
    else caseOk = false;
    const got = report.error
      ? `${report.error.message.slice(0, 100)}@${report.error.line}`
      : `no file error, ${reports.length} losses`;
    const expected = `${caseDef.fileError.message}@${caseDef.fileError.line}`;
    lines.push(`${caseDef.name}: file ${ok ? 'OK' : 'WRONG'} expected ${expected}, got ${got}`);
  } else if (report.error) {
    caseOk = false;
    lines.push(`${caseDef.name}: FILE-ERROR ${report.error.message.slice(0, 160)}`);
  } else if (!Object.keys(caseDef.losses).length) {
    totals.fileExpected++;
    const ok = reports.length === 0;
    if (ok) totals.fileOk++;
    else caseOk = false;
    lines.push(`${caseDef.name}: no losses ${ok ? 'OK' : `WRONG (lists ${reports.map((r) => r.name).join(', ')})`}`);
  }
  const matched = new Set();
  for (const [loss, spec] of Object.entries(caseDef.losses)) {
    const r = findReport(reports, loss);
    if (r) matched.add(r);
    const tag = `${caseDef.name}/${loss}`;
    if (spec.expect === 'analysed') {
      if (spec.optional && !r) {
        lines.push(`${tag}: optional, not listed`);
        continue;
      }
      if (spec.optional) totals.analysedOptionalListed++;
      else totals.analysedRequired++;
      totals.analysedExpected++;
      const analysed = !!r && !r.error;
      const expected = spec.findings;
      const got = analysed ? serious(r) : [];
      const found = expected.filter((f) => got.includes(f));
      const exact = analysed && found.length === expected.length && got.length === expected.length;
      totals.expectedFindings += expected.length;
      totals.foundFindings += found.length;
      totals.falseFindings += got.filter((f) => !expected.includes(f)).length;
      if (analysed) {
        if (spec.optional) totals.analysedOptionalOk++;
        else totals.analysedOk++;
      }
      if (exact) totals.findingsExact++;
      if (!analysed || !exact) caseOk = false;
      let evalText = '';
      if (withEval) {
        const ev = evalLoss(caseDef, loss, spec);
        if (ev.status !== 'no-golden') {
          totals.evalTried++;
          if (ev.status === 'match') totals.evalMatch++;
          evalText = ` | eval ${ev.status}${ev.status === 'match' ? '' : `: ${ev.detail}`}`;
        }
      }
      const state = !r
        ? 'NOT LISTED'
        : r.error
          ? `ERROR(${r.error.kind}) ${r.error.message.slice(0, 120)}`
          : 'analysed';
      lines.push(
        `${tag}: ${analysed ? 'OK' : 'FAIL'} ${state}; ` +
          `findings ${exact ? 'OK' : 'WRONG'} expected [${expected.join(' ')}] got [${got.join(' ')}]${evalText}`,
      );
      continue;
    }
    totals.otherExpected++;
    let ok;
    let got;
    if (spec.expect === 'skipped') {
      ok = !r;
      got = r ? (r.error ? `listed with error: ${r.error.message.slice(0, 100)}` : 'listed as analysed') : 'not listed';
    } else if (spec.expect === 'needs-arguments') {
      ok = !!r && !!r.error && (r.error.kind === 'needs-arguments' || /needs arguments/.test(r.error.message));
      got = !r ? 'not listed' : r.error ? r.error.message.slice(0, 100) : 'analysed';
    } else {
      ok =
        (spec.optional && !r) ||
        (!!r &&
          !!r.error &&
          r.error.message.includes(spec.message) &&
          (r.error.line === undefined || r.error.line === spec.line));
      got = !r ? 'not listed' : r.error ? `${r.error.message.slice(0, 100)}@${r.error.line}` : 'analysed';
    }
    if (ok) totals.otherOk++;
    else caseOk = false;
    lines.push(
      `${tag}: ${ok ? 'OK' : 'FAIL'} expected ${spec.expect}` +
        `${spec.message ? ` (${spec.message}@${spec.line})` : ''}, got ${got}`,
    );
  }
  for (const r of reports) {
    if (matched.has(r)) continue;
    totals.extra++;
    lines.push(
      `${caseDef.name}/${r.name}: EXTRA (not in the manifest) ` +
        `${r.error ? `error ${r.error.message.slice(0, 100)}` : `analysed [${serious(r).join(' ')}]`}`,
    );
  }
  if (caseOk) totals.casesAllRight++;
  const group = caseDef.construct.split(':')[0];
  const g = (byGroup[group] ??= { cases: 0, right: 0 });
  g.cases++;
  if (caseOk) g.right++;
}
rmSync(scratch, { recursive: true, force: true });

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(0)}%` : 'n/a');
const t = totals;
const summary = [
  `cases fully right: ${t.casesAllRight}/${t.cases} (by group: ${Object.entries(byGroup)
    .map(([k, g]) => `${k} ${g.right}/${g.cases}`)
    .join(', ')})`,
  `losses analysed: ${t.analysedOk}/${t.analysedRequired} required (${pct(t.analysedOk, t.analysedRequired)}), ` +
    `${t.analysedOptionalOk}/${t.analysedOptionalListed} optional ones the CLI listed`,
  `findings exactly right: ${t.findingsExact}/${t.analysedExpected} analysed-expected losses ` +
    `(${pct(t.findingsExact, t.analysedExpected)})`,
  `expected findings reported: ${t.foundFindings}/${t.expectedFindings}; findings not expected: ${t.falseFindings}`,
  `skipped / needs-arguments / error expectations met: ${t.otherOk}/${t.otherExpected}`,
  `file-level expectations met (refusals, no-loss file): ${t.fileOk}/${t.fileExpected}`,
  `entries the manifest does not list: ${t.extra}`,
  withEval ? `eval value and gradient norm match golden: ${t.evalMatch}/${t.evalTried}` : 'eval: skipped (--no-eval)',
];
const text = [...lines, '', ...summary, ''].join('\n');
process.stdout.write(text);
if (out) writeFileSync(out, text);
