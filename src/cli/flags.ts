// Every flag of every command, defined once: parseArgs takes its options from this table and
// `--help` lists it, so the help never names a flag the parser refuses nor misses one it takes.
import { BACKEND_PREFERENCES } from '../engine/backendChoice';
import type { ContractFieldKey, ContractFieldSpec } from '../engine/contractFields';
import { PROBE_LEVELS } from '../engine/probe/levels';
import { DIAGNOSE_CONTRACT_FIELDS, EVAL_CONTRACT_FIELDS } from './contractFlags';

export interface FlagSpec {
  /** The long name, without its dashes. */
  name: string;
  short?: string;
  /** What the flag takes (`N`, `EXPR`); a flag without one is a switch. */
  placeholder?: string;
  /** The values it takes, shown instead of the placeholder and checked by flagChoice. */
  choices?: readonly string[];
  multiple?: boolean;
  /** One line of help (the help shows it after the flag). */
  help: string;
  /** A contract field: checked by its schema (contractFromFlags) and explained in the help's contract section. */
  contract?: true;
}

export type CommandName = 'diagnose' | 'eval';

export interface CommandSpec {
  name: CommandName;
  /** The operands and required flags, as the usage line shows them. */
  synopsis: string;
  /** What the command does, one line. */
  summary: string;
  flags: readonly FlagSpec[];
}

/** One line per contract field, shorter than the schema's description (the help's contract section has that). */
const CONTRACT_FLAG_HELP: Record<ContractFieldKey, string> = {
  framework: 'the framework whose semantics the loss follows',
  argOrder: 'the order the loss is called with',
  layout: 'where the class axis is',
  labels: 'one-hot maps or integer class maps',
  prediction: 'activated probabilities or raw logits',
  classes: 'classes (channels) of the prediction',
  spatialDims: '2-D or 3-D images',
};

const contractFlag = (field: ContractFieldSpec): FlagSpec => ({
  name: field.flag,
  ...(field.kind === 'integer'
    ? { placeholder: field.placeholder }
    : { choices: field.values.map((choice) => String(choice.value)) }),
  help: CONTRACT_FLAG_HELP[field.key as ContractFieldKey],
  contract: true,
});

const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', help: "this command's help" };
const BACKEND_FLAG: FlagSpec = {
  name: 'backend',
  choices: BACKEND_PREFERENCES,
  help: 'TF.js backend (default: LOSS_LENS_BACKEND, else auto)',
};
// Where a file's imports are looked up (the shell's VIRTUAL_ENV is searched too).
const PROJECT_FLAGS: readonly FlagSpec[] = [
  { name: 'root', placeholder: 'DIR', help: 'the project root (default: nearest non-package folder)' },
  { name: 'path', placeholder: 'DIR', multiple: true, help: 'a folder to look imports up in too (repeatable)' },
];

export const OUTPUT_FORMATS = ['text', 'json', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const DIAGNOSE: CommandSpec = {
  name: 'diagnose',
  synopsis: 'PATH [PATH...]',
  summary: 'find every loss in .py files or folders and report their bugs',
  flags: [
    { name: 'format', choices: OUTPUT_FORMATS, help: 'what stdout holds (default text)' },
    { name: 'json', help: 'the same as --format json' },
    { name: 'entry', placeholder: 'EXPR', help: 'only this loss: a name, a call, Class.forward' },
    ...DIAGNOSE_CONTRACT_FIELDS.map(contractFlag),
    {
      name: 'probe',
      choices: ['none', ...PROBE_LEVELS],
      help: 'train each loss beside reference losses (default none)',
    },
    { name: 'probe-steps', placeholder: 'N', help: "training steps of the probe (default: the level's)" },
    { name: 'quiet', short: 'q', help: 'no probe progress on stderr (errors are still written)' },
    BACKEND_FLAG,
    ...PROJECT_FLAGS,
    HELP_FLAG,
  ],
};

export const EVAL: CommandSpec = {
  name: 'eval',
  synopsis: 'PATH --entry EXPR --inputs FILE.json',
  summary: 'evaluate one loss and its gradient norm on given tensors',
  flags: [
    { name: 'entry', placeholder: 'EXPR', help: 'the loss: a name, a call (tversky(alpha=0.7)), a class' },
    { name: 'inputs', placeholder: 'FILE.json', help: 'the prediction and the target (see the README)' },
    { name: 'format', choices: ['text', 'json'], help: 'what stdout holds (default text)' },
    { name: 'json', help: 'the same as --format json' },
    ...EVAL_CONTRACT_FIELDS.map(contractFlag),
    BACKEND_FLAG,
    ...PROJECT_FLAGS,
    HELP_FLAG,
  ],
};

export const COMMANDS: readonly CommandSpec[] = [DIAGNOSE, EVAL];

/** A flag as the help and the usage write it: `--probe none|quick|full`, `--classes N`, `--quiet`. */
export const flagText = (flag: FlagSpec) =>
  `--${flag.name}${flag.choices ? ` ${flag.choices.join('|')}` : flag.placeholder ? ` ${flag.placeholder}` : ''}`;

type ParseOption = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** The table's flags as parseArgs options. */
export function parseOptions(command: CommandSpec): Record<string, ParseOption> {
  return Object.fromEntries(
    command.flags.map((flag) => [
      flag.name,
      {
        type: flag.placeholder || flag.choices ? 'string' : 'boolean',
        ...(flag.short ? { short: flag.short } : {}),
        ...(flag.multiple ? { multiple: true } : {}),
      },
    ]),
  );
}
