// The real-code corpus (test/corpus/): every case diagnosed by the engine from its project root,
// each loss as the manifest says (analysed with exactly its error/warning findings, skipped, "needs
// arguments", an error naming the import) and, for analysed losses, the value and gradient norm of
// the manifest's entry on the golden inputs (real PyTorch / numpy, test/corpus/golden.json). Read
// like test/corpus/score.mjs reads them. Cases that do not pass yet are listed in TODO with the
// reason; such a case that starts passing fails the test, so the list stays honest.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, closeTo, engine } from './helpers.mjs';

const CORPUS = join(ROOT, 'test', 'corpus');
const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8'));
const golden = JSON.parse(readFileSync(join(CORPUS, 'golden.json'), 'utf8'));
const goldenRow = new Map(golden.cases.map((r) => [`${r.case}\u0000${r.loss}`, r]));

/** Cases that do not pass yet, with why (most need an op or an API the interpreter lacks). */
const TODO = {};

const baseName = (key) => key.split('(')[0];
const findReport = (reports, key) => reports.find((r) => r.entry === key || r.name === key || r.name === baseName(key));
const serious = (report) =>
  (report.findings ?? [])
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => `${f.kind}@${f.line}`);
const decode = (v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
function l2(nested) {
  let sum = 0;
  const walk = (x) => (Array.isArray(x) ? x.forEach(walk) : (sum += decode(x) ** 2));
  walk(nested);
  return Math.sqrt(sum);
}
/** The dict a loss that takes one is called with (the manifest's dictInput), as Python source. */
const dictText = (keys, prediction, labels) =>
  `{${[...keys.prediction.map((k) => `'${k}': ${prediction}`), `'${keys.labels}': ${labels}`].join(', ')}}`;
const pythonValue = (v) => (v === true ? 'True' : v === false ? 'False' : JSON.stringify(v));

function projectOf(caseDef) {
  const root = join(ROOT, caseDef.root);
  const file = join(root, caseDef.file);
  return {
    file,
    project: { layout: engine.projectLayout(engine.fileSystemHost, file, { root }), host: engine.fileSystemHost },
  };
}

/** The manifest's entry on the golden inputs: value and gradient norm as real PyTorch / numpy give them. */
async function goldenProblems(caseDef, loss, spec) {
  const row = goldenRow.get(`${caseDef.name}\u0000${loss}`);
  if (!row) return [];
  const { file, project } = projectOf(caseDef);
  const extras = Object.values(row.extra ?? {});
  const kwargs = Object.entries(spec.callKwargs ?? {}).map(([k, v]) => `${k}=${pythonValue(v)}`);
  let entry = spec.entry;
  if (extras.length || kwargs.length) {
    const tensor = row.framework === 'torch' ? 'torch.tensor' : 'tf.constant';
    const args = [...extras.map((e) => `${tensor}(${JSON.stringify(e)})`), ...kwargs];
    entry = `lambda a, b: (${spec.entry})(a, b${args.map((x) => `, ${x}`).join('')})`;
  }
  if (spec.dictInput) entry = `lambda a, b: (${entry})(${dictText(spec.dictInput, 'a', 'b')})`;
  const request = {
    path: file,
    entry,
    project,
    framework: row.framework,
    argOrder: row.argOrder,
    inputs: { prediction: row.prediction, target: row.target, targetDtype: row.targetDtype },
  };
  if (row.raises) {
    // Real PyTorch raises on a prediction that requires grad: so must eval. The values are those of
    // `.numpy()` read as `.detach().numpy()`, on both sides.
    const raised = await engine.evaluateFile(request).then(
      () => undefined,
      (error) => error.message,
    );
    if (!raised?.includes(row.raises)) return [`${loss}: eval should raise ${row.raises}, got ${raised ?? 'a value'}`];
    request.numpyDetaches = true;
  }
  let report;
  try {
    report = await engine.evaluateFile(request);
  } catch (error) {
    return [`${loss}: eval failed: ${error.message}`];
  }
  const value = decode(row.value);
  const problems = [];
  if (!closeTo(report.value, value, 1e-4)) problems.push(`${loss}: value ${report.value}, golden ${value}`);
  if (row.gradient === null) {
    if (report.gradNorm !== null) problems.push(`${loss}: a gradient (norm ${report.gradNorm}) where there is none`);
  } else if (report.gradNorm === null || !closeTo(report.gradNorm, l2(row.gradient), 1e-3)) {
    problems.push(`${loss}: gradient norm ${report.gradNorm}, golden ${l2(row.gradient)}`);
  }
  return problems;
}

/** Everything about a case that differs from the manifest (empty: the case passes). */
async function caseProblems(caseDef) {
  const { file, project } = projectOf(caseDef);
  const report = await engine.diagnoseSource(file, readFileSync(file, 'utf8'), { project });
  const reports = report.losses ?? [];
  const problems = [];
  if (caseDef.fileError) {
    const { message, line } = caseDef.fileError;
    if (!report.error?.message.includes(message) || report.error.line !== line)
      problems.push(`file: expected ${message}@${line}, got ${report.error ? report.error.message : 'no error'}`);
  } else if (report.error) problems.push(`file error: ${report.error.message}`);
  const matched = new Set();
  for (const [loss, spec] of Object.entries(caseDef.losses)) {
    const r = findReport(reports, loss);
    if (r) matched.add(r);
    if (spec.expect === 'analysed') {
      if (!r) {
        if (!spec.optional) problems.push(`${loss}: not listed`);
        continue;
      }
      if (r.error) {
        problems.push(`${loss}: ${r.error.message}`);
        continue;
      }
      const got = serious(r).sort();
      const expected = [...spec.findings].sort();
      if (got.join() !== expected.join()) problems.push(`${loss}: findings [${got}], expected [${expected}]`);
      // Called with the dict the manifest says: the same keys for the prediction and the labels.
      const dict = spec.dictInput && dictText(spec.dictInput, 'prediction', 'labels');
      if (dict && !r.constructedFrom?.some((c) => c.value === dict))
        problems.push(`${loss}: not called with ${dict} (${JSON.stringify(r.constructedFrom)})`);
      problems.push(...(await goldenProblems(caseDef, loss, spec)));
    } else if (spec.expect === 'skipped') {
      if (r) problems.push(`${loss}: listed (${r.error ? r.error.message : 'analysed'}), expected skipped`);
    } else if (spec.expect === 'needs-arguments') {
      if (!r?.error || !(r.error.kind === 'needs-arguments' || /needs arguments/.test(r.error.message)))
        problems.push(
          `${loss}: expected "needs arguments", got ${r ? (r.error?.message ?? 'analysed') : 'not listed'}`,
        );
      // A dict whose keys are unclear: the message names them.
      for (const key of spec.dictKeys ?? [])
        if (!r?.error?.message.includes(`'${key}'`)) problems.push(`${loss}: the refusal does not name key '${key}'`);
    } else if (!(spec.optional && !r)) {
      const ok = r?.error?.message.includes(spec.message) && (r.error.line === undefined || r.error.line === spec.line);
      if (!ok) problems.push(`${loss}: expected an error naming ${spec.message}, got ${r?.error?.message ?? 'none'}`);
    }
  }
  for (const r of reports) if (!matched.has(r)) problems.push(`${r.name}: listed, not in the manifest`);
  return problems;
}

describe('the real-code corpus', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('every todo names a case of the manifest', (t) => {
    const names = new Set(manifest.cases.map((c) => c.name));
    for (const name of Object.keys(TODO)) assert.ok(names.has(name), `${name} is not a corpus case`);
    t.diagnostic(`${Object.keys(TODO).length} of ${manifest.cases.length} cases are todo`);
  });

  for (const caseDef of manifest.cases) {
    const reason = TODO[caseDef.name];
    test(reason ? `${caseDef.name} (todo: ${reason})` : caseDef.name, async () => {
      const problems = await caseProblems(caseDef);
      if (reason) assert.ok(problems.length, `${caseDef.name} passes now: remove it from TODO`);
      else assert.deepEqual(problems, []);
    });
  }
});
