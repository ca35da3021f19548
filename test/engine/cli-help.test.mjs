// `loss-lens --help`, `COMMAND --help`, `--version` and usage errors: the help lists every flag of the
// table the parser reads (src/cli/flags.ts), one line each, and the parser takes every flag it lists.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bundled, cliIn, ROOT } from './helpers.mjs';

const cli = cliIn(ROOT);

const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-cli-help-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let flags;
let commandLine;
before(async () => {
  flags = await bundled('src/cli/flags.ts', scratch);
  commandLine = await bundled('src/cli/commandLine.ts', scratch);
});

/** The lines of a help text that list `--name` as an option (an indented line starting with it). */
const optionLines = (text, name) => text.split('\n').filter((line) => new RegExp(`^  --${name}(?=[ ,]|$)`).test(line));

/** The option list that follows `heading` in a help text (up to the blank line). */
const optionsAfter = (text, heading) => text.slice(text.indexOf(`${heading}\n`)).split('\n\n')[0];

/** A value the flag takes: its first choice, a number for `N`, else a word. */
const sampleValue = (flag) => flag.choices?.[0] ?? (flag.placeholder === 'N' ? '3' : 'x');

describe('loss-lens --help and --version', () => {
  test('--help lists every flag of each command on one line, within 100 columns, and exits 0', () => {
    const { code, stdout } = cli('--help');
    assert.equal(code, 0);
    for (const command of flags.COMMANDS) {
      const section = optionsAfter(stdout, `${command.name} options:`);
      for (const flag of command.flags) {
        const lines = optionLines(section, flag.name);
        assert.equal(lines.length, 1, `${command.name} --${flag.name}: one line`);
        assert.ok(lines[0].includes(flags.flagText(flag)), lines[0]);
        assert.ok(lines[0].trim().length > flags.flagText(flag).length + 5, `--${flag.name} has a description`);
      }
    }
    for (const line of stdout.split('\n')) assert.ok(line.length <= 100, `too wide: ${line}`);
    assert.match(stdout, /^usage:\n {2}loss-lens diagnose PATH \[PATH\.\.\.\] \[options\]\n/m);
  });

  test('diagnose --help and -h list its flags; eval --help lists its own', () => {
    for (const asked of ['--help', '-h']) {
      const { code, stdout } = cli('diagnose', asked);
      assert.equal(code, 0, asked);
      assert.match(stdout, /^usage: loss-lens diagnose PATH \[PATH\.\.\.\] \[options\]\n/);
      const options = optionsAfter(stdout, 'options:');
      for (const flag of flags.DIAGNOSE.flags) assert.equal(optionLines(options, flag.name).length, 1, flag.name);
      assert.match(stdout, /exit codes of diagnose/);
    }
    const evalHelp = cli('eval', '--help');
    assert.equal(evalHelp.code, 0);
    const evalOptions = optionsAfter(evalHelp.stdout, 'options:');
    for (const flag of flags.EVAL.flags) assert.equal(optionLines(evalOptions, flag.name).length, 1, flag.name);
    assert.doesNotMatch(evalHelp.stdout, /--spatial-dims|--probe/, 'flags eval does not take');
    // The help wins over the rest of the line, even a wrong one.
    assert.equal(cli('diagnose', '--bogus', '-h').code, 0);
  });

  test('the parser takes every flag the help lists, with a value when it shows one', () => {
    for (const command of flags.COMMANDS) {
      for (const flag of command.flags.filter((f) => f.name !== 'help')) {
        const args = ['file.py', `--${flag.name}`, ...(flag.placeholder || flag.choices ? [sampleValue(flag)] : [])];
        const line = commandLine.readCommandLine(command, args);
        assert.equal(line.help, false);
        assert.notEqual(line.values[flag.name], undefined, `${command.name} --${flag.name}`);
        if (flag.short) assert.notEqual(commandLine.readCommandLine(command, [`-${flag.short}`]), undefined);
      }
    }
  });

  test("the README's CI and pre-commit examples are command lines the parser takes", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/(?:run|entry): npx --no-install loss-lens (\w+)([^>\n]*)/g)];
    assert.equal(examples.length, 2, 'the GitHub Actions step and the pre-commit entry');
    for (const [line, name, rest] of examples) {
      const command = flags.COMMANDS.find((c) => c.name === name);
      // pre-commit appends the staged files to its entry.
      const args = [...rest.trim().split(/\s+/).filter(Boolean), 'src/losses.py'];
      assert.equal(commandLine.readCommandLine(command, args).help, false, line);
    }
  });

  test('--version prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const { code, stdout } = cli('--version');
    assert.equal(code, 0);
    assert.equal(stdout, `loss-lens ${version}\n`);
  });

  test('no command prints the help and exits 2', () => {
    const { code, stdout } = cli();
    assert.equal(code, 2);
    assert.match(stdout, /diagnose options:/);
  });

  test('a wrong command line names the problem, suggests the flag meant and points at --help', () => {
    const unknown = cli('diagnose', 'examples', '--bogus');
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.stderr,
      "loss-lens: unknown option '--bogus' for diagnose\n" +
        'usage: loss-lens diagnose PATH [PATH...] [options]\n' +
        "run 'loss-lens diagnose --help' for its options\n",
    );
    assert.match(
      cli('diagnose', 'examples', '--probe-step', '3').stderr,
      /unknown option '--probe-step' for diagnose \(did you mean --probe-steps\?\)/,
    );
    assert.match(cli('diagnose', 'examples', '--probe').stderr, /^loss-lens: --probe needs a value\n/);
    assert.match(cli('diagnose', 'examples', '--json=yes').stderr, /^loss-lens: --json takes no value\n/);
    assert.match(cli('diagnose', 'examples', '--format', 'xml').stderr, /--format must be one of text, json/);
    const command = cli('diagnos', 'examples');
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command 'diagnos'\n.*\nrun 'loss-lens --help'/);
  });
});
