// Quick fixes: the code edits the engine attached to findings (unwrap a second activation or a
// gradient stop, swap parameters, smooth a division, set the softmax axis, complement a return).
import * as vscode from 'vscode';
import { findingOf } from './diagnostics';

export class LossLensQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const finding = findingOf(document.uri, diagnostic);
      const edit = finding?.fix.edit;
      if (!finding || !edit) continue;
      const action = new vscode.CodeAction(`Loss Lens: ${titleFor(finding.kind)}`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(
        document.uri,
        new vscode.Range(edit.line - 1, edit.column - 1, edit.endLine - 1, edit.endColumn - 1),
        edit.newText,
      );
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}

function titleFor(kind: string): string {
  switch (kind) {
    case 'double-activation':
      return 'remove the second activation';
    case 'non-differentiable':
      return 'remove the op that cuts the gradient';
    case 'argument-order':
      return 'swap the parameters';
    case 'nan-on-empty':
      return 'add a smoothing term';
    case 'activation-mismatch':
      return 'softmax over the class axis';
    case 'sign-error':
      return 'return 1 - value';
    default:
      return 'apply the fix';
  }
}
