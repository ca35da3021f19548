// A file the CLI could not hand to the engine (unreadable, not decodable, too large), as its report.
import type { FileReport } from '../engine';
import { InterpreterError } from '../engine/python/errors';
import { FileReadError } from '../engine/project/regularFile';

const fileError = (error: unknown): FileReport['error'] =>
  error instanceof InterpreterError
    ? { kind: error.kind, message: error.message, line: error.line }
    : error instanceof FileReadError
      ? { kind: error.kind, message: error.message }
      : { kind: 'internal', message: error instanceof Error ? error.message.split('\n')[0] : String(error) };

export const unreadable = (file: string, error: Error): FileReport => ({
  file,
  losses: [],
  findings: [],
  notes: [],
  error: fileError(error),
});
