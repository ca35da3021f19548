// lossLens.* settings, read per resource (folder-specific contract overrides) and turned into
// engine options at the edge. The contract settings are checked against the schema: a bad value is
// left out (the field is inferred) and listed in contractProblems for the user to hear about.
import * as vscode from 'vscode';
import type { BackendPreference, Contract, ProbeSetting, SettingProblem, Severity } from '../engine';
import { contractFromSettings } from '../engine/contractInput';

export interface LossLensSettings {
  backend: BackendPreference;
  runOnSave: boolean;
  probe: ProbeSetting;
  openReport: boolean;
  contract: Partial<Contract>;
  contractProblems: SettingProblem[];
  severity: Record<string, Severity | 'off'>;
}

export function readSettings(resource?: vscode.Uri): LossLensSettings {
  const config = vscode.workspace.getConfiguration('lossLens', resource);
  const { contract, problems } = contractFromSettings((setting) => config.get(setting.replace(/^lossLens\./, '')));
  return {
    backend: config.get<BackendPreference>('backend', 'auto'),
    runOnSave: config.get<boolean>('runOnSave', true),
    probe: config.get<ProbeSetting>('probe', 'quick'),
    openReport: config.get<boolean>('openReport', true),
    contract,
    contractProblems: problems,
    severity: config.get<Record<string, Severity | 'off'>>('severity', {}),
  };
}
