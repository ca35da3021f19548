// Hostile or unusual sources end in a clear message with a line, never "internal: Maximum call stack
// size exceeded": deep nesting as CPython 3.11 reports it (or a limit of the interpreter at its
// line), self-containing containers printed as Python prints them, an entry that is not a callable
// named without a --entry nobody gave, and class machinery the interpreter skips named in a note.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { engine } from './helpers.mjs';

const HEADER = 'import torch\n\ndef dice_loss(pred, target):\n';
const RETURN = '    return 1 - (pred * target).sum()\n';

async function parseError(source) {
  try {
    await engine.LossProgram.parse(source);
    return undefined;
  } catch (error) {
    return { kind: error.kind, message: error.message, line: error.line };
  }
}

describe('deep nesting', () => {
  test("1000 nested ifs: CPython's IndentationError at the 100th level, not tree-sitter's line 1", async () => {
    let source = HEADER;
    for (let i = 1; i <= 1000; i++) source += `${'    '.repeat(i)}if True:\n`;
    source += `${'    '.repeat(1001)}pass\n${RETURN}`;
    assert.deepEqual(await parseError(source), {
      kind: 'syntax',
      message: 'IndentationError: too many levels of indentation',
      line: 103,
    });
  });

  test('10,000 nested parentheses: too many nested parentheses, at their line', async () => {
    const source = `${HEADER}    x = ${'('.repeat(10000)}1${')'.repeat(10000)}\n${RETURN}`;
    assert.deepEqual(await parseError(source), {
      kind: 'syntax',
      message: 'SyntaxError: too many nested parentheses',
      line: 4,
    });
  });

  test('sums CPython refuses to compile (3000 and 50,000 terms): its RecursionError, with the line', async () => {
    for (const terms of [3000, 50000]) {
      const source = `${HEADER}    x = ${Array(terms).fill('1').join(' + ')}\n${RETURN}`;
      assert.deepEqual(await parseError(source), {
        kind: 'syntax',
        message: 'RecursionError: maximum recursion depth exceeded during compilation',
        line: 4,
      });
    }
    // 2,989 terms in a function: CPython 3.11 compiles it, so does the parser.
    assert.equal(await parseError(`${HEADER}    x = ${Array(2989).fill('1').join(' + ')}\n${RETURN}`), undefined);
  });

  test('a sum CPython compiles but too deep for the interpreter: a limit error at its line', async () => {
    const source = `${HEADER}    x = ${Array(2500).fill('pred').join(' + ')}\n    return x.mean()\n`;
    const report = await engine.diagnoseSource('deep.py', source, { contract: { framework: 'torch' } });
    const [loss] = report.losses;
    assert.equal(loss.error.kind, 'limit');
    assert.equal(loss.error.line, 4);
    assert.match(loss.error.message, /nested too deeply for Loss Lens's interpreter/);
  });
});

describe('messages that named the wrong thing', () => {
  test('a list or dict inside itself prints as Python prints it: [[...]], {...}', async () => {
    const source =
      `${HEADER}    a = []\n    a.append(a)\n    d = {}\n    d['self'] = d\n    b = [1, a]\n` +
      "    assert str(a) == '[[...]]', str(a)\n" +
      '    assert repr(d) == "{\'self\': {...}}", repr(d)\n' +
      "    assert str([b, b]) == '[[1, [[...]]], [1, [[...]]]]', str([b, b])\n" +
      RETURN;
    const report = await engine.diagnoseSource('cycle.py', source, { contract: { framework: 'torch' } });
    assert.equal(report.losses[0].error, undefined, JSON.stringify(report.losses[0].error));
  });

  test('a loss replaced by a decorator that ran refused code: why, with no --entry nobody gave', async () => {
    const source =
      "import torch\n\ndef register(fn):\n    __import__('subprocess').call(['ls'])\n    return fn\n\n" +
      '@register\ndef dice_loss(pred, target):\n' +
      RETURN;
    const report = await engine.diagnoseSource('deco.py', source);
    const { error } = report.losses[0];
    assert.doesNotMatch(error.message, /--entry/);
    assert.match(error.message, /'dice_loss' \(its definition was skipped: sandbox: subprocess is refused/);
    assert.equal(error.line, undefined, 'not line 1 of the entry expression');
    const module = 'import torch\n\ndef register(fn):\n    return torch\n\n@register\ndef dice_loss(pred, target):\n';
    const replaced = await engine.diagnoseSource('deco.py', module + RETURN);
    assert.equal(replaced.losses[0].error.message, "TypeError: 'dice_loss' is a module, not a callable loss");
  });

  test('a metaclass and __init_subclass__ the interpreter does not run are notes at their lines', async () => {
    const source =
      'import abc\nimport torch\n\nclass Meta(type):\n    pass\n\nclass Base:\n' +
      '    def __init_subclass__(cls, **kw):\n        cls.factor = 3.0\n\n' +
      'class DiceLoss(Base, metaclass=Meta):\n    def __call__(self, pred, target):\n' +
      '        return 1 - (pred * target).sum()\n\nclass Abstract(metaclass=abc.ABCMeta):\n    pass\n';
    const report = await engine.diagnoseSource('meta.py', source);
    const notes = report.notes.filter((n) => n.kind === 'ignored-construct').map((n) => [n.line, n.message]);
    assert.deepEqual(notes, [
      [
        8,
        'Base.__init_subclass__ is not run: Loss Lens builds the subclasses of Base without it, so what it ' +
          'sets on them is missing',
      ],
      [
        11,
        'class DiceLoss: the metaclass Meta is not run; Loss Lens builds DiceLoss as a plain class, without ' +
          'what the metaclass would add or change',
      ],
    ]);
  });
});
