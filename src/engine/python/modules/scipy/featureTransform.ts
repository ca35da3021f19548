// The exact Euclidean feature transform of scipy.ndimage (Maurer, Qi and Raghavan's separable
// Voronoi algorithm, as scipy's ni_morphology.c runs it): for every element, the coordinates of the
// nearest background (zero) element, optionally with anisotropic `sampling`. Ported pass for pass,
// so distances, ties and the no-background case come out as scipy's.

/** Feature coordinates `features[axis * size + flat]`; `shape` is the input's (rank ≥ 1). */
export function featureTransform(foreground: ArrayLike<number>, shape: number[], sampling?: number[]): Int32Array {
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const features = new Int32Array(rank * size);
  const coordinate = (flat: number, axis: number) => Math.floor(flat / strides[axis]) % shape[axis];
  // Background elements are their own feature; foreground ones start without one (-1 on axis 0).
  for (let flat = 0; flat < size; flat++) {
    if (foreground[flat]) features[flat] = -1;
    else for (let axis = 0; axis < rank; axis++) features[axis * size + flat] = coordinate(flat, axis);
  }
  // One pass per axis, over every line along it (the passes of scipy's recursion, in the same order
  // for each line, and independent across lines).
  for (let d = 0; d < rank; d++) {
    const length = shape[d];
    for (let start = 0; start < size; start++) {
      if (coordinate(start, d) !== 0) continue;
      const line = Array.from({ length }, (_, i) => start + i * strides[d]);
      const coor = shape.map((_, axis) => coordinate(start, axis));
      voronoiLine(features, size, rank, line, d, coor, sampling);
    }
  }
  return features;
}

/** scipy's _VoronoiFT along one line of axis `d` at the other coordinates `coor`. */
function voronoiLine(
  features: Int32Array,
  size: number,
  rank: number,
  line: number[],
  d: number,
  coor: number[],
  sampling?: number[],
): void {
  const scale = (value: number, axis: number) => (sampling ? value * sampling[axis] : value);
  const f = line.map((flat) => Array.from({ length: rank }, (_, axis) => features[axis * size + flat]));
  const g: number[] = [];
  let l = -1;
  for (let ii = 0; ii < line.length; ii++) {
    if (f[ii][0] < 0) continue;
    const fd = f[ii][d];
    let wR = 0;
    for (let jj = 0; jj < rank; jj++) {
      if (jj === d) continue;
      const tw = scale(f[ii][jj] - coor[jj], jj);
      wR += tw * tw;
    }
    while (l >= 1) {
      const idx1 = g[l];
      const idx2 = g[l - 1];
      const f1 = f[idx1][d];
      const a = scale(f1 - f[idx2][d], d);
      const b = scale(fd - f1, d);
      const c = a + b;
      let uR = 0;
      let vR = 0;
      for (let jj = 0; jj < rank; jj++) {
        if (jj === d) continue;
        const tu = scale(f[idx2][jj] - coor[jj], jj);
        const tv = scale(f[idx1][jj] - coor[jj], jj);
        uR += tu * tu;
        vR += tv * tv;
      }
      if (c * vR - b * uR - a * wR - a * b * c <= 0) break;
      l--;
    }
    l++;
    g[l] = ii;
  }
  const maxl = l;
  if (maxl < 0) return;
  const squared = (vertex: number, ii: number) => {
    let total = 0;
    for (let jj = 0; jj < rank; jj++) {
      const t = scale(jj === d ? f[vertex][jj] - ii : f[vertex][jj] - coor[jj], jj);
      total += t * t;
    }
    return total;
  };
  l = 0;
  for (let ii = 0; ii < line.length; ii++) {
    let delta1 = squared(g[l], ii);
    while (l < maxl) {
      const delta2 = squared(g[l + 1], ii);
      if (delta1 <= delta2) break;
      delta1 = delta2;
      l++;
    }
    for (let jj = 0; jj < rank; jj++) features[jj * size + line[ii]] = f[g[l]][jj];
  }
}

/** The distance of every element to its feature: sqrt(Σ ((feature − index)·sampling)²), as scipy computes it. */
export function featureDistances(features: Int32Array, shape: number[], sampling?: number[]): Float64Array {
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float64Array(size);
  for (let flat = 0; flat < size; flat++) {
    let total = 0;
    for (let axis = 0; axis < rank; axis++) {
      const index = Math.floor(flat / strides[axis]) % shape[axis];
      const t = (features[axis * size + flat] - index) * (sampling ? sampling[axis] : 1);
      total += t * t;
    }
    out[flat] = Math.sqrt(total);
  }
  return out;
}
