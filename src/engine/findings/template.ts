// Message templates: `{name}` placeholders filled from a finding's evidence, numbers rounded for
// reading.

/** Fills `{name}` placeholders from evidence values; unknown names stay as written. */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) return match;
    if (typeof value === 'number') return formatNumber(value);
    if (Array.isArray(value)) return `[${value.join(', ')}]`;
    return String(value);
  });
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
