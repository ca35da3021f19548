// `diagnose --format json|sarif`: one JSON shape for a file and a folder, and a SARIF 2.1.0 log
// that validates against the schema's essentials (sarifSchema.mjs), with rules from the engine's
// rules table, results that point into the right files, and the losses and files that could not be
// analysed as not-analysed results and tool notifications.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { bundled, cliIn, engine, ROOT } from './helpers.mjs';
import { schemaErrors } from './sarifSchema.mjs';

// realpath: the CLI names files under its working folder, which the OS gives resolved (macOS /private/var).
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'loss-lens-cli-formats-')));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cli = cliIn(scratch);

const lines = (...text) => `${text.join('\n')}\n`;

// A project: a loss whose argmax is in a helper module (an error with a related location in another
// file), a NaN on empty masks (an error) with a batch-pooled Dice (info), a loss that raises (not
// analysed), a Keras loss whose double sigmoid rests on a convention (a warning), a helper module
// without losses and a Python 2 file (a file that cannot be analysed).
const FILES = {
  'helpers.py': lines('import torch', '', '', 'def hard_mask(pred):', '    return torch.argmax(pred, dim=1)'),
  'losses.py': lines(
    'import torch',
    'from helpers import hard_mask',
    '',
    '',
    'def dice_loss(pred, target):',
    '    mask = hard_mask(pred)',
    '    inter = (mask * target).sum()',
    '    return 1 - (2 * inter + 1) / (mask.sum() + target.sum() + 1)',
    '',
    '',
    'def plain_dice(pred, target):',
    '    inter = (pred * target).sum()',
    '    return 1 - 2 * inter / (pred.sum() + target.sum())',
    '',
    '',
    'def raising_dice(pred, target):',
    '    raise ValueError("shapes do not match")',
  ),
  'keras_losses.py': lines(
    'from tensorflow.keras import backend as K',
    '',
    '',
    'def sigmoid_dice_loss(y_true, y_pred):',
    '    y_pred = K.sigmoid(y_pred)',
    '    inter = K.sum(y_true * y_pred, axis=[1, 2])',
    '    return 1 - K.mean((2 * inter + 1) / (K.sum(y_true, axis=[1, 2]) + K.sum(y_pred, axis=[1, 2]) + 1))',
  ),
  'z_python2.py': lines('print "x"'),
};

before(() => {
  mkdirSync(join(scratch, 'proj'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(scratch, 'proj', name), text);
});

/** `diagnose proj/losses.py --format json`, shared by the tests that compare other outputs with it. */
let fileJson;
before(() => {
  fileJson = cli('diagnose', 'proj/losses.py', '--format', 'json');
});

describe('diagnose --format json: one shape for a file and a folder', () => {
  test('a file and the folder holding it give {version, backend, files, skipped}; the file reads the same', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const file = fileJson;
    const folder = cli('diagnose', 'proj', '--json');
    assert.equal(file.code, 2, 'raising_dice is not analysed');
    assert.equal(folder.code, 2);
    const [one, all] = [JSON.parse(file.stdout), JSON.parse(folder.stdout)];
    for (const document of [one, all]) {
      assert.deepEqual(Object.keys(document), ['version', 'backend', 'files', 'skipped']);
      assert.equal(document.version, version);
      assert.ok(['wasm', 'cpu', 'tensorflow'].includes(document.backend));
      assert.deepEqual(document.skipped, []);
      for (const report of document.files) assert.equal(report.backend, document.backend);
    }
    assert.deepEqual(
      one.files.map((f) => f.file),
      ['proj/losses.py'],
    );
    assert.deepEqual(
      all.files.map((f) => f.file),
      ['proj/helpers.py', 'proj/keras_losses.py', 'proj/losses.py', 'proj/z_python2.py'],
    );
    assert.deepEqual(one.files[0], all.files[2], "the file's report is the same on its own and in its folder");
    const related = one.files[0].losses[0].findings[0].related;
    assert.equal(related[0].file, join(scratch, 'proj', 'helpers.py'), 'JSON keeps the engine’s absolute path');
  });
});

describe('several paths', () => {
  test("are read as one folder's files, in the order given: a file without a loss is fine next to one", () => {
    const run = cli('diagnose', 'proj/keras_losses.py', 'proj/helpers.py', '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      JSON.parse(run.stdout).files.map((f) => [f.file, f.losses.length]),
      [
        ['proj/keras_losses.py', 1],
        ['proj/helpers.py', 0],
      ],
    );
    assert.equal(run.stderr, '');
  });
});

describe('diagnose --format sarif', () => {
  let run;
  let log;
  before(() => {
    run = cli('diagnose', 'proj', '--format', 'sarif');
    log = JSON.parse(run.stdout);
  });
  const results = () => log.runs[0].results;
  const resultsOf = (ruleId) => results().filter((r) => r.ruleId === ruleId);
  const uriOf = (location) => location.physicalLocation.artifactLocation.uri;

  test('validates against the SARIF 2.1.0 schema (its essential objects and properties)', () => {
    assert.deepEqual(schemaErrors(log), []);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    // The validator itself rejects what the schema rejects.
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'info';
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].tool.driver.rules[0].extra = true;
    delete broken.runs[0].invocations[0].executionSuccessful;
    assert.equal(schemaErrors(broken).length, 4, schemaErrors(broken).join('\n'));
  });

  test("the driver's rules are the engine's rules, then not-analysed; levels map from severities", () => {
    const { driver } = log.runs[0].tool;
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(driver.name, 'Loss Lens');
    assert.equal(driver.version, version);
    assert.deepEqual(
      driver.rules.map((r) => r.id),
      [...engine.RULES.map((r) => r.id), 'not-analysed'],
    );
    const level = { error: 'error', warning: 'warning', info: 'note' };
    for (const rule of engine.RULES) {
      const descriptor = driver.rules.find((r) => r.id === rule.id);
      assert.equal(descriptor.shortDescription.text, rule.title);
      assert.equal(descriptor.fullDescription.text, rule.explanation);
      assert.equal(descriptor.help.text, rule.fix);
      assert.equal(descriptor.defaultConfiguration.level, level[rule.severity], rule.id);
      assert.match(descriptor.name, /^[A-Z][A-Za-z]+$/);
    }
  });

  test('every result names a rule of the driver by id and index, at 1-based lines of a file under %SRCROOT%', () => {
    const { rules } = log.runs[0].tool.driver;
    assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(`${scratch}/`).href } });
    assert.ok(results().length >= 6);
    for (const result of results()) {
      assert.equal(rules[result.ruleIndex].id, result.ruleId, 'ruleIndex points at the rule');
      assert.ok(result.message.text.length > 0);
      for (const location of [...result.locations, ...(result.relatedLocations ?? [])]) {
        const { artifactLocation, region } = location.physicalLocation;
        assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
        assert.match(artifactLocation.uri, /^proj\/[a-z_0-9]+\.py$/, 'relative to the working folder');
        if (!region) continue;
        assert.ok(region.startLine >= 1 && region.endLine >= region.startLine, JSON.stringify(region));
        if (region.startColumn !== undefined && region.endLine === region.startLine)
          assert.ok(region.endColumn >= region.startColumn, JSON.stringify(region));
      }
    }
  });

  test('an error with its helper in another file, a warning and a note, at their lines', () => {
    const [cut] = resultsOf('non-differentiable');
    assert.equal(cut.level, 'error');
    assert.equal(uriOf(cut.locations[0]), 'proj/losses.py');
    assert.deepEqual(cut.locations[0].physicalLocation.region, {
      startLine: 6,
      startColumn: 12,
      endLine: 6,
      endColumn: 27,
    });
    assert.deepEqual(cut.locations[0].logicalLocations, [{ name: 'dice_loss', kind: 'function' }]);
    assert.deepEqual(
      cut.relatedLocations.map((r) => [uriOf(r), r.physicalLocation.region.startLine, r.message.text]),
      [
        ['proj/helpers.py', 5, 'written here'],
        ['proj/losses.py', 6, 'the loss reaches it through this call'],
      ],
    );
    assert.equal(cut.properties.evidence.op, 'argmax', 'the evidence, at full precision');
    const [nan] = resultsOf('nan-on-empty');
    assert.equal(nan.level, 'error');
    assert.equal(nan.locations[0].physicalLocation.region.startLine, 13);
    const [warning] = resultsOf('double-activation');
    assert.equal(warning.level, 'warning', 'an error lowered to a warning keeps the finding’s severity');
    assert.equal(uriOf(warning.locations[0]), 'proj/keras_losses.py');
    assert.equal(resultsOf('batch-pooled-dice')[0].level, 'note');
  });

  test('a loss that failed and a file that does not parse are not-analysed results and notifications', () => {
    const failed = resultsOf('not-analysed');
    assert.deepEqual(
      failed.map((r) => [uriOf(r.locations[0]), r.locations[0].physicalLocation.region.startLine, r.level]),
      [
        ['proj/losses.py', 17, 'error'],
        ['proj/z_python2.py', 1, 'error'],
      ],
    );
    assert.match(
      failed[0].message.text,
      /^raising_dice could not be analysed: python: ValueError: shapes do not match/,
    );
    assert.match(failed[1].message.text, /^proj\/z_python2\.py cannot be analysed: SyntaxError: Missing parentheses/);
    const [invocation] = log.runs[0].invocations;
    assert.equal(run.code, 2);
    assert.equal(invocation.exitCode, 2);
    assert.equal(invocation.executionSuccessful, false, 'something was not analysed');
    assert.deepEqual(
      invocation.toolExecutionNotifications.map((n) => [n.level, n.descriptor?.id, n.message.text]),
      failed.map((r) => ['error', 'not-analysed', r.message.text]),
    );
  });
});

describe('diagnose text output', () => {
  test('evidence rounded for reading (JSON keeps every digit); paths as PATH was given', () => {
    const value = JSON.parse(fileJson.stdout).files[0].losses[0].findings[0].evidence.value;
    assert.ok(String(value).replace(/^0\./, '').length > 4, `a value with digits to round: ${value}`);
    const relative = cli('diagnose', './proj/losses.py');
    assert.match(relative.stdout, /^\.\/proj\/losses\.py {2}\(backend \w+\)\n/, 'the file as given');
    const evidence = relative.stdout.split('\n').find((line) => line.includes('evidence: op=argmax'));
    assert.equal(
      evidence.trim(),
      `evidence: op=argmax  gradient=absent (no gradient path)  value=${Number(value.toPrecision(4))}`,
    );
    assert.match(relative.stdout, /\n {4}proj\/helpers\.py line 5: written here\n/, 'another file, relative too');
    const absolute = cli('diagnose', join(scratch, 'proj', 'losses.py'));
    assert.ok(absolute.stdout.startsWith(`${join(scratch, 'proj', 'losses.py')}  (backend`));
    assert.ok(absolute.stdout.includes(`    ${join(scratch, 'proj', 'helpers.py')} line 5: written here\n`));
  });

  test('numbers: integers as they are, others to 4 significant digits, NaN and Inf named', async () => {
    const { evidenceValueText } = await bundled('src/cli/evidenceText.ts', scratch);
    assert.equal(evidenceValueText(65536), '65536');
    assert.equal(evidenceValueText(0.33397096395492554), '0.334');
    assert.equal(evidenceValueText(1.000000005156026), '1');
    assert.equal(evidenceValueText(-0.0009965850040316582), '-9.97e-4');
    assert.equal(evidenceValueText([0.123456, 2]), '[0.1235, 2]');
    assert.equal(evidenceValueText(NaN), 'NaN');
    assert.equal(evidenceValueText(-Infinity), '-Inf');
    assert.equal(evidenceValueText('0/0'), '0/0');
  });
});
