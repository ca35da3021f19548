// The headless engine's public surface: used by the CLI, the worker, and the tests. Never imports vscode.
import type { RuleId } from './diagnose/rules';
import type { Finding as FindingOf } from './findings/finding';

export { initBackend } from './backend';
export { backendFromEnvironment, type BackendName, type BackendPreference, BACKEND_PREFERENCES } from './backendChoice';
export { fileSystemHost, MAX_SOURCE_BYTES, type SourceHost } from './project/sourceHost';
export { readSourceFile } from './project/sourceFile';
export { FileReadError, ioReason, notRegularFile, readRegularFile } from './project/regularFile';
export { decodePythonSource } from './project/sourceEncoding';
export { projectLayout, defaultRoot, type ProjectLayout, type ProjectOptions } from './project/projectPaths';
export { LossProgram, type ProjectContext, type Evaluation, type EvaluationOptions, type LossInputs } from './program';
export { InterpreterError } from './python/errors';
export { DEFAULT_LIMITS, type Limits } from './python/limits';
export { seededRandom } from './random';
export * from './contract';
export {
  CONTRACT_FIELDS,
  CHANNELLESS_LAYOUT_DISPLAY,
  FLATTENED_LAYOUT_DISPLAY,
  choiceValues,
  contractField,
  contractFieldText,
  type ChoiceField,
  type ChoiceFieldKey,
  type ContractFieldKey,
  type ContractFieldSpec,
  type ContractFieldValue,
  type FieldChoice,
  type IntegerField,
} from './contractFields';
export {
  ContractError,
  allowedSettingValues,
  checkedContract,
  contractFromSettings,
  expectedText,
  fieldFromText,
  type ContractSettings,
  type SettingProblem,
} from './contractInput';
export { evaluateFile, type EvalRequest, type EvalReport } from './evaluate';
export {
  InputError,
  MAX_INPUT_ELEMENTS,
  MAX_INPUT_RANK,
  checkInputShapes,
  tensorFromNested,
  tensorFromValues,
  type FlatTensor,
  type InputDtype,
} from './inputTensors';
export { MAX_NPY_BYTES, parseNpy, type NpyArray } from './npyArray';
export {
  diagnoseSource,
  diagnosableLosses,
  type DiagnoseOptions,
  type FileNote,
  type FileReport,
  type LossReport,
  type LossSummary,
} from './diagnose/diagnose';
export type { LossProbe, ProbeBudget, ProbeSetting } from './diagnose/probeLoss';
export type { LossPlots, ClassWeights, GradientCheck } from './diagnose/plots';
export { RULES, RULE_IDS, type RuleId } from './diagnose/rules';
export type { Rule, RuleExample, Severity } from './findings/rule';
export { placeFinding, type CodeEdit, type EvidenceValue, type UnplacedFinding } from './findings/finding';
/** A finding of one of the engine's rules: what reports carry. */
export type Finding = FindingOf<RuleId>;
export { discoverLosses, type DiscoveredLoss } from './diagnose/discover';
export * as referenceLosses from './probe/reference';
export { referencesFor } from './probe/references';
export { runProbe, type ProbeOptions, type ProbeReport } from './probe/runProbe';
export { PROBE_LEVELS, type ProbeLevel } from './probe/levels';
export { makeDataset, datasetFor, DATASET_NAMES, type DatasetName, type ProbeDataset } from './probe/data';
export { initialWeights, instantiate, MODEL_KINDS, type ModelKind } from './probe/models';
export { train, type TrainOptions, type TrainResult } from './probe/train';
export { labelComponents, matchLesions, type Connectivity } from './probe/components';
export { detectFindings, PROBE_FINDING_KINDS, PROBE_RULES, type ProbeFindingKind } from './probe/detect';
export { referencesLearn } from './probe/detectors/curves';
export { trainableConv2d } from './probe/conv';
export type {
  LossFn,
  NamedLoss,
  ProgressEvent,
  RunResult,
  MaskSnapshot,
  SnapshotSlice,
  ModelMetrics,
  GradientHealth,
  RunRole,
  RunStatus,
} from './probe/types';
