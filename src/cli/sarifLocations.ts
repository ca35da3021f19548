// SARIF locations: files relative to the working folder (%SRCROOT%, the repository root in CI), so
// code scanning maps them to the repository; a file outside it gets its absolute file: URI.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SRCROOT = '%SRCROOT%';

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** SARIF regions count 1-based lines and columns; endColumn is the column after the region, as the engine's. */
export interface Region {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface PhysicalLocation {
  artifactLocation: ArtifactLocation;
  region?: Region;
}

/** `path` (absolute, or relative to the working folder) as an artifact location under `base`. */
export function artifactLocation(path: string, base: string): ArtifactLocation {
  const absolute = resolve(path);
  const inside = relative(base, absolute);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return { uri: pathToFileURL(absolute).href };
  return { uri: inside.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The base's own URI, for the run's originalUriBaseIds (a folder URI ends with a slash). */
export const baseUri = (base: string) => pathToFileURL(base.endsWith(sep) ? base : `${base}${sep}`).href;

/** A place as the engine reports it: 1-based lines and columns, endColumn after the last character. */
export interface Span {
  line: number;
  endLine?: number;
  column?: number;
  endColumn?: number;
}

/** A region from the engine's 1-based lines and columns; columns only when both ends are known. */
export function region(span: Span): Region {
  const columns = span.column !== undefined && span.column >= 1 && span.endColumn !== undefined;
  return {
    startLine: span.line,
    ...(columns ? { startColumn: span.column } : {}),
    endLine: span.endLine ?? span.line,
    ...(columns ? { endColumn: span.endColumn } : {}),
  };
}

export const physicalLocation = (path: string, base: string, span?: Span): PhysicalLocation => ({
  artifactLocation: artifactLocation(path, base),
  ...(span && span.line >= 1 ? { region: region(span) } : {}),
});
