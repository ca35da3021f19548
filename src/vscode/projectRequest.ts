// Where a document's imports are looked up, as the editor knows it: the workspace folder is the
// project root, lossLens.extraPaths adds folders (relative ones start at the root), and the Python
// extension's selected interpreter brings its environment's site-packages (read as source).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectRequest } from '../protocol';

interface PythonExtensionApi {
  environments?: { getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined };
}

/** The selected interpreter, when the Python extension is installed; never activates anything else. */
async function selectedInterpreter(resource: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  try {
    const api = extension ? (extension.isActive ? extension.exports : await extension.activate()) : undefined;
    const selected = api?.environments?.getActiveEnvironmentPath(resource)?.path;
    if (selected) return selected;
  } catch {
    // The Python extension failed or changed its API: fall back to the setting.
  }
  const configured = vscode.workspace.getConfiguration('python', resource).get<string>('defaultInterpreterPath');
  return configured && path.isAbsolute(configured) ? configured : undefined;
}

export async function projectRequest(document: vscode.TextDocument): Promise<ProjectRequest | undefined> {
  if (document.uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
  const extra = vscode.workspace.getConfiguration('lossLens', document.uri).get<string[]>('extraPaths', []);
  const extraPaths = extra
    .filter((p): p is string => typeof p === 'string' && p.length > 0)
    .map((p) => (path.isAbsolute(p) ? p : path.join(folder ?? path.dirname(document.uri.fsPath), p)));
  return {
    file: document.uri.fsPath,
    ...(folder ? { root: folder } : {}),
    extraPaths,
    environment: await selectedInterpreter(document.uri),
  };
}
