// The headless engine's public surface: used by the CLI, the worker, and the tests. Never imports vscode.
export { initBackend, backendFromEnvironment, type BackendName, type BackendPreference, BACKEND_PREFERENCES } from './backend';
export { LossProgram, type Evaluation, type EvaluationOptions, type LossInputs } from './program';
export { InterpreterError } from './python/errors';
export { DEFAULT_LIMITS, type Limits } from './python/limits';
export * from './contract';
export {
  CONTRACT_FIELDS, FLATTENED_LAYOUT_DISPLAY, choiceValues, contractField, contractFieldText, type ChoiceField,
  type ChoiceFieldKey, type ContractFieldKey, type ContractFieldSpec, type ContractFieldValue, type FieldChoice,
  type IntegerField,
} from './contractFields';
export {
  allowedSettingValues, contractFromSettings, expectedText, fieldFromText, type ContractSettings, type SettingProblem,
} from './contractInput';
export { evaluateFile, type EvalRequest, type EvalReport } from './evaluate';
export { diagnoseSource, diagnosableLosses, type DiagnoseOptions, type FileReport, type LossReport } from './diagnose/diagnose';
export { referencesFor, type LossProbe, type ProbeBudget, type ProbeSetting } from './diagnose/probe';
export type { LossPlots, ClassWeights } from './diagnose/plots';
export { RULES, RULE_IDS, type Rule, type RuleId, type Severity } from './diagnose/rules';
export type { Finding, CodeEdit } from './diagnose/findings';
export { discoverLosses, type DiscoveredLoss } from './diagnose/discover';
export * as referenceLosses from './probe/reference';
export { runProbe, PROBE_LEVELS, type ProbeOptions, type ProbeReport, type ProbeLevel } from './probe/probe';
export { makeDataset, datasetFor, DATASET_NAMES, type DatasetName, type ProbeDataset } from './probe/data';
export { initialWeights, instantiate, MODEL_KINDS, type ModelKind } from './probe/models';
export { train, type TrainOptions, type TrainResult } from './probe/train';
export { labelComponents, matchLesions, type Connectivity } from './probe/components';
export { detectFindings, probeFindingAt, referencesLearn, PROBE_FINDING_KINDS, type ProbeFinding, type ProbeFindingKind } from './probe/detect';
export { trainableConv2d } from './probe/conv';
export type { LossFn, NamedLoss, ProgressEvent, RunResult, MaskSnapshot, SnapshotSlice, Evaluation as ProbeEvaluation } from './probe/types';
