// Where another project file a report names is (a helper's module, a training script's call site),
// and how the CLI shows it. The engine names some places by absolute path and others relative to
// the project root (call sites in project files), so a relative one is resolved against the root the
// engine used: --root, else the nearest folder above the file that is not a package.
import { isAbsolute, relative, resolve } from 'node:path';
import { projectLayout } from '../engine/project/projectPaths';
import { fileSystemHost } from '../engine/project/sourceHost';

/** The absolute path of `place` (a report's `file` field) for a report of `diagnosed`. */
export function projectFilePath(place: string, diagnosed: string, root: string | undefined): string {
  if (isAbsolute(place)) return place;
  const file = resolve(diagnosed);
  return resolve(root === undefined ? projectLayout(fileSystemHost, file).root : resolve(root), place);
}

/**
 * A path as the user would write it: relative to the working folder when they gave PATH relative
 * (`../x.py` when it is above), absolute when they gave it absolute.
 */
export const shownPath = (absolute: string, givenAbsolute: boolean) =>
  givenAbsolute ? absolute : relative(process.cwd(), absolute) || absolute;
