// An error must not hold only under a guessed contract field. When a field was decided by trial or
// by the framework's convention (not given, not read from the project), each other value of it
// under which the loss is just as consistent (it runs and scores a perfect prediction better than
// a random one) is tried: if the error's check does not report it there, the error rests on the
// guess and becomes a warning that names it.
import type { Contract, ContractField, ResolvedContract } from '../contract';
import type { Finding } from '../findings/finding';
import { InterpreterError } from '../python/errors';
import type { PyValue } from '../python/values';
import type { LossProgram } from '../program';
import type { DiscoveredLoss } from './discover';
import * as activationMismatch from './checks/activationMismatch';
import * as axisOrder from './checks/axisOrder';
import * as wrongAxes from './checks/wrongAxes';
import { activatesPrediction } from './queries/activation';
import { labelBroadcast } from './queries/labelBroadcast';
import type { RuleId } from './rules';
import { LossSubject } from './subject';

type Check = (subject: LossSubject) => Finding<RuleId>[];

/** Checks whose findings say the data do not have the shape the contract gives them. */
const FIT_CHECKS: Check[] = [wrongAxes.check, axisOrder.check, activationMismatch.check];

interface Alternative {
  field: ContractField;
  contract: ResolvedContract;
  /** The other value, as the message names it. */
  text: string;
}

const guessed = (contract: ResolvedContract, field: ContractField) =>
  contract.sources[field] === 'trial' || contract.sources[field] === 'convention';

/** Each guessed field's other values, one field at a time. */
function alternatives(contract: ResolvedContract): Alternative[] {
  const found: Alternative[] = [];
  const add = (field: ContractField, change: Partial<Contract>, text: string) =>
    found.push({ field, contract: { ...contract, ...change }, text });
  if (guessed(contract, 'layout') && !contract.flattened && !contract.channelless) {
    const layout = contract.layout === 'channels_last' ? 'channels_first' : 'channels_last';
    add('layout', { layout }, `${layout} data`);
  }
  if (guessed(contract, 'labels') && !contract.floatLabels) {
    if (contract.labels === 'onehot') {
      add('labels', { labels: 'sparse', sparseChannel: false }, 'class maps without a channel axis');
      add('labels', { labels: 'sparse', sparseChannel: true }, 'class maps with a channel axis');
    } else {
      add('labels', { labels: 'onehot', sparseChannel: undefined }, 'one-hot labels');
      const channel = !(contract.sparseChannel ?? contract.layout === 'channels_last');
      add('labels', { sparseChannel: channel }, `class maps ${channel ? 'with' : 'without'} a channel axis`);
    }
  }
  if (guessed(contract, 'prediction')) {
    const prediction = contract.prediction === 'logits' ? 'probabilities' : 'logits';
    add('prediction', { prediction }, prediction);
  }
  return found;
}

const DESCRIPTIONS: Partial<Record<ContractField, (c: Contract) => string>> = {
  layout: (c) => `${c.layout} data`,
  labels: (c) =>
    c.labels === 'onehot'
      ? 'one-hot labels'
      : `class maps ${(c.sparseChannel ?? c.layout === 'channels_last') ? 'with' : 'without'} a channel axis`,
  prediction: (c) => c.prediction,
};

export class GuessCheck {
  private readonly viable = new Map<Alternative, LossSubject | undefined>();

  constructor(
    private readonly program: LossProgram,
    private readonly loss: DiscoveredLoss,
    private readonly callable: PyValue,
    private readonly subject: LossSubject,
    private readonly isCancelled?: () => boolean,
  ) {}

  /** A subject for the alternative when the loss is consistent under it; undefined otherwise. */
  private subjectFor(alternative: Alternative): LossSubject | undefined {
    if (this.viable.has(alternative)) return this.viable.get(alternative);
    let made: LossSubject | undefined;
    try {
      const subject = new LossSubject(this.program, this.loss, this.callable, alternative.contract, this.isCancelled);
      const random = subject.evaluate('random');
      const perfect = subject.evaluate('perfect').value;
      const { role } = this.loss;
      const better = role === 'metric' ? perfect > random.value : perfect < random.value;
      const { labels } = alternative.contract.sources;
      const labelsKnown = labels === 'given' || labels === 'context';
      const broadcast = !labelsKnown && labelBroadcast(random.trace, alternative.contract);
      // The loss activates its prediction exactly when it is given logits.
      const activation =
        alternative.field !== 'prediction' ||
        activatesPrediction(random.trace) === (alternative.contract.prediction === 'logits');
      const consistent =
        Number.isFinite(random.value) && Number.isFinite(perfect) && better && !broadcast && activation;
      // Axes that fit the layout: no per-pixel Dice sum, softmax over the class axis, no scrambling reshape.
      if (consistent && FIT_CHECKS.every((check) => !check(subject).length)) made = subject;
    } catch (error) {
      if (error instanceof InterpreterError && error.kind === 'cancelled') throw error;
    }
    this.viable.set(alternative, made);
    return made;
  }

  /**
   * The finding as a warning naming the guess when its check does not report it (kind and line)
   * under a consistent alternative to a guessed field; unchanged otherwise.
   */
  review(finding: Finding<RuleId>, check: Check): Finding<RuleId> {
    if (finding.severity !== 'error') return finding;
    const { contract } = this.subject;
    for (const alternative of alternatives(contract)) {
      const subject = this.subjectFor(alternative);
      if (!subject) continue;
      let again: Finding<RuleId>[];
      try {
        again = check(subject);
      } catch (error) {
        if (error instanceof InterpreterError && error.kind === 'cancelled') throw error;
        continue;
      }
      if (again.some((f) => f.kind === finding.kind && f.line === finding.line)) continue;
      const chosen = DESCRIPTIONS[alternative.field]?.(contract) ?? String(contract[alternative.field]);
      const source = contract.sources[alternative.field] === 'trial' ? 'found by trial' : 'a convention';
      const note =
        ` (this rests on a guess: ${chosen}, ${source}, as nothing in the project says; with ` +
        `${alternative.text} the loss is as consistent and this does not occur)`;
      return { ...finding, severity: 'warning', message: `${finding.message}${note}` };
    }
    return finding;
  }
}
