// The CLI's usage (printed with a usage error) and help (`--help`, also the README's CLI block;
// `COMMAND --help`), built from the flag table the parser reads (flags.ts), the contract schema
// and the exit codes. The engine's plain-data modules, not its index: the CLI's process never loads TF.js.
import type { ContractFieldSpec } from '../engine/contractFields';
import { DIAGNOSE_CONTRACT_FIELDS, EVAL_CONTRACT_FIELDS } from './contractFlags';
import { EXIT_CODES } from './exitCode';
import { COMMANDS, type CommandSpec, DIAGNOSE, EVAL, type FlagSpec, flagText } from './flags';

/** Help lines are at most this wide (a test holds them to it). */
export const HELP_WIDTH = 100;
const DESCRIPTION_COLUMN = 18;

/** The words of `words` as lines of at most HELP_WIDTH characters, the first after `first`, the rest indented. */
function wrap(first: string, words: readonly string[], indent: string): string[] {
  const lines = [first];
  for (const word of words) {
    const line = lines.at(-1)!;
    if (line.length + 1 + word.length > HELP_WIDTH) lines.push(`${indent}${word}`);
    else lines[lines.length - 1] = line.endsWith(' ') ? `${line}${word}` : `${line} ${word}`;
  }
  return lines;
}

const usageLine = (command: CommandSpec) => `loss-lens ${command.name} ${command.synopsis} [options]`;

/** What a usage error prints under its message: the command's usage and where its help is. */
export function usageFor(command: CommandSpec | undefined): string {
  if (command) return `usage: ${usageLine(command)}\nrun 'loss-lens ${command.name} --help' for its options`;
  return `usage: loss-lens diagnose|eval PATH [options]\nrun 'loss-lens --help' for the commands and their options`;
}

/** A flag's line: the flag (and its short form), then its help in a column wide enough for every flag of the list. */
const flagLabel = (flag: FlagSpec) => `  ${flagText(flag)}${flag.short ? `, -${flag.short}` : ''}`;

function flagLines(flags: readonly FlagSpec[]): string[] {
  const column = Math.max(...flags.map((flag) => flagLabel(flag).length)) + 2;
  return flags.map((flag) => `${flagLabel(flag).padEnd(column)}${flag.help}`);
}

const plain = (markdown: string) => markdown.replaceAll('`', '');

function fieldHelp(field: ContractFieldSpec): string[] {
  const flag = `  --${field.flag}${field.kind === 'integer' ? ` ${field.placeholder}` : ''}`;
  const range = field.kind === 'integer' ? ` (${field.min} to ${field.max})` : '';
  const text = `${plain(field.description)}${range}; inferred ${plain(field.inferredFrom)}.`;
  return wrap(flag.padEnd(DESCRIPTION_COLUMN), text.split(' '), ' '.repeat(DESCRIPTION_COLUMN));
}

const evalLeavesOut = DIAGNOSE_CONTRACT_FIELDS.filter((field) => !EVAL_CONTRACT_FIELDS.includes(field));
const evalTakes = evalLeavesOut.length
  ? `all but ${evalLeavesOut.map((field) => `--${field.flag}`).join(', ')}`
  : 'all';

const contractSection = (heading: string, fields: readonly ContractFieldSpec[]) => [
  '',
  heading,
  ...fields.flatMap(fieldHelp),
];

const exitCodeHelp = ([code, meaning]: (typeof EXIT_CODES)[number]) =>
  wrap(`  ${code}`.padEnd(6), meaning.split(' '), ' '.repeat(6));

const OUTPUT_HELP = [
  '',
  'output of diagnose (--format):',
  '  text   per file, each loss with its findings under their source lines; evidence rounded',
  '  json   one document for a file or a folder: {"version", "backend", "files": [...], "skipped"}',
  '  sarif  SARIF 2.1.0 (GitHub code scanning); a loss or file not analysed is a not-analysed result',
  'A probe reports its progress on stderr, whatever the format: one updating line on a terminal,',
  'a line at its start, at each quarter of its steps and at its end otherwise (CI logs); --quiet: none.',
];

const DIAGNOSE_EXIT_CODES = [
  '',
  'exit codes of diagnose (eval: 0, or 2 when the loss cannot be evaluated):',
  ...EXIT_CODES.flatMap(exitCodeHelp),
];

/** `loss-lens --help`: every command, every flag, the contract fields, the output formats, the exit codes. */
export function help(): string {
  return [
    // No version here: the README pastes this help, which would go stale at every release.
    'loss-lens: finds the bugs in hand-written segmentation losses',
    '',
    'usage:',
    ...COMMANDS.flatMap((command) => [`  ${usageLine(command)}`, `      ${command.summary}`]),
    '  loss-lens --version',
    '  loss-lens COMMAND --help',
    ...COMMANDS.flatMap((command) => ['', `${command.name} options:`, ...flagLines(command.flags)]),
    ...contractSection(
      `contract flags (a field whose flag is absent is inferred; eval takes ${evalTakes}):`,
      DIAGNOSE_CONTRACT_FIELDS,
    ),
    ...OUTPUT_HELP,
    ...DIAGNOSE_EXIT_CODES,
  ].join('\n');
}

/** `loss-lens COMMAND --help`: that command's usage, flags, contract fields and what it prints. */
export function commandHelp(command: CommandSpec): string {
  const fields = command === EVAL ? EVAL_CONTRACT_FIELDS : DIAGNOSE_CONTRACT_FIELDS;
  return [
    `usage: ${usageLine(command)}`,
    command.summary,
    '',
    'options:',
    ...flagLines(command.flags),
    ...contractSection('contract flags (a field whose flag is absent is inferred):', fields),
    ...(command === DIAGNOSE
      ? [...OUTPUT_HELP, ...DIAGNOSE_EXIT_CODES]
      : ['', 'exit codes: 0, or 2 when the loss cannot be evaluated']),
  ].join('\n');
}
