// The target of a report panel restored after a reload, from the state the page saved. That state is
// stored data the page itself writes, so it is checked before the panel uses it: a file: URI of an
// existing document inside an open workspace folder, and an entry that is a short line of text.
// No vscode import: the workspace is asked through WorkspaceView (tests pass their own).
import type { ReportTarget } from '../protocol';

export interface WorkspaceView {
  /**
   * For a file: URI of an existing file inside an open workspace folder: its canonical URI string
   * and workspace-relative path; undefined for anything else.
   */
  document(uri: string): Promise<{ uri: string; file: string } | undefined>;
}

/** Longer entries are no expression a loss file names (`tversky(alpha=0.7)`). */
const MAX_ENTRY_LENGTH = 500;
const MAX_URI_LENGTH = 4096;
/** Control characters (line breaks included) never occur in an entry or a URI. */
const CONTROL = /\p{Cc}/u;

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max && !CONTROL.test(value);

/** The saved target when it names a document of the workspace, else undefined (the panel is closed). */
export async function restoredTarget(state: unknown, workspace: WorkspaceView): Promise<ReportTarget | undefined> {
  if (typeof state !== 'object' || state === null) return undefined;
  const target = (state as { target?: unknown }).target;
  if (typeof target !== 'object' || target === null) return undefined;
  const { uri, entry } = target as { uri?: unknown; entry?: unknown };
  if (!isText(uri, MAX_URI_LENGTH) || !isText(entry, MAX_ENTRY_LENGTH)) return undefined;
  if (!uri.startsWith('file:')) return undefined;
  const document = await workspace.document(uri).catch(() => undefined);
  // The display path comes from the workspace, never from the saved state.
  return document && { uri: document.uri, file: document.file, entry };
}
