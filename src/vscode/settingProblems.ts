// Tells the user about a bad contract setting once per distinct value (not at every save): a line in
// the output channel and a warning that opens the setting.
import * as vscode from 'vscode';
import type { SettingProblem } from '../engine';

export class SettingProblemReporter {
  private readonly reported = new Set<string>();

  constructor(private readonly log: (line: string) => void) {}

  report(problems: readonly SettingProblem[]): void {
    for (const problem of problems) {
      const id = `${problem.setting}=${JSON.stringify(problem.value)}`;
      if (this.reported.has(id)) continue;
      this.reported.add(id);
      this.log(problem.message);
      void vscode.window.showWarningMessage(`Loss Lens: ${problem.message}`, 'Open Setting').then((action) => {
        if (action) void vscode.commands.executeCommand('workbench.action.openSettings', problem.setting);
      });
    }
  }
}
