// Chooses the TensorFlow.js backend: tfjs-node when it is installed (fastest), else WebAssembly
// (ships inside its npm package), else the plain CPU backend. Every result reports which one ran.
import * as tf from '@tensorflow/tfjs';
import { limitKernelSizes } from './python/kernelLimits';
import { guardWasmRanks } from './wasmRanks';
import type { BackendName, BackendPreference } from './backendChoice';

export { BACKEND_PREFERENCES, backendFromEnvironment, type BackendName, type BackendPreference } from './backendChoice';

let active: Promise<BackendName> | undefined;
let activePreference: BackendPreference | undefined;

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional native dependency: absent wherever its install could not download libtensorflow.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed
    require('@tensorflow/tfjs-node');
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the backend on first use
    require('@tensorflow/tfjs-backend-wasm');
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function select(preference: BackendPreference): Promise<BackendName> {
  const attempts: [BackendName, () => Promise<boolean>][] = [
    ['tensorflow', tryTensorflow],
    ['wasm', tryWasm],
    ['cpu', () => tf.setBackend('cpu')],
  ];
  for (const [name, attempt] of attempts) {
    if (preference !== 'auto' && preference !== name) continue;
    if (await attempt()) {
      await tf.ready();
      // The cpu backend prints an install-tfjs-node banner on first use; we report the backend ourselves.
      if (name === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
      // Sizes are checked before a kernel allocates; the wasm kernels that are wrong past 6 axes are made exact.
      limitKernelSizes(name);
      if (name === 'wasm') guardWasmRanks();
      return name;
    }
    if (preference === name) throw new Error(`the ${name} backend is not available on this machine`);
  }
  throw new Error('no TensorFlow.js backend could be initialised');
}

/** Initialises (once) and returns the backend in use. A different preference re-selects. */
export function initBackend(preference: BackendPreference = 'auto'): Promise<BackendName> {
  if (!active || preference !== activePreference) {
    activePreference = preference;
    active = select(preference);
  }
  return active;
}
