// Every rule documents an example of the bug and of the fix (docs/findings.md). The static rules'
// examples are diagnosed: the bug is reported, the fixed code is not. The probe rules' examples need
// a training run to show their verdict; here they are only required to run.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine } from './helpers.mjs';

const kindsIn = (report) => [...report.findings, ...report.losses.flatMap((l) => l.findings)].map((f) => f.kind);
const lossErrors = (report) => report.losses.filter((l) => l.error).map((l) => `${l.entry}: ${l.error.message}`);

describe('rule examples', () => {
  before(() => engine.initBackend('auto'));

  for (const rule of engine.RULES) {
    const probeRule = engine.PROBE_FINDING_KINDS.includes(rule.id);
    test(`${rule.id}: ${probeRule ? 'the examples run' : 'the bug is reported, the fixed code is not'}`, async () => {
      const bug = await engine.diagnoseSource(`${rule.id}.py`, rule.example.bug);
      const fixed = await engine.diagnoseSource(`${rule.id}.py`, rule.example.fixed);
      for (const report of [bug, fixed]) {
        assert.equal(report.error, undefined, report.error?.message);
        assert.equal(report.losses.length, 1, 'one loss');
      }
      assert.deepEqual(lossErrors(fixed), []);
      // The sandbox example's loss runs refused code: it cannot be evaluated past that line.
      if (rule.id !== 'sandbox-refused') assert.deepEqual(lossErrors(bug), []);
      if (probeRule) return;
      assert.ok(kindsIn(bug).includes(rule.id), `the bug gives ${kindsIn(bug)}`);
      assert.ok(!kindsIn(fixed).includes(rule.id), `the fixed code still gives ${rule.id}`);
    });
  }
});
