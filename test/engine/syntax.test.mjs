// Loss Lens's parser against real CPython: the same accept/reject verdict, and for a rejection the
// same line, on crafted sources and on every Python file of the tests and examples. CPython's
// verdicts are test/syntax/cpython-verdicts.json, written by test/syntax/make_verdicts.py with the
// Python of CI (3.11); CI only reads them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

const verdicts = JSON.parse(readFileSync(join(ROOT, 'test', 'syntax', 'cpython-verdicts.json'), 'utf8'));

/**
 * Where Loss Lens and CPython 3.11 part, and why. Each must still differ: when one is fixed, its
 * entry goes.
 */
const KNOWN_DIFFERENCES = {
  'brackets ignore indentation':
    "tree-sitter-python's scanner ends the statement at `(a +` followed by a less indented line inside " +
    'the brackets; CPython ignores indentation inside brackets',
  'unknown character name': 'JavaScript has no table of Unicode character names to check \\N{...} against',
  'coding declaration':
    'a source given as text (an editor document, these sources) is decoded already: its declaration is not ' +
    'checked; files read from disk are decoded per PEP 263 and an unknown codec is refused (source-files.test.mjs)',
};

/** Our verdict: null when the source parses, else the syntax error's message and line. */
async function ours(source) {
  try {
    await engine.LossProgram.parse(source);
    return null;
  } catch (error) {
    assert.equal(error.kind, 'syntax', `not a syntax error: ${error.message}`);
    return { message: error.message, line: error.line };
  }
}

const describeVerdict = (v) => (v ? `${v.message} (line ${v.line})` : 'accepted');
const cpythonText = (v) => v && { message: `${v.type}: ${v.message}`, line: v.line };

/** tree-sitter's error, located but not worded by CPython's checks. */
const VAGUE = /^SyntaxError: invalid syntax( near "| \(missing "|$)/;

describe('syntax: the verdict of CPython', () => {
  test('the comparison set covers every group and is a real test', () => {
    const rejected = verdicts.sources.filter((s) => s.verdict);
    assert.ok(verdicts.sources.length >= 280, `${verdicts.sources.length} sources`);
    assert.ok(
      verdicts.sources.filter((s) => s.since).every((s) => s.verdict),
      'Python 3.11 rejects the 3.12 ones',
    );
    assert.ok(rejected.length >= 150 && verdicts.sources.length - rejected.length >= 50);
    for (const type of ['SyntaxError', 'IndentationError', 'TabError'])
      assert.ok(
        rejected.some((s) => s.verdict.type === type),
        type,
      );
    for (const name of Object.keys(KNOWN_DIFFERENCES))
      assert.ok(
        verdicts.sources.some((s) => s.name === name),
        `${name} is not in the set`,
      );
  });

  test('crafted sources: the same verdict and line as CPython; its words where ours are specific', async () => {
    const disagreements = [];
    let sameMessage = 0;
    for (const { name, source, verdict, since } of verdicts.sources) {
      const got = await ours(source);
      // Valid since Python 3.12 (PEP 701 f-strings): accepted, whatever 3.11 says.
      const expected = since ? null : cpythonText(verdict);
      const agrees = (got === null) === (expected === null) && (!got || got.line === expected.line);
      if (name in KNOWN_DIFFERENCES) {
        assert.ok(!agrees, `${name} now agrees with CPython: remove it from KNOWN_DIFFERENCES`);
        continue;
      }
      if (!agrees) {
        disagreements.push(`${name}: CPython ${describeVerdict(expected)}, ours ${describeVerdict(got)}`);
        continue;
      }
      if (!got) continue;
      if (got.message === expected.message) sameMessage++;
      else if (!VAGUE.test(got.message))
        disagreements.push(`${name}: CPython says "${expected.message}", ours "${got.message}"`);
    }
    assert.deepEqual(disagreements, []);
    const rejected = verdicts.sources.filter((s) => s.verdict && !s.since).length;
    assert.ok(sameMessage >= rejected - 25, `CPython's exact words on ${sameMessage} of ${rejected} rejections`);
  });

  test('every fixture, corpus case and example parses exactly when CPython compiles it', async () => {
    const expected = new Map(verdicts.files.map((f) => [f.path, f.verdict]));
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.py')) files.push(relative(ROOT, path).split(sep).join('/'));
      }
    };
    for (const folder of ['test/fixtures', 'test/diagnose/fixtures', 'test/corpus/cases', 'examples'])
      walk(join(ROOT, folder));
    assert.ok(files.length >= 200, `${files.length} files`);
    const wrong = [];
    for (const file of files) {
      // A file added after the verdicts were written is expected to be valid Python.
      const want = cpythonText(expected.get(file) ?? null);
      const got = await ours(readFileSync(join(ROOT, file), 'utf8'));
      if ((got === null) !== (want === null) || (got && (got.line !== want.line || got.message !== want.message)))
        wrong.push(`${file}: CPython ${describeVerdict(want)}, ours ${describeVerdict(got)}`);
    }
    assert.deepEqual(wrong, []);
    const rejected = verdicts.files.filter((f) => f.verdict).map((f) => f.path);
    assert.deepEqual(rejected, [
      'test/corpus/cases/indentation-error/losses.py',
      'test/corpus/cases/py2-print-syntax/metrics.py',
    ]);
  });

  test("the error carries CPython's exception type, apart from its message", async () => {
    await assert.rejects(engine.LossProgram.parse('if x:\n\tpass\n        y = 1\n'), (error) => {
      assert.equal(error.kind, 'syntax');
      assert.equal(error.pyType, 'TabError');
      assert.equal(error.message, 'TabError: inconsistent use of tabs and spaces in indentation');
      assert.equal(error.line, 3);
      return true;
    });
  });
});
