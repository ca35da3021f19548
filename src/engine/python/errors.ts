import type { SourceRange } from './ast';

/**
 * Why the interpreter stopped. `python` errors are exceptions the user's code raised itself (or the
 * framework would raise: bad shapes, wrong keyword) and can be caught by `try/except` in that code;
 * the other kinds are ours and always end the evaluation.
 */
export type InterpreterErrorKind =
  | 'syntax' // the source does not parse
  | 'unsupported' // a construct or API the interpreter does not implement
  | 'sandbox' // file, process, network or dynamic-code access, refused and never executed
  | 'limit' // loop iterations, recursion, tensor size, wall time
  | 'cancelled'
  | 'python'; // a Python-level exception: TypeError, ValueError, AssertionError, shape errors...

export class InterpreterError extends Error {
  constructor(
    readonly kind: InterpreterErrorKind,
    message: string,
    public range?: SourceRange,
    /** Python exception class name for `python` errors (ValueError, ...). */
    readonly pyType?: string,
  ) {
    super(message);
    this.name = 'InterpreterError';
  }

  /** Attaches the range of the innermost construct being evaluated, when the thrower did not know it. */
  at(range: SourceRange | undefined): this {
    if (!this.range && range) this.range = range;
    return this;
  }

  get line(): number | undefined {
    return this.range?.line;
  }

  toJSON(): { kind: InterpreterErrorKind; message: string; line?: number; endLine?: number; column?: number; pyType?: string } {
    return {
      kind: this.kind,
      message: this.message,
      line: this.range?.line,
      endLine: this.range?.endLine,
      column: this.range?.column,
      pyType: this.pyType,
    };
  }
}

export const unsupported = (what: string, range?: SourceRange) =>
  new InterpreterError('unsupported', `unsupported: ${what}`, range);

export const pyError = (pyType: string, message: string, range?: SourceRange) =>
  new InterpreterError('python', `${pyType}: ${message}`, range, pyType);

export const typeError = (message: string, range?: SourceRange) => pyError('TypeError', message, range);
export const valueError = (message: string, range?: SourceRange) => pyError('ValueError', message, range);
