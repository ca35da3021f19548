// One loss under diagnosis: its callable, its contract, and cached evaluations on synthetic
// inputs (random, perfect and empty predictions; labels with absent classes) that checks share.
import type { Contract } from '../contract';
import type { ResolvedContract } from './contract';
import type { Evaluation, LossProgram } from '../program';
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
    const key = `${prediction}:${JSON.stringify(options)}:${contract === this.contract ? '' : JSON.stringify(contract)}`;
    let result = this.cache.get(key);
    if (!result) {
      const inputs = syntheticInputs(contract, prediction, options);
      result = this.program.evaluate(this.callable, inputs, {
        framework: contract.framework,
        argOrder: contract.argOrder,
        inspectValues: Boolean(options.emptyTarget || options.absentClasses),
        valueOnly: options.towardsPerfect !== undefined, // the loss-response curve needs values only
        isCancelled: this.isCancelled,
      });
      this.cache.set(key, result);
    }
    return result;
  }
}
