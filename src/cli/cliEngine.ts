// The engine process the CLI analyses its files in, and where each file's imports are looked up.
import { join, relative, resolve } from 'node:path';
import { EngineClient } from '../host/engineClient';
import type { ProjectRequest } from '../protocol';

/**
 * A loss that takes the engine process down (out of memory, a V8 fatal error) is that loss's
 * error and the run goes on in a fresh one. LOSS_LENS_MAX_HEAP_MB sets the engine's heap limit
 * (default 4096).
 */
export function cliEngine(): EngineClient {
  const heapMb = Number(process.env.LOSS_LENS_MAX_HEAP_MB);
  const resourceLimits = Number.isInteger(heapMb) && heapMb > 0 ? { maxOldGenerationSizeMb: heapMb } : undefined;
  // dist/cli.js: the package's folder holds dist/engineHost.js and dist/worker.js.
  return new EngineClient(join(__dirname, '..'), () => {}, 'cli', { resourceLimits });
}

/** Where a file's imports are looked up (--root, --path, VIRTUAL_ENV); the engine process builds the layout. */
export function projectRequest(file: string, values: { root?: string; path?: string[] }): ProjectRequest {
  const path = resolve(file);
  // The working folder too, as `python -m` has it: a script in training/ importing the root's utils/.
  const cwd = process.cwd();
  const underCwd = !relative(cwd, path).startsWith('..');
  return {
    file: path,
    root: values.root === undefined ? undefined : resolve(values.root),
    extraPaths: [...(underCwd ? [cwd] : []), ...(values.path ?? []).map((p) => resolve(p))],
    environment: process.env.VIRTUAL_ENV || undefined,
  };
}
