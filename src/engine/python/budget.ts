import { InterpreterError } from './errors';

/** A count as the limit messages write it: 1,000,000. */
export const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * A wall-clock budget shared by many evaluations (one loss's diagnosis, one file's): every
 * evaluation's limit guard also stops at its deadline, and work outside the interpreter asks it.
 */
export class Budget {
  private deadline: number;

  constructor(
    readonly limitMs: number,
    /** What the budget is for, as the limit message names it: "the diagnosis of this loss". */
    private readonly what: string,
  ) {
    this.deadline = Date.now() + limitMs;
  }

  get deadlineMs(): number {
    return this.deadline;
  }

  get expired(): boolean {
    return Date.now() > this.deadline;
  }

  error(): InterpreterError {
    return new InterpreterError('limit', `limit: ${this.what} took longer than ${thousands(this.limitMs)} ms`);
  }

  /** Throws the budget's limit error once its deadline has passed. */
  check(): void {
    if (this.expired) throw this.error();
  }

  /** Runs work whose time does not count against the budget (a training probe, bounded by its own). */
  async excluding<T>(work: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await work();
    } finally {
      this.deadline += Date.now() - start;
    }
  }
}
