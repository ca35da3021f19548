import type { SourceRange } from './ast';
import type { OpKind } from './opKinds';

/** How a framework treats the gradient through an op. */
export type GradientMode =
  | 'flow' // differentiable
  | 'cut' // result does not require grad (argmax, comparisons, int casts, detach, TF's round)
  | 'zero'; // result requires grad but the gradient is zero (torch.round, torch.sign, floor)

export interface TensorInfo {
  shape: number[];
  dtype: string;
  /** Bit set of ORIGIN_* flags: which inputs of the loss this tensor was computed from. */
  origin: number;
  requiresGrad: boolean;
}

/** One tensor op the loss executed, mapped back to its source. */
export interface TraceEntry {
  index: number;
  /** The op as the user spelled it (messages quote it); checks match `kind`. */
  op: string;
  /** What the op is, whatever the framework and spelling. */
  kind: OpKind;
  range: SourceRange;
  /** For an op written in another project file: where (`range` is then the call that led there). */
  at?: SourceRange;
  /** Call sites of the user functions the op ran in, outermost first (loss → helper → op). */
  callStack: SourceRange[];
  inputs: TensorInfo[];
  /** Trace index of the op that produced each input (-1: an input of the loss or a constant). */
  inputProducers: number[];
  output: TensorInfo;
  gradient: GradientMode;
  differentiable: boolean;
  broadcast: boolean;
  /** With value inspection on: the output holds NaN or ±Inf. */
  nonFinite?: boolean;
  /** With value inspection on: the values of small outputs (class weights, per-class scores). */
  values?: number[];
  /** For built-in losses: what each input is supposed to be (the prediction or the labels). */
  roles?: InputRole[];
}

export type HandGradientStyle = 'autograd-function' | 'custom-gradient' | 'caffe-layer';

/** A hand-written gradient an evaluation used (see handGradients.ts). */
export interface HandGradientUse {
  /** Stable across evaluations of a program: where the hand-written gradient is defined. */
  key: string;
  style: HandGradientStyle;
  /** What the code calls it (the Function class, the decorated function, the layer class). */
  name: string;
  /** The class or function that defines it. */
  definition: SourceRange;
  /** Where the backward produced the gradient (its return, the `bottom[0].diff` assignment), once it ran. */
  backward?: SourceRange;
  /** The backward gave no gradient (None, nothing written) for an input the prediction flows into. */
  noGradient?: boolean;
}

export type InputRole = 'prediction' | 'target' | 'weight' | 'other';

const MAX_TRACE_ENTRIES = 20_000;

export class Trace {
  readonly entries: TraceEntry[] = [];
  dropped = 0;

  record(entry: Omit<TraceEntry, 'index'>): number {
    if (this.entries.length >= MAX_TRACE_ENTRIES) {
      this.dropped++;
      return -1;
    }
    const index = this.entries.length;
    this.entries.push({ index, ...entry });
    return index;
  }
}
