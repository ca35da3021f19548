// cv2.getStructuringElement(shape, ksize[, anchor]) as OpenCV builds it (imgproc's
// getStructuringElement): a uint8 array of ksize = (width, height), ones on a rectangle, a cross
// through the anchor, or an ellipse whose half-width on each row is c·sqrt(1 - dy²/r²) rounded to
// the nearest integer (r = height/2, c = width/2, integer halves; ties to even, as cvRound does).
import type { CallSite } from '../../callsite';
import { pyError, typeError } from '../../errors';
import { toInt } from '../../protocols';
import type { TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue } from '../../values';
import type { Bound } from '../common';

export const MORPH_RECT = 0;
export const MORPH_CROSS = 1;
export const MORPH_ELLIPSE = 2;

/** OpenCV's error (cv2.error), worded as its assertions print. */
export const cvError = (fn: string, message: string) =>
  pyError('cv2.error', `OpenCV(4.8.0) error: (-215:Assertion failed) ${message} in function '${fn}'`);

/** A Size or Point argument: a sequence of two integers. */
export function pairArg(value: PyValue, name: string): [number, number] {
  if (!(value instanceof PyTuple || value instanceof PyList) || value.items.length !== 2)
    throw typeError(`Can't parse '${name}'. Expected sequence length 2, got ${describe(value)}`);
  return [toInt(value.items[0], name), toInt(value.items[1], name)];
}

const describe = (value: PyValue) =>
  value instanceof PyTuple || value instanceof PyList ? String(value.items.length) : 'a non-sequence';

/** normalizeAnchor: (-1, -1) is the centre (integer halves); the anchor must lie inside the kernel. */
export function normalizeAnchor(anchor: [number, number], width: number, height: number, fn: string) {
  const x = anchor[0] === -1 ? Math.floor(width / 2) : anchor[0];
  const y = anchor[1] === -1 ? Math.floor(height / 2) : anchor[1];
  if (!(x >= 0 && x < width && y >= 0 && y < height))
    throw cvError(fn, 'anchor.inside(Rect(0, 0, ksize.width, ksize.height))');
  return { x, y };
}

/** cvRound: to the nearest integer, ties to even (the FPU's default rounding). */
function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff !== 0.5) return Math.round(v);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The element's rows (height × width, C order), 1 inside the shape. */
export function structuringElement(
  shape: number,
  width: number,
  height: number,
  anchor: { x: number; y: number },
): Uint8Array {
  if (width === 1 && height === 1) shape = MORPH_RECT;
  const r = Math.floor(height / 2);
  const c = Math.floor(width / 2);
  const invR2 = r ? 1 / (r * r) : 0;
  const element = new Uint8Array(width * height);
  for (let i = 0; i < height; i++) {
    let [j1, j2] = [0, 0];
    if (shape === MORPH_RECT || (shape === MORPH_CROSS && i === anchor.y)) j2 = width;
    else if (shape === MORPH_CROSS) [j1, j2] = [anchor.x, anchor.x + 1];
    else {
      const dy = i - r;
      if (Math.abs(dy) <= r) {
        const dx = roundHalfEven(c * Math.sqrt((r * r - dy * dy) * invR2));
        [j1, j2] = [Math.max(c - dx, 0), Math.min(c + dx + 1, width)];
      }
    }
    element.fill(1, i * width + j1, i * width + Math.max(j1, j2));
  }
  return element;
}

export const STRUCTURING_SPEC = ['shape', 'ksize', 'anchor=None'];

export function getStructuringElement(site: CallSite, a: Bound): TensorValue {
  const shape = toInt(a.shape, 'shape');
  if (shape !== MORPH_RECT && shape !== MORPH_CROSS && shape !== MORPH_ELLIPSE)
    throw cvError('getStructuringElement', 'shape == MORPH_RECT || shape == MORPH_CROSS || shape == MORPH_ELLIPSE');
  const [width, height] = pairArg(a.ksize, 'ksize');
  const anchor = normalizeAnchor(
    a.anchor === null ? [-1, -1] : pairArg(a.anchor, 'anchor'),
    width,
    height,
    'normalizeAnchor',
  );
  const element = structuringElement(shape, width, height, anchor);
  return site.rt.constant(Int32Array.from(element), [height, width], 'uint8', 'numpy');
}
