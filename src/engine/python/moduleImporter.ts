// How the interpreter reaches the project's own modules (its packages, sibling files, extra paths,
// an environment's site-packages): the program supplies an importer; the interpreter asks it for
// every import the framework tables do not provide.
import type { SourceRange } from './ast';
import type { PyModule } from './values';

export interface ModuleImporter {
  /** The module with this absolute dotted name, loaded on demand; undefined when nothing provides it. */
  find(name: string, importedAt: SourceRange): PyModule | undefined;
}
