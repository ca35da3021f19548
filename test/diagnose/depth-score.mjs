// Figures for issue 12's detection-depth fixtures (test/diagnose/detection-depth.json): per case,
// whether `diagnose` reports the expected finding at the expected line with the contract given and
// inferred (and its severity), and the errors or warnings it reports on the correct twin.
// Usage (after npm run build): node test/diagnose/depth-score.mjs [--json]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, engine } from '../engine/helpers.mjs';

const manifest = JSON.parse(readFileSync(join(ROOT, 'test', 'diagnose', 'detection-depth.json'), 'utf8'));

/** The findings of one loss of a file, diagnosed with `contract` (undefined: inferred). */
async function findingsOf(path, loss, contract) {
  const source = readFileSync(join(ROOT, path), 'utf8');
  const report = await engine.diagnoseSource(path, source, contract ? { contract } : {});
  const found = report.losses.find((l) => l.entry === loss || l.name === loss);
  if (!found) return { error: `${loss} not found`, findings: [] };
  return { error: found.error?.message, findings: found.findings };
}

const serious = (findings) =>
  findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line} (${f.severity})`);

/** One row per case: the expected finding under each contract, false alarms on the twin. */
export async function score() {
  await engine.initBackend('auto');
  const rows = [];
  for (const c of manifest.cases) {
    const row = { item: c.item, bug: c.bug, finding: c.finding };
    for (const [mode, contract] of [
      ['given', c.contract],
      ['inferred', undefined],
    ]) {
      const bug = await findingsOf(c.bug, c.loss, contract);
      const hit = bug.findings.find((f) => `${f.kind}@${f.line}` === c.finding);
      row[mode] = hit ? hit.severity : 'missed';
      row[`${mode}Other`] = serious(bug.findings).filter((f) => !f.startsWith(`${c.finding} `));
      if (bug.error) row[`${mode}Error`] = bug.error;
      const twin = await findingsOf(c.twin, c.loss, contract);
      row[`${mode}TwinAlarms`] = [...serious(twin.findings), ...(twin.error ? [`error: ${twin.error}`] : [])];
    }
    rows.push(row);
  }
  return rows;
}

export function summary(rows) {
  const count = (mode) => rows.filter((r) => r[mode] !== 'missed').length;
  const alarms = (mode) => rows.filter((r) => r[`${mode}TwinAlarms`].length).length;
  return {
    cases: rows.length,
    foundGiven: count('given'),
    foundInferred: count('inferred'),
    twinsWithAlarmsGiven: alarms('given'),
    twinsWithAlarmsInferred: alarms('inferred'),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const rows = await score();
  if (process.argv.includes('--json')) console.log(JSON.stringify({ rows, summary: summary(rows) }, null, 2));
  else {
    for (const r of rows) {
      const name = r.bug.split('/').pop().replace('_bug.py', '');
      console.log(
        `${String(r.item).padEnd(5)} ${name.padEnd(30)} ${r.finding.padEnd(24)} given: ${r.given.padEnd(7)} ` +
          `inferred: ${r.inferred.padEnd(7)} twin alarms: ${r.givenTwinAlarms.length}/${r.inferredTwinAlarms.length}`,
      );
      for (const mode of ['given', 'inferred']) {
        if (r[`${mode}Error`]) console.log(`      ${mode}: could not be analysed: ${r[`${mode}Error`]}`);
        if (r[`${mode}Other`].length) console.log(`      ${mode} also: ${r[`${mode}Other`].join(', ')}`);
        if (r[`${mode}TwinAlarms`].length) console.log(`      ${mode} twin: ${r[`${mode}TwinAlarms`].join(', ')}`);
      }
    }
    console.log(JSON.stringify(summary(rows)));
  }
}
