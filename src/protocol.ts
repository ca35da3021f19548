// The one typed protocol between the extension host, the engine worker and the webview.
// Both sides import these types; messages are plain JSON.

export interface CheckFileRequest {
  type: 'checkFile';
  id: number;
  source: string;
}

export interface CancelRequest {
  type: 'cancel';
  id: number;
}

export type WorkerRequest = CheckFileRequest | CancelRequest;

export interface FileSummary {
  backend: string;
  /** Top-level functions and classes, with their lines. */
  definitions: { name: string; kind: 'function' | 'class'; line: number }[];
  /** Module-level statements that were not executed, and sandbox refusals. */
  notes: { kind: string; message: string; line: number }[];
}

export type WorkerResponse =
  | { type: 'result'; id: number; summary: FileSummary }
  | { type: 'error'; id: number; message: string; line?: number };
