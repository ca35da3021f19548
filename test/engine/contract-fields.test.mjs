// The contract schema is the single source of the contract's fields: the engine's value lists, the
// settings in package.json (generated), their validation, the report's texts, the CLI's help and
// the README all follow it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

const { CONTRACT_FIELDS, contractField, contractFromSettings, contractFieldText } = engine;
const settingsWith = (values) => contractFromSettings((setting) => values[setting]);

describe('contract schema', () => {
  test('lists every contract field once, with its flag, setting and description', () => {
    assert.deepEqual(
      CONTRACT_FIELDS.map((f) => f.key),
      ['framework', 'argOrder', 'layout', 'labels', 'prediction', 'classes', 'spatialDims'],
    );
    for (const field of CONTRACT_FIELDS) {
      assert.match(field.flag, /^[a-z]+(-[a-z]+)*$/, field.key);
      assert.equal(field.setting, `lossLens.contract.${field.key}`);
      assert.ok(field.description.length > 10 && field.inferredFrom.startsWith('from '), field.key);
      for (const choice of field.values ?? []) {
        assert.ok(choice.description && choice.display, `${field.key}=${choice.value}`);
      }
    }
    assert.deepEqual(engine.FRAMEWORKS, ['keras', 'tf', 'torch', 'numpy', 'theano']);
    assert.deepEqual(engine.ARG_ORDERS, ['true_pred', 'pred_true']);
    assert.deepEqual(engine.LAYOUTS, ['channels_last', 'channels_first']);
    assert.deepEqual(engine.LABEL_FORMATS, ['onehot', 'sparse']);
    assert.deepEqual(engine.PREDICTION_DOMAINS, ['probabilities', 'logits']);
    assert.deepEqual([contractField('classes').min, contractField('classes').max], [1, 64]);
  });

  test("the report's texts for each field", () => {
    const contract = {
      framework: 'torch',
      argOrder: 'pred_true',
      layout: 'channels_first',
      labels: 'sparse',
      prediction: 'logits',
      classes: 3,
      spatialDims: 2,
    };
    assert.deepEqual(
      CONTRACT_FIELDS.map((f) => contractFieldText(contract, f.key)),
      ['PyTorch', 'called (pred, true)', 'channels first', 'integer labels', 'logits', '3 classes', '2-D'],
    );
    const other = {
      framework: 'tf',
      argOrder: 'true_pred',
      layout: 'channels_last',
      labels: 'onehot',
      prediction: 'probabilities',
      classes: 1,
    };
    assert.deepEqual(
      CONTRACT_FIELDS.map((f) => contractFieldText(other, f.key)),
      [
        'TensorFlow',
        'called (true, pred)',
        'channels last',
        'one-hot labels',
        'probabilities',
        '1 channel (binary)',
        undefined,
      ],
    );
    const flattened = { layout: 'channels_last', flattened: true };
    assert.equal(contractFieldText(flattened, 'layout'), 'flattened (pixels, classes)');
  });
});

describe('contract settings', () => {
  test('valid values become the contract; auto sentinels leave a field to inference', () => {
    const given = settingsWith({
      'lossLens.contract.framework': 'keras',
      'lossLens.contract.argOrder': 'pred_true',
      'lossLens.contract.layout': 'auto',
      'lossLens.contract.labels': 'sparse',
      'lossLens.contract.prediction': 'auto',
      'lossLens.contract.classes': 4,
      'lossLens.contract.spatialDims': 3,
    });
    const expected = { framework: 'keras', argOrder: 'pred_true', labels: 'sparse', classes: 4, spatialDims: 3 };
    assert.deepEqual(given, { contract: expected, problems: [] });
    const defaults = Object.fromEntries(CONTRACT_FIELDS.map((f) => [f.setting, f.auto]));
    assert.deepEqual(settingsWith(defaults), { contract: {}, problems: [] });
    assert.deepEqual(settingsWith({}), { contract: {}, problems: [] });
  });

  test('a value outside the schema is left out and reported with the setting and its allowed values', () => {
    const { contract, problems } = settingsWith({
      'lossLens.contract.framework': 'bogus',
      'lossLens.contract.argOrder': 'x',
      'lossLens.contract.layout': 'channels_first',
      'lossLens.contract.labels': null,
      'lossLens.contract.classes': 1e8,
      'lossLens.contract.spatialDims': '3',
    });
    assert.deepEqual(contract, { layout: 'channels_first' });
    assert.deepEqual(
      problems.map((p) => [p.setting, p.value]),
      [
        ['lossLens.contract.framework', 'bogus'],
        ['lossLens.contract.argOrder', 'x'],
        ['lossLens.contract.labels', null],
        ['lossLens.contract.classes', 1e8],
        ['lossLens.contract.spatialDims', '3'],
      ],
    );
    assert.equal(
      problems[1].message,
      'lossLens.contract.argOrder is "x" (allowed: "auto", "true_pred", "pred_true"): ignored, the field is inferred.',
    );
    assert.match(problems[3].message, /^lossLens\.contract\.classes is 100000000 \(allowed: 0 \(auto\) or 1 to 64\)/);
    assert.match(problems[4].message, /^lossLens\.contract\.spatialDims is "3" \(allowed: null \(auto\), 2, 3\)/);
  });

  test('classes must be a whole number in range', () => {
    for (const bad of ['3', -1, 2.5, 65, true]) {
      const { contract, problems } = settingsWith({ 'lossLens.contract.classes': bad });
      assert.deepEqual([contract, problems.length], [{}, 1], JSON.stringify(bad));
    }
    assert.deepEqual(settingsWith({ 'lossLens.contract.classes': 64 }).contract, { classes: 64 });
  });

  test('the engine refuses a contract outside the schema from any caller (a worker message, a test)', async () => {
    assert.deepEqual(engine.checkedContract({ framework: 'torch', classes: 3, argOrder: undefined }), {
      framework: 'torch',
      classes: 3,
    });
    const refusals = [
      [{ argOrder: 'x' }, 'contract field argOrder is "x": allowed "true_pred", "pred_true"'],
      [
        { framework: 'bogus' },
        'contract field framework is "bogus": allowed "keras", "tf", "torch", "numpy", "theano"',
      ],
      [{ classes: 1e8 }, 'contract field classes is 100000000: allowed an integer from 1 to 64'],
      [{ classes: 2.5 }, 'contract field classes is 2.5: allowed an integer from 1 to 64'],
      [{ spatialDims: '3' }, 'contract field spatialDims is "3": allowed 2, 3'],
      [
        { colour: 'red' },
        "contract field 'colour' does not exist (the fields: " + CONTRACT_FIELDS.map((f) => f.key).join(', ') + ')',
      ],
      ['torch', 'the contract must be an object of fields, got "torch"'],
    ];
    for (const [contract, message] of refusals) assert.throws(() => engine.checkedContract(contract), { message });
    // Before: argOrder 'x' gave a false argument-order error, framework 'bogus' a Python TypeError and
    // classes 1e8 an endless loop building the synthetic labels.
    const source = readFileSync(join(ROOT, 'examples', 'torch_argmax_dice.py'), 'utf8');
    for (const [contract, message] of refusals.slice(0, 3)) {
      const report = await engine.diagnoseSource('loss.py', source, { contract });
      assert.deepEqual(report.error, { kind: 'contract', message });
      assert.deepEqual(report.losses, []);
    }
  });

  test("package.json's contract settings are generated from the schema", async () => {
    const { contractSettings, withContractSettings } = await import('../../scripts/contractSettings.mjs');
    const text = readFileSync(join(ROOT, 'package.json'), 'utf8');
    assert.equal(withContractSettings(text), text, 'run node scripts/generate.mjs');
    const settings = contractSettings();
    assert.deepEqual(
      Object.keys(settings),
      CONTRACT_FIELDS.map((f) => f.setting),
    );
    assert.deepEqual(settings['lossLens.contract.argOrder'].enum, ['auto', 'true_pred', 'pred_true']);
    assert.deepEqual(settings['lossLens.contract.spatialDims'].enum, [null, 2, 3]);
    assert.equal(settings['lossLens.contract.classes'].maximum, 64);
  });
});

describe('the README names the fields as the schema does', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  test("the CLI section's usage block is the CLI's --help", () => {
    const help = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.ok(readme.includes(`\`\`\`text\n${help.stdout}\`\`\`\n`), 'paste `node dist/cli.js --help` into the README');
  });

  test('the "In VS Code" settings list names every contract setting with its values', () => {
    const start = readme.indexOf('## In VS Code');
    const inVsCode = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const code = (value) => `\`${value}\``;
    for (const field of CONTRACT_FIELDS) {
      const values =
        field.kind === 'integer'
          ? `${code(field.auto)} = auto, ${field.min}–${field.max}`
          : field.auto === null
            ? `empty = auto, ${field.values.map((c) => code(c.value)).join('/')}`
            : [field.auto, ...field.values.map((c) => c.value)].map(code).join('/');
      assert.ok(inVsCode.includes(`- \`${field.setting.replace(/^lossLens\./, '')}\` (${values})`), field.setting);
    }
  });
});
