// `loss-lens`: the engine, headless, for terminals and CI. The engine runs in its engine process
// (src/host/), so that nothing a loss does takes the CLI down; this process imports only the
// engine's plain-data modules (no TF.js), and loads the engine itself only to name the backend of
// a run that analysed nothing. The commands are in src/cli/; their flags in src/cli/flags.ts.
import { InterpreterError } from './engine/python/errors';
import { readCommandLine } from './cli/commandLine';
import { runDiagnose } from './cli/diagnoseCommand';
import { runEval } from './cli/evalCommand';
import { COMMANDS, type CommandSpec } from './cli/flags';
import { packageInfo } from './cli/packageInfo';
import { commandHelp, help, usageFor } from './cli/usage';
import { visible, visibleLine } from './cli/terminalText';
import { UsageError } from './cli/usageError';
import { EngineError } from './host/engineClient';

const RUN = { diagnose: runDiagnose, eval: runEval } as const;

async function run(command: string | undefined, args: string[]): Promise<number> {
  if (command === '--version' || command === '-V') {
    process.stdout.write(`loss-lens ${packageInfo().version}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${help()}\n`);
    // `loss-lens` alone is a wrong command line that shows what a right one is.
    return command === undefined ? 2 : 0;
  }
  const spec = COMMANDS.find((c) => c.name === command);
  if (!spec) throw new UsageError(`unknown command '${command}'`);
  const line = readCommandLine(spec, args);
  if (line.help) {
    process.stdout.write(`${commandHelp(spec)}\n`);
    return 0;
  }
  return RUN[spec.name](line.values, line.positionals);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    return await run(command, rest);
  } catch (error) {
    // Messages quote paths, entries and the loss's own exceptions: never raw control characters.
    if (error instanceof UsageError) {
      const spec: CommandSpec | undefined = COMMANDS.find((c) => c.name === command);
      process.stderr.write(`loss-lens: ${visible(error.message)}\n${usageFor(spec)}\n`);
      return 2;
    }
    if (error instanceof InterpreterError || error instanceof EngineError) {
      process.stderr.write(`loss-lens: ${error.line ? `line ${error.line}: ` : ''}${visible(error.message)}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`loss-lens: ${visibleLine(message.split('\n')[0])}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
