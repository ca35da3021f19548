import { InterpreterError, valueError } from './errors';

/** A count as the limit messages write it: 1,000,000. */
const thousands = (n: number) => n.toLocaleString('en-US');

/** Bounds on one evaluation, so hostile or runaway code ends in a clean error. */
export interface Limits {
  /** Loop iterations (for, while, comprehensions) summed over the whole evaluation. */
  maxLoopIterations: number;
  /** Depth of Python-level calls. */
  maxRecursionDepth: number;
  /** Elements in any one tensor, checked before allocating where the size is known in advance. */
  maxTensorElements: number;
  /**
   * Elements of all the tensors one evaluation's ops produce. The gradient tape keeps them alive, so an
   * element-by-element loop over a tensor (x[i] = … on every pixel) grows quadratically; past this the
   * WebAssembly heap would run out and abort the backend for every later loss.
   */
  maxTotalTensorElements: number;
  /** Elements in any one Python list/tuple/string built by the code. */
  maxCollectionLength: number;
  /** Wall time of one evaluation. */
  maxWallTimeMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLoopIterations: 200_000,
  maxRecursionDepth: 150,
  maxTensorElements: 1 << 24,
  maxTotalTensorElements: 1 << 27,
  maxCollectionLength: 1_000_000,
  maxWallTimeMs: 10_000,
};

/** Counts work against the limits; `isCancelled` is polled with the clock. */
export class LimitGuard {
  private loopIterations = 0;
  private producedElements = 0;
  private ticks = 0;
  private deadline: number;

  constructor(
    readonly limits: Limits,
    private readonly isCancelled: () => boolean = () => false,
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

  /** Cheap enough to call on every statement and tensor op; reads the clock every 64 calls. */
  tick(): void {
    if ((++this.ticks & 63) !== 0) return;
    this.checkClock();
  }

  checkClock(): void {
    if (this.isCancelled()) throw new InterpreterError('cancelled', 'cancelled');
    if (Date.now() > this.deadline) {
      throw new InterpreterError('limit', `limit: evaluation took longer than ${this.limits.maxWallTimeMs} ms`);
    }
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
    if (elements > this.limits.maxTensorElements) {
      throw new InterpreterError(
        'limit',
        `limit: ${what} would hold ${thousands(elements)} elements ` +
          `(at most ${thousands(this.limits.maxTensorElements)})`,
      );
    }
  }

  checkCollectionLength(length: number, what: string): void {
    if (length > this.limits.maxCollectionLength) {
      throw new InterpreterError(
        'limit',
        `limit: ${what} would hold ${thousands(length)} items ` +
          `(at most ${thousands(this.limits.maxCollectionLength)})`,
      );
    }
  }
}
