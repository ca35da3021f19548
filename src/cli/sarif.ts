// `--format sarif`: a SARIF 2.1.0 log for GitHub code scanning and other CI annotators. One run;
// the driver's rules are the engine's (sarifRules.ts); a result per finding, with the helper's
// module or the call site as related locations; a loss or file that could not be analysed is a
// `not-analysed` result and a tool execution notification, so CI shows it was not checked.
import type { LossReport } from '../engine';
import { type DiagnoseRun, type FileRun, noLossText } from './diagnoseRun';
import { packageInfo } from './packageInfo';
import { projectFilePath } from './projectFiles';
import { NOT_ANALYSED, type SarifLevel, sarifRules } from './sarifRules';
import { type PhysicalLocation, SRCROOT, baseUri, physicalLocation } from './sarifLocations';
import { type Message, type Result, type Where, findingResult, lossLocation, ruleIndexOf } from './sarifResults';
import { terminalJson } from './terminalText';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

interface Notification {
  level: SarifLevel;
  message: Message;
  locations?: { physicalLocation: PhysicalLocation }[];
  descriptor?: { id: string };
}

/** How the log names places: paths relative to `base`, other project files resolved against the project root. */
interface Places {
  base: string;
  root: string | undefined;
}

export interface SarifOptions {
  /** The folder URIs are relative to (%SRCROOT%): the working folder. */
  base: string;
  /** --root, to resolve the project-root-relative places of a report. */
  root?: string;
}

export function sarifLog(run: DiagnoseRun, options: SarifOptions) {
  const { version, homepage } = packageInfo();
  const rules = sarifRules(
    homepage && /github\.com/.test(homepage) ? `${homepage}/blob/HEAD/docs/findings.md` : undefined,
  );
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const places: Places = { base: options.base, root: options.root };
  const results: Result[] = [];
  const notifications: Notification[] = [];
  for (const file of run.files) {
    const { results: fileResults, notifications: fileNotifications } = fileEntries(file, places, ruleIndex);
    results.push(...fileResults);
    notifications.push(...fileNotifications);
  }
  for (const entry of run.skipped)
    notifications.push({ level: 'note', message: { text: `skipped ${entry.path}: ${entry.reason}` } });
  if (run.outcome.noLoss)
    notifications.push({
      level: 'error',
      message: { text: noLossText(run) },
      descriptor: { id: NOT_ANALYSED },
    });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Loss Lens',
            version,
            semanticVersion: version,
            ...(homepage ? { informationUri: homepage } : {}),
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: baseUri(options.base) } },
        invocations: [
          {
            // Exit code 2: something was not analysed (or no loss was found); 1 only reports findings.
            executionSuccessful: run.outcome.exitCode !== 2,
            exitCode: run.outcome.exitCode,
            toolExecutionNotifications: notifications,
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
        properties: { backend: run.backend },
      },
    ],
  };
}

/** The log as the CLI prints it. */
export const sarifJson = (run: DiagnoseRun, options: SarifOptions) =>
  `${terminalJson(JSON.stringify(sarifLog(run, options), null, 2))}\n`;

function fileEntries({ report }: FileRun, places: Places, ruleIndex: Map<string, number>) {
  const results: Result[] = [];
  const notifications: Notification[] = [];
  const where: Where = (file, span) =>
    physicalLocation(
      file === undefined ? report.file : projectFilePath(file, report.file, places.root),
      places.base,
      span,
    );
  const notAnalysed = (text: string, location: PhysicalLocation, loss?: string) => {
    results.push({
      ruleId: NOT_ANALYSED,
      ruleIndex: ruleIndexOf(ruleIndex, NOT_ANALYSED),
      level: 'error',
      message: { text },
      locations: [{ physicalLocation: location, ...lossLocation(loss) }],
    });
    notifications.push({
      level: 'error',
      message: { text },
      locations: [{ physicalLocation: location }],
      descriptor: { id: NOT_ANALYSED },
    });
  };
  if (report.error) {
    const line = report.error.line;
    notAnalysed(
      `${report.file} cannot be analysed: ${report.error.message}`,
      where(undefined, line ? { line } : undefined),
    );
  }
  for (const finding of report.findings) results.push(findingResult(finding, undefined, where, ruleIndex));
  for (const loss of report.losses) {
    if (loss.error) {
      const line = loss.error.line ?? loss.line;
      notAnalysed(
        `${loss.entry} could not be analysed: ${lossErrorText(loss)}`,
        where(loss.error.file, { line }),
        loss.entry,
      );
    }
    for (const finding of loss.findings) results.push(findingResult(finding, loss.entry, where, ruleIndex));
    if (loss.probeError)
      notifications.push({
        level: 'warning',
        message: { text: `the training probe of ${loss.entry} could not run: ${loss.probeError}` },
        locations: [{ physicalLocation: where(undefined, { line: loss.line }) }],
      });
  }
  return { results, notifications };
}

/** `python: ValueError: …` as the text output shows it (some messages already start with their kind). */
const lossErrorText = (loss: LossReport) => {
  const { kind, message } = loss.error!;
  return message.startsWith(`${kind}: `) ? message : `${kind}: ${message}`;
};
