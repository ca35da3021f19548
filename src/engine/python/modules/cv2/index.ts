// A model of OpenCV's Python module (`import cv2`), the part segmentation losses use: kernels from
// getStructuringElement, erode/dilate/morphologyEx, and the MORPH_* and BORDER_* constants. cv2 is
// a compiled extension the interpreter cannot read, so it is modelled; the model is used only when
// nothing on the project's paths provides cv2 (a project's own cv2.py, an environment's package
// win). Every other name of cv2 is what an unresolved import binds: harmless until it reaches the loss.
import type { PyValue } from '../../values';
import { def } from '../common';
import { registerModelModule } from '../registry';
import { BORDER_TYPES, MORPHOLOGY_EX_SPEC, MORPH_OPS, MORPH_SPEC, erodeOrDilate, morphologyEx } from './morphology';
import { MORPH_CROSS, MORPH_ELLIPSE, MORPH_RECT, STRUCTURING_SPEC, getStructuringElement } from './structuringElement';

const constants = (): [string, PyValue][] => [
  ['MORPH_RECT', BigInt(MORPH_RECT)],
  ['MORPH_CROSS', BigInt(MORPH_CROSS)],
  ['MORPH_ELLIPSE', BigInt(MORPH_ELLIPSE)],
  ...Object.entries(MORPH_OPS).map(([name, value]): [string, PyValue] => [`MORPH_${name}`, BigInt(value)]),
  ...Object.entries(BORDER_TYPES).map(([name, value]): [string, PyValue] => [`BORDER_${name}`, BigInt(value)]),
  ['BORDER_REFLECT101', BigInt(BORDER_TYPES.REFLECT_101)],
  ['BORDER_DEFAULT', BigInt(BORDER_TYPES.REFLECT_101)],
  ['BORDER_ISOLATED', 16n],
];

registerModelModule(
  'cv2',
  () =>
    new Map<string, PyValue>([
      ...constants(),
      [
        'getStructuringElement',
        def('cv2.getStructuringElement', STRUCTURING_SPEC, (a, site) => getStructuringElement(site, a)),
      ],
      ['erode', def('cv2.erode', MORPH_SPEC, (a, site) => erodeOrDilate(site, a, true))],
      ['dilate', def('cv2.dilate', MORPH_SPEC, (a, site) => erodeOrDilate(site, a, false))],
      ['morphologyEx', def('cv2.morphologyEx', MORPHOLOGY_EX_SPEC, (a, site) => morphologyEx(site, a))],
    ]),
);
