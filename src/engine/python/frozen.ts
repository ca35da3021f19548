// Framework objects every analysis shares and Python code may not change: dtype and device objects
// (torch.float32, np.dtype('float32'), tf.int32, torch.device('cpu')), whose attributes are read-only
// in the frameworks too. Setting one raises AttributeError, so nothing one file does to them reaches
// the next file analysed in the same process. (Mutable framework state, such as os.environ, is
// rebuilt for each analysis instead: see freshModules in modules/registry.ts.)
const frozen = new WeakSet<object>();

export function freeze<T extends object>(value: T): T {
  frozen.add(value);
  return value;
}

export const isFrozen = (value: object): boolean => frozen.has(value);
