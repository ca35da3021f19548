// A command's arguments read against its flag table (flags.ts): Node's parseArgs does the parsing;
// its errors become usage errors that name the flag, suggest the one meant, and point at --help.
import { parseArgs } from 'node:util';
import { type CommandSpec, type FlagSpec, parseOptions } from './flags';
import { UsageError } from './usageError';

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export type CommandLine = { help: true } | { help: false; values: FlagValues; positionals: string[] };

/** `-h`/`--help` anywhere before `--` asks for the help, whatever else the line holds. */
const asksForHelp = (args: readonly string[]) => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
};

export function readCommandLine(command: CommandSpec, args: string[]): CommandLine {
  if (asksForHelp(args)) return { help: true };
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    // The table gives string flags string values (a list when repeatable) and switches booleans.
    parsed = parseArgs({ args, options: parseOptions(command), allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(parseErrorMessage(command, error));
  }
  for (const flag of command.flags) checkChoice(flag, parsed.values[flag.name]);
  return { help: false, ...parsed };
}

/** A flag whose value is not one of its choices (contract fields are checked by their schema). */
function checkChoice(flag: FlagSpec, value: FlagValues[string]): void {
  if (!flag.choices || flag.contract || typeof value !== 'string' || flag.choices.includes(value)) return;
  throw new UsageError(`--${flag.name} must be one of ${flag.choices.join(', ')} (got '${value}')`);
}

function parseErrorMessage(command: CommandSpec, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const meant = closestFlag(command, option);
    return `unknown option '${option}' for ${command.name}${meant ? ` (did you mean --${meant.name}?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const flag = command.flags.find((f) => `--${f.name}` === option || `-${f.short}` === option);
    if (flag && (flag.placeholder || flag.choices)) return `${option} needs a value`;
    return `${option} takes no value`;
  }
  return message.split('. ')[0];
}

/** The flag a mistyped option most likely meant: at most two edits away, or the one it starts. */
function closestFlag(command: CommandSpec, option: string): FlagSpec | undefined {
  const typed = option.replace(/^-+/, '').split('=')[0];
  const scored = command.flags.map((flag) => ({ flag, distance: editDistance(typed, flag.name) }));
  const near = scored.filter((s) => s.distance <= 2 || (typed.length >= 3 && s.flag.name.startsWith(typed)));
  return near.sort((a, b) => a.distance - b.distance)[0]?.flag;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
