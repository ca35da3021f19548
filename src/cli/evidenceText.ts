// A finding's evidence as the text output shows it: numbers rounded for reading, as the findings'
// messages round them (4 significant digits; 3 in exponent notation); integers (counts, indices,
// class numbers) as they are. JSON and SARIF keep every digit.
import type { EvidenceValue } from '../engine';
import { formatNumber } from '../engine/findings/template';

export const humanNumber = (value: number) =>
  Number.isInteger(value) && Math.abs(value) < 1e15 ? String(value) : formatNumber(value);

export function evidenceValueText(value: EvidenceValue): string {
  if (typeof value === 'number') return humanNumber(value);
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'number' ? humanNumber(v) : v)).join(', ')}]`;
  return String(value);
}
