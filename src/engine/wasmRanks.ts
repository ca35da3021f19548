// The wasm backend's elementwise binary kernels and its constant pad run on XNNPACK (at most 6
// dimensions) or on loops of the same bound: on rank 7 and more they return zeros or garbage without
// an error. Their row-major data does not change when adjacent axes merge, so they are given the
// same data under a shape of at most 6 axes (axes that broadcast alike, or that are not padded, merge);
// what cannot be merged that far is refused, never computed wrong.
import * as tf from '@tensorflow/tfjs';
import { InterpreterError } from './python/errors';
import { BINARY_KERNELS, wrapKernel } from './python/kernelLimits';

/** The most axes the wasm kernels below compute correctly. */
const MAX_WASM_RANK = 6;

const refused = (kernel: string, rank: number) =>
  new InterpreterError(
    'unsupported',
    `unsupported: rank ${rank} tensors are not supported on the wasm backend (its ${kernel} kernel computes ` +
      'wrong values past 6 axes and these do not merge into 6); run on the cpu backend',
  );

const withShape = (info: tf.TensorInfo, shape: number[]): tf.TensorInfo => ({ ...info, shape });

/**
 * Operand shapes of a broadcasting op with adjacent axes merged where both operands broadcast alike
 * (both full, or the same one of size 1), and size-1 axes dropped; undefined for empty operands.
 */
export function mergedBroadcastShapes(
  a: readonly number[],
  b: readonly number[],
): { a: number[]; b: number[]; out: number[] } | undefined {
  const rank = Math.max(a.length, b.length);
  const left = [...Array<number>(rank - a.length).fill(1), ...a];
  const right = [...Array<number>(rank - b.length).fill(1), ...b];
  const out = left.map((d, i) => (d === 1 ? right[i] : d));
  if (out.includes(0)) return undefined;
  const merged = { a: [] as number[], b: [] as number[], out };
  let previous = '';
  for (let i = 0; i < rank; i++) {
    if (out[i] === 1) continue;
    const pattern = `${left[i] === 1}:${right[i] === 1}`;
    if (pattern === previous) {
      merged.a[merged.a.length - 1] *= left[i];
      merged.b[merged.b.length - 1] *= right[i];
    } else {
      merged.a.push(left[i]);
      merged.b.push(right[i]);
    }
    previous = pattern;
  }
  return merged;
}

/**
 * A constant pad's input shape and paddings with every axis that is not padded merged into the
 * padded axis before it (its paddings scale by the merged size) or into the leading unpadded run.
 */
export function mergedPadding(
  shape: readonly number[],
  paddings: readonly (readonly [number, number])[],
): { shape: number[]; paddings: [number, number][] } {
  const merged = { shape: [] as number[], paddings: [] as [number, number][] };
  shape.forEach((d, i) => {
    const [before, after] = paddings[i] ?? [0, 0];
    const last = merged.shape.length - 1;
    if (before || after || last < 0) {
      merged.shape.push(d);
      merged.paddings.push([before, after]);
    } else {
      merged.shape[last] *= d;
      merged.paddings[last] = [merged.paddings[last][0] * d, merged.paddings[last][1] * d];
    }
  });
  return merged;
}

function binaryKernel(kernel: string, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (Math.max(a.shape.length, b.shape.length) <= MAX_WASM_RANK) return original(args);
    const merged = mergedBroadcastShapes(a.shape, b.shape);
    if (!merged) return original(args); // empty: the kernel computes nothing
    if (merged.a.length > MAX_WASM_RANK) throw refused(kernel, merged.out.length);
    const inputs = { a: withShape(a, merged.a), b: withShape(b, merged.b) };
    return withShape(original({ ...args, inputs }) as tf.TensorInfo, merged.out);
  };
}

function padKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.shape.length <= MAX_WASM_RANK) return original(args);
    const paddings = args.attrs!.paddings as [number, number][];
    const merged = mergedPadding(x.shape, paddings);
    if (merged.shape.length > MAX_WASM_RANK) throw refused('PadV2', x.shape.length);
    const out = original({ ...args, inputs: { x: withShape(x, merged.shape) }, attrs: { ...args.attrs, ...merged } });
    return withShape(
      out as tf.TensorInfo,
      x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]),
    );
  };
}

const wrapped = new Set<string>();

/** Makes the wasm backend's rank-limited kernels exact on any rank, or refuse (idempotent). */
export function guardWasmRanks(): void {
  for (const kernel of BINARY_KERNELS)
    wrapKernel('wasm', kernel, (original) => binaryKernel(kernel, original), wrapped);
  wrapKernel('wasm', 'PadV2', padKernel, wrapped);
}
