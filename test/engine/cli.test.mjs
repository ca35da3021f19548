// The `loss-lens` CLI as users run it: exit codes, the JSON documents, usage errors, and the eval
// entry point on a golden fixture.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliIn, closeTo, ROOT } from './helpers.mjs';

const cli = cliIn(ROOT);

const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('loss-lens CLI', () => {
  test('diagnose --json on a file: one document, findings with lines, exit 1 on an error finding', () => {
    const { code, stdout } = cli('diagnose', 'examples/torch_argmax_dice.py', '--json');
    assert.equal(code, 1);
    const {
      files: [report],
      backend,
    } = JSON.parse(stdout);
    assert.equal(report.file, 'examples/torch_argmax_dice.py');
    assert.ok(['wasm', 'cpu', 'tensorflow'].includes(backend));
    assert.equal(report.backend, backend);
    const [loss] = report.losses;
    assert.equal(loss.entry, 'hard_dice_loss');
    assert.equal(loss.line, 7);
    assert.ok(Array.isArray(loss.contract.inferred));
    const [finding] = loss.findings;
    for (const key of ['kind', 'severity', 'line', 'endLine', 'message', 'evidence', 'fix'])
      assert.ok(key in finding, key);
    assert.equal(finding.kind, 'non-differentiable');
    assert.equal(finding.line, 9);
  });

  test('diagnose on a clean loss exits 0; human output shows the verdict', () => {
    const { code, stdout } = cli('diagnose', 'examples/torch_soft_dice_ce.py');
    assert.equal(code, 0);
    assert.match(stdout, /SoftDiceCrossEntropy \(line 7, loss\): no problems found/);
  });

  test('diagnose a folder: {"files": [...]}', () => {
    const { code, stdout } = cli('diagnose', 'examples', '--json');
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.files.length, 5);
  });

  test('contract flags are honoured and validated', () => {
    const [given] = JSON.parse(
      cli('diagnose', 'examples/torch_soft_dice_ce.py', '--json', '--labels', 'sparse', '--classes', '4').stdout,
    ).files;
    assert.equal(given.losses[0].contract.classes, 4);
    assert.equal(given.losses[0].contract.sources.classes, 'given');
    const bad = cli('diagnose', 'examples', '--layout', 'sideways');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--layout must be one of channels_last, channels_first/);
    const tooMany = cli('diagnose', 'examples', '--classes', '65');
    assert.match(tooMany.stderr, /--classes must be a positive integer up to 64 \(got '65'\)/);
    const flat = cli('diagnose', 'examples', '--spatial-dims', '4');
    assert.match(flat.stderr, /--spatial-dims must be 2 or 3 \(got '4'\)/);
    const evalArgs = ['examples/torch_argmax_dice.py', '--entry', 'hard_dice_loss', '--inputs', 'x.json'];
    const evalBad = cli('eval', ...evalArgs, '--arg-order', 'x');
    assert.equal(evalBad.code, 2);
    assert.match(evalBad.stderr, /--arg-order must be one of true_pred, pred_true \(got 'x'\)\nusage:/);
  });

  // --probe-steps 60 keeps these two probes at about 8 s together on 2 cores (the quick default is 200).
  test(
    'diagnose --probe quick --json: the argmax Dice does not learn, ' + 'a no-learning finding on its return line',
    () => {
      const { code, stdout, stderr } = cli(
        'diagnose',
        'examples/torch_argmax_dice.py',
        '--probe',
        'quick',
        '--probe-steps',
        '60',
        '--json',
      );
      assert.equal(code, 1);
      // stderr is a pipe here, as in a CI log: plain progress lines, at the start, each quarter and the end.
      const progress = stderr.split('\n').filter((line) => line.startsWith('loss-lens: probe '));
      const where = 'loss-lens: probe hard_dice_loss in examples/torch_argmax_dice.py';
      assert.equal(progress[0], `${where}: 60 steps`);
      assert.match(progress[1], /: step 20\/60 \(33%\), (~\d+ s|less than a second) left$/);
      assert.match(progress.at(-1), /: done, 60 steps in \d+\.\d s$/);
      assert.equal(progress.length, 5, progress.join('\n'));
      const [loss] = JSON.parse(stdout).files[0].losses;
      const { probe } = loss;
      assert.equal(probe.level, 'quick');
      assert.equal(probe.stepsRun, 60);
      assert.ok(['wasm', 'cpu', 'tensorflow'].includes(probe.backend));
      assert.equal(probe.runs.length, 1 + probe.references.length);
      const [user, ...references] = probe.runs;
      assert.equal(user.role, 'user');
      assert.equal(user.name, probe.user);
      assert.equal(user.status, 'no-gradient');
      assert.equal(
        user.final.foregroundDice,
        user.curves.evaluations[0].foregroundDice,
        'the user loss does not learn',
      );
      assert.ok(
        references.some((r) => r.status === 'trained' && r.final.foregroundDice > 0.5),
        'a reference learns on the same data',
      );
      assert.ok(typeof probe.timings.totalMs === 'number');
      assert.deepEqual(
        probe.findings.map((f) => f.kind),
        ['no-learning'],
      );
      const finding = loss.findings.find((f) => f.kind === 'no-learning');
      assert.equal(finding.severity, 'error');
      assert.equal(finding.line, 14, 'the return line of the loss');
    },
  );

  test('diagnose --probe quick on a healthy loss: no probe error, a table in the human output', () => {
    const { code, stdout } = cli(
      'diagnose',
      'examples/torch_soft_dice_ce.py',
      '--probe',
      'quick',
      '--probe-steps',
      '60',
    );
    assert.equal(code, 0);
    assert.match(stdout, /training probe quick: 60 steps/);
    assert.match(stdout, /loss +status +final loss +fg Dice +pred fg +true fg +TP +FP +FN/);
    assert.match(stdout, /SoftDiceCrossEntropy \(yours\) +trained +\d/);
    assert.match(stdout, /soft Dice +trained/);
    assert.doesNotMatch(stdout, /error (no-learning|training-diverged|collapse-to-background)/);
    const quiet = cli('diagnose', 'examples/torch_soft_dice_ce.py', '--probe', 'quick', '--probe-steps', '4', '-q');
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, '', '--quiet: no progress');
    const usage = cli('diagnose', 'examples/torch_soft_dice_ce.py', '--probe-steps', '10');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--probe-steps needs --probe quick\|full/);
  });

  test('a file that cannot be analysed exits 2 with the reason and line', () => {
    const broken = join(scratch, 'broken.py');
    writeFileSync(broken, 'import torch\n\ndef dice_loss(pred, target):\n    return (pred *\n');
    const { code, stdout } = cli('diagnose', broken);
    assert.equal(code, 2);
    assert.match(stdout, /cannot analyse line 4: SyntaxError: '\(' was never closed/);
  });

  test('a file CPython would not parse exits 2 with its error and line, not analysed', () => {
    const indentation = cli('diagnose', 'test/corpus/cases/indentation-error/losses.py', '--json');
    assert.equal(indentation.code, 2);
    assert.deepEqual(JSON.parse(indentation.stdout).files[0].error, {
      kind: 'syntax',
      message: 'IndentationError: unexpected indent',
      line: 14,
    });
    const python2 = cli('diagnose', 'test/corpus/cases/py2-print-syntax/metrics.py');
    assert.equal(python2.code, 2);
    assert.match(
      python2.stdout,
      /cannot analyse line 19: SyntaxError: Missing parentheses in call to 'print'\. Did you mean print\(\.\.\.\)\?/,
    );
    assert.doesNotMatch(python2.stdout, /overlap_loss/, 'no loss of the file is analysed');
  });

  test('a file without a loss says "no loss found" and exits 2', () => {
    const human = cli('diagnose', 'test/corpus/cases/no-loss-model-only/model.py');
    assert.equal(human.code, 2);
    assert.match(human.stdout, /model\.py {2}\(backend \w+\)\n {2}no loss found\n/);
    const json = cli('diagnose', 'test/corpus/cases/no-loss-model-only/model.py', '--json');
    assert.equal(json.code, 2);
    assert.deepEqual(JSON.parse(json.stdout).files[0].losses, []);
    assert.match(json.stderr, /no loss found in test\/corpus\/cases\/no-loss-model-only\/model\.py/);
  });

  test('a folder exits 2 only when no file in it defines a loss, or a file could not be analysed', () => {
    const folder = (name, files) => {
      const dir = join(scratch, name);
      mkdirSync(dir);
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return dir;
    };
    const model = 'import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n';
    const clean = readFileSync(join(ROOT, 'examples', 'torch_soft_dice_ce.py'), 'utf8');
    const mixed = folder('mixed', { 'a_model.py': model, 'b_loss.py': clean });
    const run = cli('diagnose', mixed);
    assert.equal(run.code, 0, 'a file without a loss does not fail the folder');
    assert.match(run.stdout, /a_model\.py: no loss found\n/, 'listed as such, on one line');
    assert.match(run.stdout, /SoftDiceCrossEntropy \(line 7, loss\): no problems found/);
    const none = folder('none', { 'a_model.py': model, 'b_util.py': 'X = 1\n' });
    const noLoss = cli('diagnose', none, '--json');
    assert.equal(noLoss.code, 2);
    assert.equal(JSON.parse(noLoss.stdout).files.length, 2);
    assert.match(noLoss.stderr, /no loss found in any file of /);
    const broken = folder('broken', { 'a_loss.py': clean, 'b_python2.py': 'print "x"\n' });
    const brokenRun = cli('diagnose', broken, '--json');
    assert.equal(brokenRun.code, 2, 'a file that does not parse could not be analysed');
    const [loss, python2] = JSON.parse(brokenRun.stdout).files;
    assert.equal(loss.losses[0].error, undefined, 'the other file is still analysed');
    assert.match(python2.error.message, /^SyntaxError: Missing parentheses in call to 'print'/);
  });

  test('a loss that fails (here a limit) is its own error: the next loss and the next file go on', () => {
    const dir = join(scratch, 'failing');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'a_losses.py'),
      [
        'import torch',
        '',
        '',
        'def stuck_loss(pred, target):',
        '    # never returns: the loop limit ends this loss, not the run',
        '    while True:',
        '        pred = pred + 0',
        '',
        '',
        'def soft_dice_loss(pred, target):',
        '    p = torch.sigmoid(pred)',
        '    return 1 - (2 * (p * target).sum() + 1) / (p.sum() + target.sum() + 1)',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'b_clean.py'), readFileSync(join(ROOT, 'examples', 'torch_soft_dice_ce.py'), 'utf8'));
    const { code, stdout } = cli('diagnose', dir, '--json');
    assert.equal(code, 2);
    const [first, second] = JSON.parse(stdout).files;
    assert.deepEqual(
      first.losses.map((l) => [l.entry, l.error?.kind]),
      [
        ['stuck_loss', 'limit'],
        ['soft_dice_loss', undefined],
      ],
    );
    assert.match(first.losses[0].error.message, /limit/);
    assert.ok(first.losses[1].contract, 'the second loss is analysed');
    assert.equal(second.losses[0].error, undefined, 'so is the next file');
  });

  test('refused module-level code is a note, never executed', () => {
    const file = join(scratch, 'evil.py');
    writeFileSync(
      file,
      [
        'import os',
        'import torch',
        'os.system("touch /tmp/loss-lens-cli-pwned")',
        '',
        'def dice_loss(pred, target):',
        '    return 1 - (2 * (pred.sigmoid() * target).sum() + 1) / (pred.sigmoid().sum() + target.sum() + 1)',
        '',
      ].join('\n'),
    );
    const [report] = JSON.parse(cli('diagnose', file, '--json').stdout).files;
    // The call that runs at load time is noted, not a finding: the loss does not run it; `import os` alone is harmless.
    assert.deepEqual(report.findings, []);
    const refused = report.notes.filter((n) => n.kind === 'not-executed');
    assert.deepEqual(
      refused.map((n) => n.line),
      [3],
    );
    assert.match(refused[0].message, /^not executed: os\.system is refused: Loss Lens never reads files/);
    assert.equal(report.losses[0].error, undefined, 'the loss itself does not use os and is analysed');
    assert.match(cli('diagnose', file).stdout, /note line 3: not executed: os\.system is refused/);
  });

  test('TensorFlow 1 API the losses ran is a note with its line, in the JSON and the text', () => {
    const file = 'test/corpus/cases/tf1-names/loss_segmentation.py';
    const [report] = JSON.parse(cli('diagnose', file, '--json').stdout).files;
    const legacy = report.notes.filter((n) => n.kind === 'legacy-api');
    const at = (line) => legacy.filter((n) => n.line === line).map((n) => n.message);
    assert.deepEqual(at(20), ['TensorFlow 1 API: tf.to_float (TF 2: tf.cast(x, tf.float32))']);
    assert.ok(at(48).includes('TensorFlow 1 API: tf.log (TF 2: tf.math.log)'));
    assert.ok(at(17).some((m) => m.includes('Dimension.value')));
    for (const note of legacy) assert.ok(note.column > 0 && note.endColumn > note.column, JSON.stringify(note));
    const text = cli('diagnose', file).stdout;
    assert.match(text, /note line 48: TensorFlow 1 API: tf\.log \(TF 2: tf\.math\.log\)/);
  });

  test('text output shows control characters from the file, its name and its errors escaped, never raw', () => {
    // Clear screen, window title, an OSC-8 link and a C1 CSI, in a file name, a source line and an exception.
    const folder = join(scratch, 'escapes');
    mkdirSync(folder, { recursive: true });
    const name = 'evil\x1b[2J.py';
    writeFileSync(
      join(folder, name),
      'import torch\n\ndef hard_dice(pred, target):\n' +
        '    pred = pred.argmax(1)  # \x1b]0;owned\x07\n    return 1 - (pred * target).sum()\n\n' +
        'def raising_dice(pred, target):\n' +
        '    raise ValueError("\x1b]8;;http://x.invalid\x1b\\\\click\x1b]8;;\x1b\\\\ \u009b31m")\n',
    );
    const { stdout, stderr } = cli('diagnose', join(folder, name), '--framework', 'torch');
    assert.doesNotMatch(stdout + stderr, /(?![\n])\p{Cc}/u, 'no raw control character');
    assert.match(stdout, /evil\\x1b\[2J\.py/);
    assert.match(stdout, /# \\x1b]0;owned\\x07/);
    assert.match(stdout, /ValueError: \\x1b]8;;http:\/\/x\.invalid/);
    const json = cli('diagnose', join(folder, name), '--framework', 'torch', '--json').stdout;
    assert.doesNotMatch(json, /[\x7f-\x9f]/u, 'C1 controls are \\u escapes in JSON too');
    assert.match(JSON.parse(json).files[0].losses[1].error.message, /\u009b31m/);
    const missing = cli('diagnose', join(folder, 'gone\x1b[2J.py'));
    assert.match(missing.stderr, /no such file or folder: .*gone\\x1b\[2J\.py/);
  });

  test('eval matches the golden value and gradient norm of a fixture', () => {
    const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'golden.json'), 'utf8'));
    const fixture = golden.cases.find((c) => c.fixture === 'test/fixtures/torch/soft_dice_binary.py');
    const inputs = join(scratch, 'inputs.json');
    writeFileSync(
      inputs,
      JSON.stringify({ prediction: fixture.prediction, target: fixture.target, target_dtype: fixture.targetDtype }),
    );
    const { code, stdout } = cli('eval', fixture.fixture, '--entry', fixture.entry, '--inputs', inputs, '--json');
    assert.equal(code, 0);
    const out = JSON.parse(stdout);
    assert.ok(closeTo(out.value, fixture.value));
    const norm = Math.sqrt(fixture.gradient.flat(Infinity).reduce((a, g) => a + g * g, 0));
    assert.ok(closeTo(out.grad_norm, norm));
    assert.ok(typeof out.backend === 'string');
  });

  test('eval reports no gradient path as null, and bad input as exit 2', () => {
    const inputs = join(scratch, 'small.json');
    writeFileSync(
      inputs,
      JSON.stringify({ prediction: [[[[0.2, 0.8]], [[0.8, 0.2]]]], target: [[[1, 0]]], target_dtype: 'int' }),
    );
    const out = JSON.parse(
      cli('eval', 'examples/torch_argmax_dice.py', '--entry', 'hard_dice_loss', '--inputs', inputs, '--json').stdout,
    );
    assert.equal(out.grad_norm, null);
    const missing = cli(
      'eval',
      'examples/torch_argmax_dice.py',
      '--entry',
      'no_such_loss',
      '--inputs',
      inputs,
      '--json',
    );
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /NameError: name 'no_such_loss' is not defined/);
    assert.equal(cli('eval', 'examples/torch_argmax_dice.py', '--inputs', inputs).code, 2);
  });
});
