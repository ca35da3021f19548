// The probe's progress on stderr (src/cli/probeProgress.ts), driven with a fake stream and clock:
// plain lines for logs, one redrawn line on a terminal, nothing with --quiet. The CLI's own
// non-terminal lines are checked in cli.test.mjs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bundled } from './helpers.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-cli-progress-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let progress;
let text;
before(async () => {
  progress = await bundled('src/cli/probeProgress.ts', scratch);
  text = await bundled('src/cli/progressText.ts', scratch);
});

/** A stream that keeps what is written, and a clock that moves only when told. */
function fakes(isTTY, columns = 80) {
  const written = [];
  const clock = { ms: 0 };
  return { stream: { isTTY, columns, write: (t) => written.push(t) }, written, clock, now: () => clock.ms };
}

/** A probe of `steps` steps reporting every `every` steps, each step taking `msPerStep`. */
function runProbe(reporter, clock, { steps, every, msPerStep, entry = 'dice_loss', file = 'src/losses.py' }) {
  for (let step = 0; step <= steps; step += every) {
    clock.ms += step === 0 ? 0 : every * msPerStep;
    reporter.event(file, { entry }, { step, steps });
  }
}

describe('probe progress', () => {
  test('off a terminal: a line at the start, at each quarter and at the end, with the time left', () => {
    const { stream, written, clock, now } = fakes(false);
    const reporter = progress.probeProgress(stream, { quiet: false, now, env: {} });
    runProbe(reporter, clock, { steps: 60, every: 10, msPerStep: 50 });
    assert.deepEqual(written, [
      'loss-lens: probe dice_loss in src/losses.py: 60 steps\n',
      'loss-lens: probe dice_loss in src/losses.py: step 20/60 (33%), ~2 s left\n',
      'loss-lens: probe dice_loss in src/losses.py: step 30/60 (50%), ~2 s left\n',
      'loss-lens: probe dice_loss in src/losses.py: step 50/60 (83%), ~1 s left\n',
      'loss-lens: probe dice_loss in src/losses.py: done, 60 steps in 3.0 s\n',
    ]);
  });

  test('off a terminal, a long probe says where it is at least every 30 s between quarters', () => {
    const { stream, written, clock, now } = fakes(false);
    const reporter = progress.probeProgress(stream, { quiet: false, now, env: {} });
    runProbe(reporter, clock, { steps: 1000, every: 25, msPerStep: 600 });
    const times = written.filter((line) => /step \d+\/1000/.test(line));
    assert.ok(times.length >= 19, `${times.length} lines in 600 s`);
    assert.equal(written[1], 'loss-lens: probe dice_loss in src/losses.py: step 50/1000 (5%), ~10 min left\n');
  });

  test('on a terminal: one line redrawn in place, cut to its width, cleared when done or asked', () => {
    const { stream, written, clock, now } = fakes(true, 60);
    const reporter = progress.probeProgress(stream, { quiet: false, now, env: { TERM: 'xterm' } });
    runProbe(reporter, clock, { steps: 40, every: 10, msPerStep: 50 });
    assert.ok(written.length >= 4);
    for (const line of written.slice(0, -1)) {
      assert.ok(line.startsWith('\r\x1b[K'), JSON.stringify(line));
      assert.ok(line.length - 4 <= 59, `fits 60 columns: ${JSON.stringify(line)}`);
    }
    assert.ok(written[1].startsWith('\r\x1b[K[#####'), JSON.stringify(written[1]));
    assert.match(written[1], /\] 10\/40 steps, ~2 s left: probe dice_…$/, 'the names are cut, not the numbers');
    assert.equal(written.at(-1), '\r\x1b[K', 'the line is gone when the probe ends');
    reporter.clear();
    assert.equal(written.at(-1), '\r\x1b[K');
    assert.equal(written.filter((w) => w === '\r\x1b[K').length, 1, 'nothing to clear twice');
  });

  test('names from a file are shown escaped; --quiet is silent; TERM=dumb gets plain lines', () => {
    const { stream, written, now } = fakes(false);
    progress
      .probeProgress(stream, { quiet: false, now, env: {} })
      .event('a\x1b[2J.py', { entry: 'x' }, { step: 0, steps: 5 });
    assert.deepEqual(written, ['loss-lens: probe x in a\\x1b[2J.py: 5 steps\n']);
    assert.equal(progress.probeProgress(stream, { quiet: true }), undefined);
    const dumb = fakes(true);
    progress
      .probeProgress(dumb.stream, { quiet: false, now, env: { TERM: 'dumb' } })
      .event('f.py', { entry: 'x' }, { step: 0, steps: 5 });
    assert.deepEqual(dumb.written, ['loss-lens: probe x in f.py: 5 steps\n']);
  });

  test('time left and durations read as a person would say them', () => {
    assert.equal(text.timeLeftText(text.timeLeftMs(0, 100, 0)), 'estimating time left');
    assert.equal(text.timeLeftText(text.timeLeftMs(50, 100, 10_000)), '~10 s left');
    assert.equal(text.timeLeftText(text.timeLeftMs(100, 1000, 30_000)), '~5 min left');
    assert.equal(text.durationText(6_140), '6.1 s');
    assert.equal(text.durationText(125_000), '2 min 5 s');
    assert.equal(text.progressBar(1, 4, 8), '[##------]');
  });
});
