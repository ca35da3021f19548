import type { SourceRange } from './ast';

/**
 * Why the interpreter stopped. `python` errors are exceptions the user's code raised itself (or the
 * framework would raise: bad shapes, wrong keyword) and can be caught by `try/except` in that code;
 * the other kinds are ours and always end the evaluation.
 */
type InterpreterErrorKind =
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
    /** Tensor ops the evaluation ran before the error: how far the loss got with its inputs. */
    public progress?: number,
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

  toJSON(): {
    kind: InterpreterErrorKind;
    message: string;
    line?: number;
    endLine?: number;
    column?: number;
    pyType?: string;
  } {
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

/** A Python exception: `pyType: message`, or the bare type name without a message (`raise StopIteration`). */
export const pyError = (pyType: string, message?: string, range?: SourceRange) =>
  new InterpreterError('python', message === undefined ? pyType : `${pyType}: ${message}`, range, pyType);

// One helper per exception type the interpreter raises itself; `message` follows the type name.
export const typeError = (message: string, range?: SourceRange) => pyError('TypeError', message, range);
export const valueError = (message: string, range?: SourceRange) => pyError('ValueError', message, range);
export const indexError = (message: string, range?: SourceRange) => pyError('IndexError', message, range);
export const keyError = (message: string, range?: SourceRange) => pyError('KeyError', message, range);
export const attributeError = (message: string, range?: SourceRange) => pyError('AttributeError', message, range);
export const nameError = (message: string, range?: SourceRange) => pyError('NameError', message, range);
export const runtimeError = (message: string, range?: SourceRange) => pyError('RuntimeError', message, range);
export const notImplementedError = (message: string, range?: SourceRange) =>
  pyError('NotImplementedError', message, range);
export const zeroDivisionError = (message: string, range?: SourceRange) => pyError('ZeroDivisionError', message, range);
/** `assert test, message`: the bare type when the message is empty, as Python prints it. */
export const assertionError = (message: string, range?: SourceRange) =>
  pyError('AssertionError', message || undefined, range);
export const stopIteration = (range?: SourceRange) => pyError('StopIteration', undefined, range);
/** numpy's AxisError subclasses IndexError (and ValueError): `except IndexError` catches it. */
export const axisError = (message: string, range?: SourceRange) =>
  new InterpreterError('python', `AxisError: ${message}`, range, 'IndexError');
/** TensorFlow's errors (tf.errors.InvalidArgumentError, NotFoundError for a missing kernel). */
export const invalidArgumentError = (message: string, range?: SourceRange) =>
  pyError('InvalidArgumentError', message, range);
export const notFoundError = (message: string, range?: SourceRange) => pyError('NotFoundError', message, range);
export const moduleNotFoundError = (message: string, range?: SourceRange) =>
  pyError('ModuleNotFoundError', message, range);

/**
 * V8's stack overflow while evaluating code nested too deeply for the interpreter (a 2000-term sum
 * that CPython compiles), as a limit error the caller places at the innermost construct; other
 * errors, undefined.
 */
export function stackExhausted(error: unknown): InterpreterError | undefined {
  if (!(error instanceof RangeError) || !/call stack/.test(error.message)) return undefined;
  return new InterpreterError('limit', "limit: nested too deeply for Loss Lens's interpreter (its stack ran out)");
}
