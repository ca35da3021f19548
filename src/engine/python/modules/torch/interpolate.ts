// Resizing: F.interpolate, nn.Upsample and the deprecated F.upsample / upsample_nearest /
// upsample_bilinear, with torch 1.13's argument rules (one of size or scale_factor; align_corners
// only for the linear modes; the mode's rank). Modes 'area' and 'bicubic' are not modelled.
import type { CallSite } from '../../callsite';
import { notImplementedError, unsupported, valueError } from '../../errors';
import { type ResampleMode, resample } from '../../ops/resample';
import { toFloat, toShape, truthy } from '../../protocols';
import { PyList, PyTuple, type PyValue } from '../../values';
import { type Bound, def } from '../common';
import { T } from './arguments';
import { functional } from './functional';
import { nativeModule, nn } from './nn';

const LINEAR_RANK: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5 };

function perSpatialAxis(value: PyValue, spatial: number, read: (v: PyValue) => number): number[] | undefined {
  if (value === null || value === undefined) return undefined;
  const values = value instanceof PyList || value instanceof PyTuple ? value.items.map(read) : [read(value)];
  return values.length === 1 ? Array(spatial).fill(values[0]) : values;
}

function interpolate(a: Bound, site: CallSite, name: string): PyValue {
  const x = T(site, a.input);
  const mode = String(a.mode);
  const spatial = x.rank - 2;
  const sizes = perSpatialAxis(a.size, spatial, (v) => toShape(v)[0]);
  const factors = perSpatialAxis(a.scale_factor, spatial, (v) => toFloat(v, 'scale_factor'));
  if (sizes && factors) throw valueError('only one of size or scale_factor should be defined');
  if (!sizes && !factors) throw valueError('either size or scale_factor should be defined');
  const given = sizes ?? factors!;
  if (given.length !== spatial)
    throw valueError(
      `Input and output must have the same number of spatial dimensions, but got input with spatial ` +
        `dimensions of [${x.shape.slice(2).join(', ')}] and output size of (${given.join(', ')}).`,
    );
  const linear = mode in LINEAR_RANK;
  if (!linear && mode !== 'nearest' && mode !== 'nearest-exact') {
    if (mode === 'area' || mode === 'bicubic') throw unsupported(`${name}(mode='${mode}')`);
    throw notImplementedError(
      `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.rank}D) for the modes: ` +
        `nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`,
    );
  }
  if (!linear && a.align_corners !== null)
    throw valueError(
      'align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear',
    );
  if (linear && x.rank !== LINEAR_RANK[mode])
    throw notImplementedError(`Got ${x.rank}D input, but ${mode} mode needs ${LINEAR_RANK[mode]}D input`);
  const outSizes = sizes ?? x.shape.slice(2).map((n, i) => Math.floor(n * factors![i]));
  // A scale factor given (and not recomputed) sets the source scale itself: 1 / factor, not in / out.
  const scales = factors && !truthy(a.recompute_scale_factor ?? null) ? factors.map((f) => 1 / f) : undefined;
  const resampleMode: ResampleMode = linear ? 'linear' : (mode as ResampleMode);
  const alignCorners = linear && truthy(a.align_corners ?? null);
  return resample(site, x, { mode: resampleMode, sizes: outSizes, alignCorners, scales }, name);
}

const SPEC = ['input', 'size=None', 'scale_factor=None', "mode='nearest'", 'align_corners=None'];
functional.set(
  'interpolate',
  def('F.interpolate', [...SPEC, 'recompute_scale_factor=None', 'antialias=False'], (a, site) =>
    interpolate(a, site, 'interpolate'),
  ),
);
functional.set(
  'upsample',
  def('F.upsample', SPEC, (a, site) => interpolate(a, site, 'upsample')),
);
functional.set(
  'upsample_nearest',
  def('F.upsample_nearest', ['input', 'size=None', 'scale_factor=None'], (a, site) =>
    interpolate({ ...a, mode: 'nearest', align_corners: null }, site, 'upsample_nearest'),
  ),
);
functional.set(
  'upsample_bilinear',
  def('F.upsample_bilinear', ['input', 'size=None', 'scale_factor=None'], (a, site) =>
    interpolate({ ...a, mode: 'bilinear', align_corners: true }, site, 'upsample_bilinear'),
  ),
);
nn.set(
  'Upsample',
  nativeModule(
    'Upsample',
    ['size=None', 'scale_factor=None', "mode='nearest'", 'align_corners=None', 'recompute_scale_factor=None'],
    (c, [x], site) => interpolate({ ...c, input: x }, site, 'Upsample'),
  ),
);
