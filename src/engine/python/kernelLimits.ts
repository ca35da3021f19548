// The size of a tensor op's result, checked before TF.js allocates it: every op the module tables
// run, and their gradients, reaches the backend through a kernel, so the kernels that can grow a
// tensor are wrapped once per backend with the output size computed from their inputs and attributes.
// (A concat of a hundred 16M-element tensors spent minutes in the wasm kernel before its size was seen.)
import * as tf from '@tensorflow/tfjs';
import { InterpreterError } from './errors';
import { thousands } from './budget';
import { DEFAULT_LIMITS, LimitGuard } from './limits';

type Inputs = tf.NamedTensorInfoMap;
type Attrs = tf.NamedAttrMap;
/** What a kernel would produce: output elements, and multiply-adds for the kernels that do many per element. */
type Sizer = (inputs: Inputs, attrs: Attrs) => { elements: number; work?: number };

/** Multiply-adds a matmul or convolution may take, per element of the tensor limit (2^30 by default). */
const WORK_PER_LIMIT_ELEMENT = 64;

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
/** An input's shape ([] when the kernel has no such input: its own checks then fail). */
const shape = (inputs: Inputs, name: string): number[] => inputs[name]?.shape ?? [];
const size = (inputs: Inputs, name: string) => product(shape(inputs, name));
const shapes = (inputs: Inputs) => Object.values(inputs).map((t) => t?.shape ?? []);
const summed = (inputs: Inputs) => shapes(inputs).reduce((total, s) => total + product(s), 0);
const padded = (dims: number[], paddings: [number, number][]) =>
  product(dims.map((d, i) => d + (paddings[i]?.[0] ?? 0) + (paddings[i]?.[1] ?? 0)));

/** The broadcast of operand shapes, dimension by dimension from the right. */
function broadcastSize(operands: readonly (readonly number[])[]): number {
  const rank = Math.max(0, ...operands.map((s) => s.length));
  let elements = 1;
  for (let i = 1; i <= rank; i++) elements *= Math.max(...operands.map((s) => s[s.length - i] ?? 1));
  return elements;
}

const elementwise: Sizer = (inputs) => ({ elements: broadcastSize(shapes(inputs)) });

/** The binary kernels that broadcast their two operands (a, b) elementwise. */
export const BINARY_KERNELS = [
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'FloorDiv',
  'Mod',
  'Maximum',
  'Minimum',
  'Pow',
  'SquaredDifference',
  'Atan2',
  'Equal',
  'NotEqual',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
  'LogicalAnd',
  'LogicalOr',
  'LogicalXor',
  'BitwiseAnd',
];

function matMul(inputs: Inputs, attrs: Attrs) {
  const [a, b] = [shape(inputs, 'a'), shape(inputs, 'b')];
  const at = (dims: number[], fromEnd: number) => dims[dims.length - fromEnd] ?? 1;
  const m = attrs.transposeA ? at(a, 1) : at(a, 2);
  const k = attrs.transposeA ? at(a, 2) : at(a, 1);
  const n = attrs.transposeB ? at(b, 2) : at(b, 1);
  const batch = broadcastSize([a.slice(0, -2), b.slice(0, -2)]);
  return { elements: batch * m * n, work: batch * m * n * k };
}

/** An upper bound on a convolution (stride 1, 'same'): the input's positions times the filters. */
function convolution(inputs: Inputs) {
  const [x, filter] = [shape(inputs, 'x'), shape(inputs, 'filter')];
  const elements = (product(x) / Math.max(x[x.length - 1] ?? 1, 1)) * (filter[filter.length - 1] ?? 1);
  // Each output element sums over the filter's window and input channels (all but its last dimension).
  return { elements, work: elements * product(filter.slice(0, -1)) };
}

function gather(inputs: Inputs, attrs: Attrs) {
  const x = shape(inputs, 'x');
  const axis = (attrs.axis as number) < 0 ? (attrs.axis as number) + x.length : (attrs.axis as number);
  const batch = product(x.slice(0, (attrs.batchDims as number | undefined) ?? 0));
  const indices = size(inputs, 'indices') / Math.max(batch, 1);
  return { elements: (product(x) / Math.max(x[axis] ?? 1, 1)) * indices };
}

function gatherNd(inputs: Inputs) {
  const [params, indices] = [shape(inputs, 'params'), shape(inputs, 'indices')];
  const depth = indices[indices.length - 1] ?? 0;
  return { elements: (product(indices) / Math.max(depth, 1)) * product(params.slice(depth)) };
}

function resized(inputs: Inputs, attrs: Attrs) {
  const [batch = 1, , , channels = 1] = shape(inputs, 'images');
  const [height, width] = attrs.size as number[];
  return { elements: batch * height * width * channels };
}

const fromAttr = (name: string) => (_inputs: Inputs, attrs: Attrs) => ({ elements: product(attrs[name] as number[]) });

const SIZERS: Record<string, Sizer> = {
  ...Object.fromEntries([...BINARY_KERNELS, 'Select'].map((name) => [name, elementwise])),
  AddN: (inputs) => ({ elements: product(shapes(inputs)[0] ?? []) }),
  Concat: (inputs) => ({ elements: summed(inputs) }),
  Pack: (inputs) => ({ elements: summed(inputs) }),
  Tile: (inputs, attrs) => ({ elements: size(inputs, 'x') * product(attrs.reps as number[]) }),
  BroadcastTo: fromAttr('shape'),
  Fill: fromAttr('shape'),
  ScatterNd: fromAttr('shape'),
  SparseToDense: fromAttr('outputShape'),
  Conv2DBackpropInput: fromAttr('inputShape'),
  Conv3DBackpropInputV2: fromAttr('inputShape'),
  OneHot: (inputs, attrs) => ({ elements: size(inputs, 'indices') * (attrs.depth as number) }),
  Range: (_inputs, attrs) => {
    const { start, stop, step } = attrs as { start: number; stop: number; step: number };
    return { elements: Math.max(0, Math.ceil((stop - start) / step)) };
  },
  LinSpace: (_inputs, attrs) => ({ elements: attrs.num as number }),
  PadV2: (inputs, attrs) => ({ elements: padded(shape(inputs, 'x'), attrs.paddings as [number, number][]) }),
  MirrorPad: (inputs, attrs) => ({ elements: padded(shape(inputs, 'x'), attrs.paddings as [number, number][]) }),
  GatherV2: gather,
  GatherNd: gatherNd,
  UnsortedSegmentSum: (inputs, attrs) => ({
    elements: (attrs.numSegments as number) * (size(inputs, 'x') / Math.max(size(inputs, 'segmentIds'), 1)),
  }),
  Bincount: (_inputs, attrs) => ({ elements: attrs.size as number }),
  DenseBincount: (inputs, attrs) => {
    const x = shape(inputs, 'x');
    return { elements: (attrs.size as number) * (x.length === 2 ? x[0] : 1) };
  },
  Multinomial: (inputs, attrs) => ({ elements: (attrs.numSamples as number) * (shape(inputs, 'logits')[0] ?? 1) }),
  ResizeBilinear: resized,
  ResizeNearestNeighbor: resized,
  BatchMatMul: matMul,
  Conv2D: convolution,
  Conv3D: convolution,
};

/** The evaluation whose op is running, so that a kernel's limit error names the op and uses its limits. */
let running: { guard: LimitGuard; op: string } | undefined;

/** Runs an op's TF.js calls with the evaluation's tensor limit applied inside the kernels. */
export function withKernelLimits<T>(guard: LimitGuard, op: string, run: () => T): T {
  const outer = running;
  running = { guard, op };
  try {
    return run();
  } finally {
    running = outer;
  }
}

/** The limits of kernels run outside an op (gradients, inputs): the defaults. */
const DEFAULT_GUARD = new LimitGuard(DEFAULT_LIMITS);

function checkKernel(kernel: string, inputs: Inputs, attrs: Attrs, sizer: Sizer): void {
  const { elements, work } = sizer(inputs, attrs);
  const what = `the result of ${running?.op ?? kernel}`;
  const guard = running?.guard ?? DEFAULT_GUARD;
  guard.checkElementCount(elements, what);
  const maxWork = guard.limits.maxTensorElements * WORK_PER_LIMIT_ELEMENT;
  if (work !== undefined && work > maxWork) {
    throw new InterpreterError(
      'limit',
      `limit: ${what} would take ${thousands(work)} multiply-adds (at most ${thousands(maxWork)})`,
    );
  }
}

/** Replaces a backend's kernel by a wrapper of it (once per backend and kernel). */
export function wrapKernel(
  backend: string,
  kernel: string,
  wrap: (original: tf.KernelFunc) => tf.KernelFunc,
  wrapped: Set<string>,
): void {
  const key = `${backend}:${kernel}`;
  const config = tf.getKernel(kernel, backend);
  if (!config || wrapped.has(key)) return;
  wrapped.add(key);
  tf.unregisterKernel(kernel, backend);
  tf.registerKernel({ ...config, kernelFunc: wrap(config.kernelFunc) });
}

const sized = new Set<string>();

/** Wraps the backend's growing kernels with their size check (idempotent). */
export function limitKernelSizes(backend: string): void {
  for (const [kernel, sizer] of Object.entries(SIZERS)) {
    wrapKernel(
      backend,
      kernel,
      (original) => (args) => {
        checkKernel(kernel, args.inputs, args.attrs ?? {}, sizer);
        return original(args);
      },
      sized,
    );
  }
}
