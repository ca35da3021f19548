// What stdout holds: --format, with --json kept as the short form of --format json.
import type { OutputFormat } from './flags';
import { UsageError } from './usageError';

export function outputFormat(values: { format?: unknown; json?: unknown }): OutputFormat {
  const format = values.format as OutputFormat | undefined;
  if (values.json === true && format !== undefined && format !== 'json')
    throw new UsageError(`--json is --format json: it cannot go with --format ${format}`);
  return values.json === true ? 'json' : (format ?? 'text');
}
