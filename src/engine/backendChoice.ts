// The TensorFlow.js backends one can ask for, and LOSS_LENS_BACKEND: plain data, so the hosts read
// them without loading TF.js (backend.ts loads and selects the backend).
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export function backendFromEnvironment(): BackendPreference {
  const value = process.env.LOSS_LENS_BACKEND;
  return value && (BACKEND_PREFERENCES as readonly string[]).includes(value) ? (value as BackendPreference) : 'auto';
}
