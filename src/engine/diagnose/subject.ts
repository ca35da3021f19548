// One loss under diagnosis: its callable, its contract, and cached evaluations on synthetic
// inputs (random, perfect and empty predictions; labels with absent classes) that checks share.
import type { Contract, ResolvedContract } from '../contract';
import type { Evaluation, LossInputs, LossProgram } from '../program';
import type { PyValue } from '../python/values';
import type { DiscoveredLoss } from './discover';
import { type PredictionKind, type SyntheticOptions, syntheticInputs } from './synthetic';

export class LossSubject {
  private readonly cache = new Map<string, Evaluation>();

  constructor(
    readonly program: LossProgram,
    readonly loss: DiscoveredLoss,
    readonly callable: PyValue,
    readonly contract: ResolvedContract,
    private readonly isCancelled?: () => boolean,
  ) {}

  /**
   * Evaluates (once per distinct input) with value and gradient. Only the probes that look for
   * where NaN/Inf appear or read class weights (empty patches, absent classes) inspect values op by
   * op: that costs a read of every intermediate.
   */
  evaluate(prediction: PredictionKind, options: SyntheticOptions = {}, contract: Contract = this.contract): Evaluation {
    const inspectValues = Boolean(options.emptyTarget || options.absentClasses);
    // The loss-response curve needs values only.
    return this.cached(prediction, options, contract, {
      inspectValues,
      valueOnly: options.towardsPerfect !== undefined,
    });
  }

  /**
   * An evaluation whose trace holds the values of small intermediates (class weights): the one
   * above when it inspects them already, else a forward pass of its own (no gradient).
   */
  inspect(prediction: PredictionKind, options: SyntheticOptions = {}): Evaluation {
    if (options.emptyTarget || options.absentClasses) return this.evaluate(prediction, options);
    return this.cached(prediction, options, this.contract, { inspectValues: true, valueOnly: true });
  }

  /**
   * Evaluates with hand-written gradients (autograd Functions, tf.custom_gradient, Caffe layers)
   * replaced by automatic differentiation of their forward pass: every one, or only the one keyed.
   */
  evaluateAutodiff(prediction: PredictionKind, options: SyntheticOptions = {}, only?: string): Evaluation {
    return this.cached(prediction, options, this.contract, {
      inspectValues: false,
      valueOnly: false,
      autodiff: only ?? '*',
    });
  }

  /** The loss's value on given inputs (finite differences), under the subject's contract. */
  valueAt(inputs: LossInputs): number {
    return this.program.evaluate(this.callable, inputs, {
      framework: this.contract.framework,
      argOrder: this.contract.argOrder,
      valueOnly: true,
      isCancelled: this.isCancelled,
    }).value;
  }

  private cached(
    prediction: PredictionKind,
    options: SyntheticOptions,
    contract: Contract,
    mode: { inspectValues: boolean; valueOnly: boolean; autodiff?: string },
  ): Evaluation {
    const contractKey = contract === this.contract ? '' : JSON.stringify(contract);
    const key = `${prediction}:${JSON.stringify(options)}:${contractKey}:${JSON.stringify(mode)}`;
    let result = this.cache.get(key);
    if (!result) {
      const inputs = syntheticInputs(contract, prediction, options);
      const { autodiff, ...flags } = mode;
      result = this.program.evaluate(this.callable, inputs, {
        framework: contract.framework,
        argOrder: contract.argOrder,
        ...flags,
        ...(autodiff ? { autodiff: (key: string) => autodiff === '*' || key === autodiff } : {}),
        isCancelled: this.isCancelled,
      });
      this.cache.set(key, result);
    }
    return result;
  }
}
