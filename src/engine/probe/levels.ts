// The training probe's levels: plain data, so the hosts read them without loading TF.js.
export type ProbeLevel = 'quick' | 'full';
export const PROBE_LEVELS: readonly ProbeLevel[] = ['quick', 'full'];
