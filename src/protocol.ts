// The one typed protocol between the extension host, the engine worker and the report webview.
// Both sides import these types; every message is plain JSON (plus a SharedArrayBuffer for
// cancellation, which the worker polls while the interpreter runs synchronously).
import type { BackendPreference, Contract, FileReport, LossReport } from './engine';

export interface DiscoveredLossSummary {
  name: string;
  entry: string;
  kind: 'function' | 'factory' | 'class';
  line: number;
  endLine: number;
}

export interface DiagnoseOptions {
  entry?: string;
  contract?: Partial<Contract>;
  backend?: BackendPreference;
}

export type WorkerRequest =
  | { type: 'discover'; id: number; source: string }
  | { type: 'diagnose'; id: number; file: string; source: string; options: DiagnoseOptions; cancel: SharedArrayBuffer };

export interface DiagnoseResult {
  report: FileReport;
  backend: string;
  timings: { totalMs: number };
}

export type WorkerResponse =
  | { type: 'discovered'; id: number; losses: DiscoveredLossSummary[]; error?: { message: string; line?: number } }
  | { type: 'progress'; id: number; message: string }
  | { type: 'diagnosed'; id: number; result: DiagnoseResult }
  | { type: 'error'; id: number; message: string; line?: number; cancelled?: boolean };

/** Extension → report webview. */
export type WebviewMessage = { type: 'report'; file: string; backend: string; loss: LossReport };

/** Report webview → extension. */
export type WebviewRequest = { type: 'ready' } | { type: 'reveal'; line: number };
