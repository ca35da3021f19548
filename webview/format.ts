// Number and text formatting shared by the panel's sections.

export const plural = (count: number, word: string, many = `${word}s`): string =>
  `${count} ${count === 1 ? word : many}`;

/** A compact, readable number: 0.8309, 1.2e-5, 196,608. */
export function num(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1e7) return value.toLocaleString('en-US');
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(digits)));
}

export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value !== 0 && Math.abs(value) < 0.001) return `${(value * 100).toExponential(1)}%`;
  return `${(value * 100).toFixed(digits)}%`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** What the engine's null means in evidence: a value that is not a finite number, or none at all. */
export const NULL_EVIDENCE = 'not a finite number (NaN/Inf), or nothing to measure';

/** One item of an evidence list. */
const evidenceItem = (v: number | string | null) => (typeof v === 'number' ? num(v) : v === null ? '—' : v);

/** An evidence value as the report shows it (null: see NULL_EVIDENCE). */
export function evidenceValue(value: number | string | boolean | null | number[] | string[]): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return `[${(value as (number | string | null)[]).map(evidenceItem).join(', ')}]`;
  if (typeof value === 'number') return num(value);
  return String(value);
}

/** camelCase evidence keys as words: lossAbsent → loss absent. */
export const words = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
