// Human-readable output of a diagnosis: one block per loss, findings with the source line under
// each, coloured when writing to a terminal.
import {
  CHANNELLESS_LAYOUT_DISPLAY,
  FLATTENED_LAYOUT_DISPLAY,
  type FileReport,
  type Finding,
  type LossProbe,
  type ResolvedContract,
} from '../engine';
import { type FileRun, NO_LOSS } from './diagnoseRun';
import { evidenceValueText } from './evidenceText';
import { visibleLine, visibleStrings } from './terminalText';

/** How the text output names files. */
export interface TextPlaces {
  /** PATH is a folder: a file without losses (and nothing else to say) is one quiet line. */
  inFolder: boolean;
  /** Another project file a report of `diagnosed` names (a helper's module, a call site), as the user reads paths. */
  other(place: string, diagnosed: string): string;
}

/** Names `path/to/other.py ` before a line in another project file; nothing for the file itself. */
type WhereIn = (file: string | undefined) => string;

const COLORS = { red: 31, yellow: 33, blue: 34, green: 32, dim: 2, bold: 1 } as const;

export function painter(enabled: boolean) {
  return (color: keyof typeof COLORS, text: string) => (enabled ? `\x1b[${COLORS[color]}m${text}\x1b[0m` : text);
}

const SEVERITY_COLOR = { error: 'red', warning: 'yellow', info: 'blue' } as const;

/** A source line as printed: tabs as four spaces, control characters escaped (`\x1b`). */
const shownCode = (code: string) => visibleLine(code.replace(/\t/g, '    '));

function sourceLine(lines: string[], line: number): string {
  return shownCode(lines[line - 1] ?? '');
}

/** Where a 1-based source column is in the printed line (tabs and escapes widen what precedes it). */
const shownColumn = (lines: string[], line: number, column: number) =>
  shownCode((lines[line - 1] ?? '').slice(0, column - 1)).length + 1;

/** The contract a loss was analysed under, as the report lists it after the loss's name. */
function contractSummary(contract: ResolvedContract): string {
  const layout = contract.flattened
    ? FLATTENED_LAYOUT_DISPLAY
    : contract.channelless
      ? CHANNELLESS_LAYOUT_DISPLAY
      : contract.layout;
  const classes = `${contract.classes} class${contract.classes === 1 ? '' : 'es'}`;
  return [
    contract.framework,
    contract.argOrder,
    layout,
    `${contract.labels} labels${contract.floatLabels ? ' (as floats)' : ''}`,
    contract.prediction,
    classes,
  ].join(', ');
}

/** The carets under columns [column, endColumn) of a printed line, and the spaces before them. */
function caretUnder(lines: string[], line: number, column: number, endColumn: number) {
  const start = shownColumn(lines, line, column);
  const end = shownColumn(lines, line, endColumn);
  return { before: ' '.repeat(start - 1), carets: '^'.repeat(Math.max(1, end - start)) };
}

function formatFinding(finding: Finding, lines: string[], paint: ReturnType<typeof painter>, whereIn: WhereIn): string {
  const severity = paint(SEVERITY_COLOR[finding.severity], finding.severity);
  const head = `  ${severity} ${paint('bold', finding.kind)} line ${finding.line}: ${finding.message}`;
  const code = sourceLine(lines, finding.line);
  const gutter = `${String(finding.line).padStart(5)} | `;
  const under =
    finding.column && finding.endColumn && finding.endLine === finding.line
      ? caretUnder(lines, finding.line, finding.column, finding.endColumn)
      : undefined;
  const caret =
    under && ' '.repeat(gutter.length) + under.before + paint(SEVERITY_COLOR[finding.severity], under.carets);
  const evidence = Object.entries(finding.evidence)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${evidenceValueText(v)}`)
    .join('  ');
  return [
    head,
    paint('dim', `${gutter}${code}`),
    ...(caret ? [caret] : []),
    ...(evidence ? [`    ${paint('dim', 'evidence:')} ${evidence}`] : []),
    `    ${paint('dim', 'fix:')} ${finding.fix.text}`,
    ...(finding.related ?? []).map((r) => `    ${paint('dim', `${whereIn(r.file)}line ${r.line}:`)} ${r.message}`),
  ].join('\n');
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));
const percentOf = (fraction: number) => `${fixed(100 * fraction, 2)}%`;

/** The probe as a table: one row per loss (yours first), final metrics on the evaluation images. */
export function formatProbe(probe: LossProbe, paint: ReturnType<typeof painter>): string {
  const header = ['loss', 'status', 'final loss', 'fg Dice', 'pred fg', 'true fg', 'TP', 'FP', 'FN'];
  const rows = probe.runs.map((run) => {
    const lastLoss = [...run.curves.loss].reverse().find((l) => l !== null);
    const { lesions } = run.final;
    return [
      run.role === 'user' && !run.name.endsWith(' (yours)') ? `${run.name} (yours)` : run.name,
      run.status,
      lastLoss === undefined || lastLoss === null ? '-' : fixed(lastLoss, 4),
      fixed(run.final.foregroundDice, 3),
      percentOf(run.final.predictedForeground),
      percentOf(run.final.trueForeground),
      String(lesions.truePositives),
      String(lesions.falsePositives),
      String(lesions.falseNegatives),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `    ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  const title =
    `  ${paint('bold', 'training probe')} ${probe.level}: ${probe.stepsRun} steps, ` +
    `${probe.model.kind} (${probe.model.parameters} parameters), ${probe.dataset.name} ` +
    `${probe.dataset.evaluationImages}×${probe.dataset.spatial.join('×')}, backend ${probe.backend}, ` +
    `${fixed(probe.timings.totalMs / 1000, 1)} s`;
  const failures = probe.runs.filter((r) => r.error).map((r) => `    ${paint('red', `${r.name} failed`)}: ${r.error}`);
  return [
    title,
    paint('dim', line(header)),
    ...rows.map(line),
    ...failures,
    ...probe.notes.map((n) => paint('dim', `    note: ${n}`)),
  ].join('\n');
}

export function formatReport(
  quoted: FileReport,
  source: string,
  color: boolean,
  backend: string,
  places: TextPlaces,
): string {
  const paint = painter(color);
  const whereIn: WhereIn = (file) => (file === undefined ? '' : `${visibleLine(places.other(file, quoted.file))} `);
  const lines = source.split('\n');
  // Everything in a report may quote the file (names, strings, messages): no control character reaches the terminal.
  const report = visibleStrings(quoted);
  const out: string[] = [paint('bold', visibleLine(quoted.file)) + paint('dim', `  (backend ${backend})`)];
  if (report.error) {
    const where = report.error.line ? ` line ${report.error.line}` : '';
    out.push(`  ${paint('red', 'cannot analyse')}${where}: ${report.error.message}`);
    return out.join('\n');
  }
  for (const finding of report.findings) out.push(formatFinding(finding, lines, paint, whereIn));
  if (!report.losses.length) out.push(`  ${NO_LOSS}`);
  for (const loss of report.losses) {
    const errors = loss.findings.filter((f) => f.severity === 'error').length;
    const warnings = loss.findings.filter((f) => f.severity === 'warning').length;
    const verdict = loss.error
      ? paint('red', 'could not be evaluated')
      : errors || warnings
        ? paint(
            errors ? 'red' : 'yellow',
            [
              errors && `${errors} error${errors > 1 ? 's' : ''}`,
              warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`,
            ]
              .filter(Boolean)
              .join(' · '),
          )
        : paint('green', 'no problems found');
    const contract = loss.contract ? paint('dim', ` [${contractSummary(loss.contract)}]`) : '';
    out.push(`\n ${paint('bold', loss.entry)} (line ${loss.line}, ${loss.role}): ${verdict}${contract}`);
    if (loss.error) {
      const where = loss.error.line ? ` ${whereIn(loss.error.file)}line ${loss.error.line}` : '';
      // Messages of some kinds already start with it ("unsupported: torch.histc").
      const message = loss.error.message.replace(new RegExp(`^${loss.error.kind}: `), '');
      out.push(`  ${paint('red', loss.error.kind)}${where}: ${message}`);
    }
    for (const finding of loss.findings) out.push(formatFinding(finding, lines, paint, whereIn));
    if (loss.probe) out.push(formatProbe(loss.probe, paint));
    if (loss.probeError) out.push(`  ${paint('yellow', 'training probe could not run')}: ${loss.probeError}`);
  }
  // Skipped module statements stay in --json: the losses' errors name what they needed.
  const notes = report.notes.filter((n) => n.kind !== 'skipped-statement');
  if (notes.length) out.push('');
  for (const note of notes)
    out.push(`  ${paint('blue', 'note')} ${whereIn(note.file)}line ${note.line}: ${note.message}`);
  return out.join('\n');
}

/** A file's block; in a folder, a file without losses (and nothing else to say) is one quiet line. */
export function fileBlock({ report, source, backend }: FileRun, places: TextPlaces): string {
  const color = process.stdout.isTTY === true;
  const quiet = places.inFolder && !report.error && !report.losses.length && !report.findings.length;
  if (quiet) return `${painter(color)('dim', `${visibleLine(report.file)}: ${NO_LOSS}`)}\n`;
  return `${formatReport(report, source, color, backend, places)}\n\n`;
}
