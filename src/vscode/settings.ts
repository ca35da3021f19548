// lossLens.* settings, read per resource (folder-specific contract overrides) and turned into
// engine options at the edge.
import * as vscode from 'vscode';
import type { BackendPreference, Contract, ProbeSetting, Severity } from '../engine';

export interface LossLensSettings {
  backend: BackendPreference;
  runOnSave: boolean;
  probe: ProbeSetting;
  openReport: boolean;
  contract: Partial<Contract>;
  severity: Record<string, Severity | 'off'>;
}

export function readSettings(resource?: vscode.Uri): LossLensSettings {
  const config = vscode.workspace.getConfiguration('lossLens', resource);
  const pick = <T>(key: string): T | undefined => {
    const value = config.get<T | 'auto'>(key);
    return value === 'auto' || value === null || value === '' ? undefined : (value as T);
  };
  const contract: Partial<Contract> = {
    framework: pick('contract.framework'),
    layout: pick('contract.layout'),
    labels: pick('contract.labels'),
    prediction: pick('contract.prediction'),
    classes: pick<number>('contract.classes') || undefined,
    argOrder: pick('contract.argOrder'),
    spatialDims: pick('contract.spatialDims'),
  };
  return {
    backend: config.get<BackendPreference>('backend', 'auto'),
    runOnSave: config.get<boolean>('runOnSave', true),
    probe: config.get<ProbeSetting>('probe', 'quick'),
    openReport: config.get<boolean>('openReport', true),
    contract: Object.fromEntries(Object.entries(contract).filter(([, v]) => v !== undefined)) as Partial<Contract>,
    severity: config.get<Record<string, Severity | 'off'>>('severity', {}),
  };
}
