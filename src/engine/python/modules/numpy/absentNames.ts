// Names numpy never had as module functions, though code writes them so: the ndarray methods
// (`np.flatten(x)` for `x.flatten()`). Real numpy raises AttributeError for them, which is the
// loss's own error, not a gap of the interpreter ("unsupported" stays for names numpy has and
// Loss Lens does not model). The list is the ndarray methods that neither numpy 1.24 nor 2.4 has
// at module level (np.astype, added in 2.1, is left out).
import { attributeError } from '../../errors';

const NDARRAY_ONLY = new Set(['flatten', 'item', 'tolist', 'view', 'fill', 'tobytes']);

/** numpy's AttributeError for a name it never had; undefined for other unmodelled names. */
export function absentNumpyName(name: string): undefined {
  if (!NDARRAY_ONLY.has(name)) return undefined;
  throw attributeError(
    `module 'numpy' has no attribute '${name}' (an ndarray method: call it on the array, x.${name}(...))`,
  );
}
