import { type Budget, thousands } from './budget';
import { InterpreterError, valueError } from './errors';

/**
 * Bounds on one evaluation, so hostile or runaway code ends in a clean error, and the budgets of a
 * diagnosis (many evaluations). Sizes are checked before the memory is taken; the clock is read
 * often enough that no evaluation overshoots its wall time by more than one bounded operation.
 */
export interface Limits {
  /** Loop iterations (for, while, comprehensions) summed over the whole evaluation. */
  maxLoopIterations: number;
  /** Depth of Python-level calls. */
  maxRecursionDepth: number;
  /** Elements in any one tensor, checked before allocating (see kernelLimits.ts). */
  maxTensorElements: number;
  /**
   * Elements of all the tensors one evaluation's ops produce. The gradient tape keeps them alive, so an
   * element-by-element loop over a tensor (x[i] = … on every pixel) grows quadratically; past this the
   * WebAssembly heap would run out and abort the backend for every later loss.
   */
  maxTotalTensorElements: number;
  /** Items in any one Python list, tuple, set or dict built by the code. */
  maxCollectionLength: number;
  /** Characters in any one Python string built by the code. */
  maxStringLength: number;
  /**
   * Items the evaluation's lists, tuples, sets and dicts are built with, and characters of the strings
   * it repeats, joins or formats, summed: code that keeps building large containers (a comprehension
   * of million-item lists) ends here, not in an out-of-memory crash of the process.
   */
  maxBuiltItems: number;
  /** Wall time of one evaluation. */
  maxWallTimeMs: number;
  /** Wall time of one loss's static diagnosis (its contract search and checks: about 15–40 evaluations). */
  maxLossDiagnosisMs: number;
  /** Wall time of one file's static diagnosis, all its losses (training probes have their own budget). */
  maxFileDiagnosisMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLoopIterations: 200_000,
  maxRecursionDepth: 150,
  maxTensorElements: 1 << 24,
  maxTotalTensorElements: 1 << 27,
  maxCollectionLength: 1_000_000,
  maxStringLength: 1_000_000,
  maxBuiltItems: 32_000_000,
  maxWallTimeMs: 10_000,
  maxLossDiagnosisMs: 60_000,
  maxFileDiagnosisMs: 300_000,
};

/** Ticks (statements, calls, tensor ops) between two reads of the clock and polls of cancellation. */
const TICKS_PER_CLOCK_READ = 8;
/** Items a native operation (a join, a sort, a conversion) handles in about the time of one tick. */
const ITEMS_PER_TICK = 256;

/** Counts work against the limits; `isCancelled` is polled with the clock. */
export class LimitGuard {
  private loopIterations = 0;
  private producedElements = 0;
  private builtItems = 0;
  private ticks = 0;
  private nextClockRead = 0;
  private deadline: number;

  constructor(
    readonly limits: Limits,
    private readonly isCancelled: () => boolean = () => false,
    /** Budgets of the diagnosis this evaluation belongs to: their deadlines stop it too. */
    private readonly budgets: readonly Budget[] = [],
  ) {
    this.deadline = Date.now() + limits.maxWallTimeMs;
  }

  /**
   * Runs bounded work that is not the loss's own (parsing a project module it imports): its time
   * does not count against the wall-time limit, so a large package read on a busy machine is no timeout.
   */
  excluding<T>(work: () => T): T {
    const start = Date.now();
    try {
      return work();
    } finally {
      this.deadline += Date.now() - start;
    }
  }

  loopIteration(): void {
    if (++this.loopIterations > this.limits.maxLoopIterations) {
      throw new InterpreterError(
        'limit',
        `limit: more than ${this.limits.maxLoopIterations} loop iterations (an endless loop?)`,
      );
    }
    this.tick();
  }

  /** Cheap enough to call on every statement, call and tensor op; reads the clock every few calls. */
  tick(): void {
    if (++this.ticks >= this.nextClockRead) this.checkClock();
  }

  /**
   * Native work over `items` items (a sort, a join, a conversion): it counts as ticks in proportion,
   * so a long native operation reads the clock right after, and a run of them cannot overshoot.
   */
  work(items: number): void {
    this.ticks += items / ITEMS_PER_TICK;
    this.tick();
  }

  checkClock(): void {
    this.nextClockRead = this.ticks + TICKS_PER_CLOCK_READ;
    if (this.isCancelled()) throw new InterpreterError('cancelled', 'cancelled');
    const now = Date.now();
    if (now > this.deadline) {
      throw new InterpreterError('limit', `limit: evaluation took longer than ${this.limits.maxWallTimeMs} ms`);
    }
    for (const budget of this.budgets) if (now > budget.deadlineMs) throw budget.error();
  }

  /** Counts the elements an op produced against the evaluation's total. */
  produced(elements: number, what: string): void {
    this.producedElements += elements;
    if (this.producedElements > this.limits.maxTotalTensorElements) {
      throw new InterpreterError(
        'limit',
        `limit: the loss's tensor operations produced more than ${thousands(this.limits.maxTotalTensorElements)} ` +
          `elements in one evaluation (at ${what}; an element-by-element loop over a tensor?)`,
      );
    }
  }

  checkTensorElements(shape: readonly number[], what: string): void {
    let elements = 1;
    for (const d of shape) {
      if (!Number.isFinite(d) || d < 0) throw valueError(`invalid dimension ${d} in ${what}`);
      elements *= d;
    }
    this.checkElementCount(elements, what);
  }

  checkElementCount(elements: number, what: string): void {
    if (elements > this.limits.maxTensorElements) {
      throw new InterpreterError(
        'limit',
        `limit: ${what} would hold ${thousands(elements)} elements ` +
          `(at most ${thousands(this.limits.maxTensorElements)})`,
      );
    }
  }

  /** Something lazy of `length` items (a range) that would be too long to materialise. */
  checkLength(what: string, length: number): void {
    if (length > this.limits.maxCollectionLength) {
      throw new InterpreterError(
        'limit',
        `limit: ${what} would hold ${thousands(length)} items (at most ${thousands(this.limits.maxCollectionLength)})`,
      );
    }
  }

  /**
   * A list, tuple, set or dict (`what`: "a tuple") about to hold `length` items, `added` of them new:
   * checked before it grows, and the new items counted against the evaluation's total.
   */
  growCollection(what: string, length: number, added = length): void {
    if (length > this.limits.maxCollectionLength) {
      throw new InterpreterError(
        'limit',
        `limit: this loss grows ${what} past ${thousands(this.limits.maxCollectionLength)} items ` +
          `(to ${thousands(length)})`,
      );
    }
    this.built(added);
  }

  /** A string about to be built with `length` characters (`copied`: whether they are new memory). */
  growString(length: number, copied = true): void {
    if (length > this.limits.maxStringLength) {
      throw new InterpreterError(
        'limit',
        `limit: this loss builds a string of ${thousands(length)} characters ` +
          `(at most ${thousands(this.limits.maxStringLength)})`,
      );
    }
    if (copied) this.built(length);
  }

  private built(items: number): void {
    this.builtItems += items;
    if (this.builtItems > this.limits.maxBuiltItems) {
      throw new InterpreterError(
        'limit',
        `limit: this loss builds more than ${thousands(this.limits.maxBuiltItems)} items of lists, tuples and ` +
          'strings in one evaluation (a loop that keeps building large containers?)',
      );
    }
    this.work(items);
  }
}
