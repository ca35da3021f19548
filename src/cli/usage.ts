// The CLI's usage (printed with a usage error) and help (`--help`, also the README's CLI block),
// built from the flags' definitions: the contract schema, probe levels and backends.
// The engine's plain-data modules, not its index: the CLI's process never loads TF.js.
import { BACKEND_PREFERENCES } from '../engine/backendChoice';
import type { ContractFieldSpec } from '../engine/contractFields';
import { PROBE_LEVELS } from '../engine/probe/levels';
import { DIAGNOSE_CONTRACT_FIELDS, EVAL_CONTRACT_FIELDS } from './contractFlags';
import { EXIT_CODES } from './exitCode';

const WIDTH = 100;
const CONTINUATION = ' '.repeat(17);
const DESCRIPTION_COLUMN = 18;

/** The words of `words` as lines of at most WIDTH characters, the first after `first`, the rest indented. */
function wrap(first: string, words: readonly string[], indent: string): string[] {
  const lines = [first];
  for (const word of words) {
    const line = lines.at(-1)!;
    if (line.length + 1 + word.length > WIDTH) lines.push(`${indent}${word}`);
    else lines[lines.length - 1] = line.endsWith(' ') ? `${line}${word}` : `${line} ${word}`;
  }
  return lines;
}

const fieldArgument = (field: ContractFieldSpec) =>
  field.kind === 'integer' ? field.placeholder : field.values.map((choice) => choice.value).join('|');
const contractFlags = (fields: readonly ContractFieldSpec[]) => fields.map((f) => `[--${f.flag} ${fieldArgument(f)}]`);
const backendFlag = `[--backend ${BACKEND_PREFERENCES.join('|')}]`;

export const USAGE = [
  'usage:',
  ...wrap(
    '  loss-lens diagnose',
    [
      'PATH',
      '[--entry EXPR]',
      '[--json]',
      ...contractFlags(DIAGNOSE_CONTRACT_FIELDS),
      `[--probe ${['none', ...PROBE_LEVELS].join('|')}]`,
      '[--probe-steps N]',
      backendFlag,
    ],
    CONTINUATION,
  ),
  ...wrap(
    '  loss-lens eval',
    ['PATH', '--entry EXPR', '--inputs FILE.json', ...contractFlags(EVAL_CONTRACT_FIELDS), backendFlag, '[--json]'],
    CONTINUATION,
  ),
].join('\n');

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

const exitCodeHelp = ([code, meaning]: (typeof EXIT_CODES)[number]) =>
  wrap(`  ${code}`.padEnd(6), meaning.split(' '), ' '.repeat(6));

export const HELP = [
  USAGE,
  '',
  `contract flags (a field whose flag is absent is inferred; eval takes ${evalTakes}):`,
  ...DIAGNOSE_CONTRACT_FIELDS.flatMap(fieldHelp),
  '',
  'exit codes of diagnose (eval: 0, or 2 when the loss cannot be evaluated):',
  ...EXIT_CODES.flatMap(exitCodeHelp),
].join('\n');
