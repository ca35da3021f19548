// Parsing is linear and bounded (src/engine/python/parser.ts): comment lines cost what blank lines
// cost (tree-sitter-python rescans a block's following comment lines at each of them), a source past
// the size bound is refused at once, a parse past its time stops, and a parser that failed is never
// used again (a stopped tree-sitter parser resumes the stopped parse on the next text).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine } from './helpers.mjs';

const { LossProgram } = engine;

/** The AST without the source text it was parsed from. */
const shape = (module) =>
  JSON.stringify({ ...module, source: undefined }, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value));
const text = (str) => str.parts.map((p) => p.text).join('');

const withBody = (lines) =>
  `import torch\n\ndef dice_loss(y_pred, y_true):\n${lines}    return 1 - (y_pred * y_true).mean()\n`;

test('20,000 comment lines in a block parse in linear time, into the AST of blank lines', async () => {
  const commented = withBody('    # a comment line inside the loss\n'.repeat(20_000));
  const blank = withBody('\n'.repeat(20_000));
  const started = performance.now();
  const module = await LossProgram.parse(commented);
  const ms = performance.now() - started;
  // Before: 90 s (quadratic in the number of comment lines); now well under a second.
  assert.ok(ms < 5000, `parsed in ${ms.toFixed(0)} ms`);
  assert.equal(shape(module), shape(await LossProgram.parse(blank)));
  assert.equal(module.source, commented, 'the module keeps its own text');
});

test('a # inside strings is text, not a comment', async () => {
  const source = [
    'def f():',
    '    """Docstring # with a hash',
    '    # and a line that looks like a comment',
    '    """',
    "    a = 'x # y'  # a comment",
    '    b = "it\'s # here"',
    "    c = r'\\'#'",
    '    d = \'\'\'#\'\'\' + """\n#"""',
    '    return a',
    '',
  ].join('\n');
  const module = await LossProgram.parse(source);
  const { def } = module.body[0];
  assert.equal(def.docstring, 'Docstring # with a hash\n    # and a line that looks like a comment\n    ');
  const strings = def.body.slice(1, 4).map((s) => text(s.value));
  assert.deepEqual(strings, ['x # y', "it's # here", "\\'#"]);
  const concatenated = def.body[4].value;
  assert.deepEqual([text(concatenated.left), text(concatenated.right)], ['#', '\n#']);
});

test('a source past the size bound is refused at once, with its size', async () => {
  const source = 'x = 1\n'.repeat(1_000_000); // 6 MB
  const started = performance.now();
  await assert.rejects(
    LossProgram.parse(source),
    (error) =>
      error.kind === 'limit' &&
      /^the source is too large to analyse \(5\.7 MB, more than the 2\.0 MB Loss Lens parses\)$/.test(error.message),
  );
  assert.ok(performance.now() - started < 1000);
});

test('a parse past its time stops, and the next file gets a fresh parser', async () => {
  const slow = 'x = 1\n'.repeat(200_000);
  await assert.rejects(
    LossProgram.parse(slow, { timeoutMs: 5 }),
    (error) => error.kind === 'limit' && /^parsing took longer than 0\.005 s$/.test(error.message),
  );
  // The stopped parser would resume the stopped parse here and hand back x = 1 statements.
  const module = await LossProgram.parse('def dice_loss(a, b):\n    return a\n');
  assert.deepEqual(
    module.body.map((s) => s.kind),
    ['def'],
  );
  assert.equal(module.body[0].def.name, 'dice_loss');
});
