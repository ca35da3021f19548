// Findings → the Problems panel: precise ranges, source "Loss Lens", the kind as code with a link
// to its documentation, related information, and per-kind severity overrides.
import * as vscode from 'vscode';
import type { Finding } from '../engine';
import type { DocumentResults } from './results';

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

/**
 * The finding behind a diagnostic, so quick fixes can find its edit again. Keyed by value: code
 * actions receive copies of the diagnostics, not the objects we created.
 */
const findings = new Map<string, Finding>();
const keyOf = (uri: vscode.Uri, d: vscode.Diagnostic) => {
  const { start, end } = d.range;
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return `${uri.toString()}|${start.line}:${start.character}-${end.line}:${end.character}|${code}|${d.message}`;
};

export function findingOf(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Finding | undefined {
  return findings.get(keyOf(uri, diagnostic));
}

export function forgetFindings(uri: vscode.Uri): void {
  const prefix = `${uri.toString()}|`;
  for (const key of [...findings.keys()]) if (key.startsWith(prefix)) findings.delete(key);
}

export function rangeOf(
  document: vscode.TextDocument,
  finding: { line: number; endLine: number; column?: number; endColumn?: number },
): vscode.Range {
  const line = Math.max(0, Math.min(finding.line - 1, document.lineCount - 1));
  const endLine = Math.max(line, Math.min(finding.endLine - 1, document.lineCount - 1));
  const text = document.lineAt(line);
  const start = finding.column ? Math.max(0, finding.column - 1) : text.firstNonWhitespaceCharacterIndex;
  const end =
    finding.endColumn && (finding.endLine !== finding.line || finding.endColumn > (finding.column ?? 0))
      ? finding.endColumn - 1
      : document.lineAt(endLine).text.length;
  return new vscode.Range(line, start, endLine, end);
}

export function toDiagnostics(
  document: vscode.TextDocument,
  results: DocumentResults,
  docs: vscode.Uri,
  overrides: Record<string, string>,
): vscode.Diagnostic[] {
  forgetFindings(document.uri);
  const all = [...results.fileFindings, ...[...results.losses.values()].flatMap((l) => l.findings)];
  const seen = new Set<string>();
  const out: vscode.Diagnostic[] = [];
  for (const finding of all) {
    const key = `${finding.kind}:${finding.line}:${finding.column}:${finding.message}`;
    if (seen.has(key)) continue; // a helper shared by two losses reports once
    seen.add(key);
    const severity = overrides[finding.kind] ?? finding.severity;
    if (severity === 'off') continue;
    const diagnostic = new vscode.Diagnostic(
      rangeOf(document, finding),
      finding.message,
      SEVERITY[severity as keyof typeof SEVERITY] ?? vscode.DiagnosticSeverity.Warning,
    );
    diagnostic.source = 'Loss Lens';
    diagnostic.code = { value: finding.kind, target: docs.with({ fragment: finding.kind }) };
    diagnostic.relatedInformation = (finding.related ?? []).map(
      (r) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(r.file ? vscode.Uri.file(r.file) : document.uri, new vscode.Position(r.line - 1, 0)),
          r.message,
        ),
    );
    findings.set(keyOf(document.uri, diagnostic), finding);
    out.push(diagnostic);
  }
  for (const note of results.notes) {
    if (note.kind === 'skipped-statement' || note.file || note.line < 1) continue;
    const diagnostic = new vscode.Diagnostic(
      rangeOf(document, { ...note, endLine: note.line }),
      note.message,
      vscode.DiagnosticSeverity.Information,
    );
    diagnostic.source = 'Loss Lens';
    // The editor strikes a legacy spelling through, as it does for any deprecated API.
    if (note.kind === 'legacy-api') diagnostic.tags = [vscode.DiagnosticTag.Deprecated];
    out.push(diagnostic);
  }
  for (const loss of results.losses.values()) {
    if (!loss.error) continue;
    const diagnostic = new vscode.Diagnostic(
      // An error in another project file is shown on the loss (the message says where).
      rangeOf(
        document,
        loss.error.file
          ? { line: loss.line, endLine: loss.line }
          : {
              line: loss.error.line ?? loss.line,
              endLine: loss.error.line ?? loss.line,
            },
      ),
      `Loss Lens could not evaluate ${loss.entry}: ${loss.error.message}` +
        (loss.error.file ? ` (${vscode.workspace.asRelativePath(loss.error.file)}, line ${loss.error.line})` : ''),
      vscode.DiagnosticSeverity.Information,
    );
    diagnostic.source = 'Loss Lens';
    out.push(diagnostic);
  }
  return out;
}
