// Where the batch, class and spatial axes are in tensors shaped like the prediction, and which
// axes a reduction kept, so checks can tell which axes an op broadcast or reduced.
import type { Contract } from '../../contract';
import type { TraceEntry } from '../../python/trace';

export interface Axes {
  rank: number;
  batch: number;
  classAxis: number;
  spatial: number[];
}

export function predictionAxes(contract: Contract): Axes {
  // (pixels, classes): the pixel axis is the batch and the spatial axes at once.
  if (contract.flattened) return { rank: 2, batch: 0, classAxis: 1, spatial: [0] };
  const spatialDims = contract.spatialDims === 3 ? 3 : 2;
  // (N, *spatial): no class axis (-1 matches no axis).
  if (contract.channelless)
    return { rank: spatialDims + 1, batch: 0, classAxis: -1, spatial: [1, 2, 3].slice(0, spatialDims) };
  const rank = spatialDims + 2;
  const classAxis = contract.layout === 'channels_first' ? 1 : rank - 1;
  return { rank, batch: 0, classAxis, spatial: [...Array(rank).keys()].filter((a) => a !== 0 && a !== classAxis) };
}

/** For a reduction, which input axes survive (by matching sizes in order; keepdims shows as 1s). */
export function keptAxes(entry: TraceEntry): number[] | undefined {
  const input = entry.inputs[0]?.shape;
  const output = entry.output.shape;
  if (!input || output.length > input.length) return undefined;
  if (output.length === input.length) {
    return input.flatMap((d, i) => (output[i] === d ? [i] : output[i] === 1 ? [] : [NaN]));
  }
  const kept: number[] = [];
  let i = 0;
  for (const d of output) {
    while (i < input.length && input[i] !== d) i++;
    if (i === input.length) return undefined;
    kept.push(i++);
  }
  return kept;
}
