// Source files as the CLI and the engine read them from disk: a size cap checked before reading,
// FIFOs and devices never opened, PEP 263 encodings (a declaration, a BOM, CPython's errors for
// bytes that do not decode), universal newlines, and folder runs that report unreadable entries and
// never follow a symbolic link loop.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliIn, engine } from './helpers.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-sources-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cli = cliIn(scratch);

const LOSS = 'import torch\n\ndef dice_loss(pred, target):\n    return 1 - (pred * target).sum()\n';
const write = (name, content) => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};
const mkfifo = (path) => spawnSync('mkfifo', [path]).status === 0;
const asRoot = process.getuid?.() === 0;

describe('source files: size, kind, encoding', () => {
  test('a 50 MB file is refused at once, before it is read or parsed', () => {
    write('huge.py', Buffer.alloc(50 * 1024 * 1024, '#'));
    const started = Date.now();
    const { code, stdout } = cli('diagnose', 'huge.py');
    assert.equal(code, 2);
    assert.match(stdout, /cannot analyse: huge\.py is 50 MB: Loss Lens reads source files of at most 2 MB/);
    assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms`);
    assert.throws(() => engine.readSourceFile(join(scratch, 'huge.py')), /is 50 MB/);
  });

  test('a source handed over as text is held to the same cap', async () => {
    const report = await engine.diagnoseSource('big.py', `${LOSS}${'#'.repeat(3 * 1024 * 1024)}\n`);
    assert.deepEqual(report.error, {
      kind: 'read',
      message: 'big.py is 3 MB: Loss Lens reads source files of at most 2 MB',
    });
  });

  test('a FIFO passed as PATH is refused without blocking on it', { skip: !mkfifo(join(scratch, 'pipe.py')) }, () => {
    const { code, stderr, signal } = cli('diagnose', 'pipe.py');
    assert.equal(signal, null, 'not killed by the timeout');
    assert.equal(code, 2);
    assert.match(stderr, /loss-lens: pipe\.py is a FIFO \(named pipe\): diagnose takes a Python file or a folder/);
    assert.throws(() => engine.readSourceFile(join(scratch, 'pipe.py')), /a FIFO \(named pipe\), not a regular file/);
  });

  test('PEP 263: a latin-1 declaration, a UTF-8 BOM, cp1252 and euc-jp decode as CPython decodes them', () => {
    const decode = (bytes) => engine.decodePythonSource(Buffer.from(bytes), 'x.py');
    assert.equal(
      decode(Buffer.from('# -*- coding: latin-1 -*-\ns = "\xe9\x80"\n', 'latin1')),
      '# -*- coding: latin-1 -*-\ns = "é\x80"\n',
    );
    assert.equal(
      decode(Buffer.from('#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ns = "\x80"\n', 'latin1')).split(
        '\n',
      )[2],
      's = "€"',
    );
    assert.equal(decode(Buffer.from('\xef\xbb\xbfx = 1\n', 'latin1')), 'x = 1\n');
    assert.equal(
      decode(Buffer.from([...Buffer.from('# coding: euc-jp\ns = "'), 0xc6, 0xfc, 0xcb, 0xdc, 0x22, 0x0a])),
      '# coding: euc-jp\ns = "日本"\n',
    );
    // On line 3 a declaration is a comment: the file is UTF-8.
    assert.throws(
      () => decode(Buffer.from('x = 1\n\n# coding: latin-1\ny = "\xe9"\n', 'latin1')),
      (error) => {
        assert.equal(error.kind, 'syntax');
        assert.equal(error.line, 4);
        assert.match(
          error.message,
          /^SyntaxError: Non-UTF-8 code starting with '\\xe9' in file x\.py on line 4, but no encoding declared/,
        );
        return true;
      },
    );
  });

  test("bytes that do not decode, UTF-16 and unknown codecs: CPython's SyntaxError with the line", () => {
    const problem = (bytes) => {
      try {
        engine.decodePythonSource(Buffer.from(bytes), 'x.py');
        return undefined;
      } catch (error) {
        return `${error.line}: ${error.message}`;
      }
    };
    assert.match(
      problem(
        Buffer.from('# hi\nx = 1\n', 'utf16le').length &&
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# hi\n', 'utf16le')]),
      ),
      /^1: SyntaxError: Non-UTF-8 code starting with '\\xff' in file x\.py on line 1, .* \(the file is UTF-16\)$/,
    );
    assert.equal(
      problem(Buffer.from('# coding: ascii\nx = "\xc3\xa9"\n', 'latin1')),
      "2: SyntaxError: 'ascii' codec can't decode byte 0xc3 in position 21: ordinal not in range(128)",
    );
    assert.equal(
      problem(Buffer.from('# coding: utf-8\nx = 1\ny = "\xe9"\n', 'latin1')),
      "3: SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0xe9: invalid continuation byte",
    );
    assert.equal(
      problem(Buffer.from('\xef\xbb\xbf# coding: latin-1\nx = 1\n', 'latin1')),
      '1: SyntaxError: encoding problem: iso-8859-1 with BOM',
    );
    assert.match(
      problem(Buffer.from('# coding: uft-8\nx = 1\n')),
      /^1: SyntaxError: encoding problem: uft-8 is not an encoding Loss Lens reads/,
    );
  });

  test('through the CLI: a latin-1 file is analysed, an undecodable one is a file error at its line', () => {
    write('latin.py', Buffer.from(`# -*- coding: latin-1 -*-\n# r\xe9sum\xe9\n${LOSS}`, 'latin1'));
    const latin = cli('diagnose', 'latin.py', '--json');
    assert.deepEqual(
      JSON.parse(latin.stdout).files[0].losses.map((l) => [l.entry, l.error]),
      [['dice_loss', undefined]],
    );
    write('bad.py', Buffer.concat([Buffer.from(LOSS), Buffer.from('# \xff\n', 'latin1')]));
    const bad = cli('diagnose', 'bad.py');
    assert.equal(bad.code, 2);
    assert.match(
      bad.stdout,
      /cannot analyse line 5: SyntaxError: Non-UTF-8 code starting with '\\xff' in file bad\.py on line 5/,
    );
  });

  test('CR-only line endings (old Mac files) parse as CPython reads them', () => {
    write('mac.py', LOSS.replace(/\n/g, '\r'));
    const { code, stdout } = cli('diagnose', 'mac.py', '--json');
    assert.notEqual(code, 2, stdout);
    const [report] = JSON.parse(stdout).files;
    assert.equal(report.error, undefined);
    assert.deepEqual(
      report.losses.map((l) => [l.entry, l.line]),
      [['dice_loss', 3]],
    );
  });
});

describe('folder runs: FIFOs, link loops, unreadable entries', () => {
  const folder = join(scratch, 'project');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'a.py'), LOSS);
  writeFileSync(join(folder, 'sub', 'b.py'), LOSS);
  symlinkSync('..', join(folder, 'sub', 'loop'));
  symlinkSync(join(scratch, 'missing.py'), join(folder, 'dangling.py'));
  const fifo = mkfifo(join(folder, 'pipe.py'));

  test('a FIFO is skipped, a link loop is followed once, a broken link said; the other files are analysed', () => {
    const { code, stdout, stderr, signal } = cli('diagnose', 'project', '--json');
    assert.equal(signal, null, 'not killed by the timeout');
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      report.files.map((f) => f.file),
      ['project/a.py', 'project/sub/b.py'],
    );
    assert.match(stderr, /loss-lens: skipped project\/sub\/loop: a symbolic link loop \(to a folder above it\)/);
    assert.match(stderr, /loss-lens: skipped project\/dangling\.py: a broken symbolic link/);
    if (fifo) assert.match(stderr, /loss-lens: skipped project\/pipe\.py: a FIFO \(named pipe\)/);
    assert.deepEqual(report.skipped.map((s) => s.path).sort(), [
      'project/dangling.py',
      ...(fifo ? ['project/pipe.py'] : []),
      'project/sub/loop',
    ]);
  });

  test(
    'an unreadable file and folder are errors of the run (exit 2), the rest is analysed',
    { skip: asRoot && 'root reads everything' },
    () => {
      const locked = join(scratch, 'locked');
      mkdirSync(join(locked, 'closed'), { recursive: true });
      writeFileSync(join(locked, 'open.py'), LOSS);
      writeFileSync(join(locked, 'secret.py'), LOSS);
      chmodSync(join(locked, 'secret.py'), 0);
      chmodSync(join(locked, 'closed'), 0);
      try {
        const { code, stdout } = cli('diagnose', 'locked');
        assert.equal(code, 2);
        assert.match(
          stdout,
          /locked\/closed .*\n {2}cannot analyse: cannot list folder locked\/closed: permission denied/,
        );
        assert.match(
          stdout,
          /locked\/secret\.py .*\n {2}cannot analyse: cannot read locked\/secret\.py: permission denied/,
        );
        assert.match(stdout, /dice_loss \(line 3, loss\)/);
      } finally {
        chmodSync(join(locked, 'closed'), 0o755);
      }
    },
  );

  test('the project scan reads a folder linked in a loop once, not once per turn of the loop', async () => {
    const read = [];
    const host = {
      ...engine.fileSystemHost,
      readText: (path) => (read.push(path), engine.fileSystemHost.readText(path)),
    };
    const file = join(folder, 'a.py');
    const layout = engine.projectLayout(host, file, { root: folder });
    await engine.diagnoseSource('a.py', LOSS, { project: { host, layout } });
    assert.ok(
      read.some((path) => path.endsWith(join('sub', 'b.py'))),
      read.join(', '),
    );
    assert.deepEqual(
      read.filter((path) => path.includes('loop')),
      [],
    );
  });
});
