// The headless engine's public surface: used by the CLI, the worker, and the tests. Never imports vscode.
export { initBackend, backendFromEnvironment, type BackendName, type BackendPreference, BACKEND_PREFERENCES } from './backend';
export { LossProgram, type Evaluation, type EvaluationOptions, type LossInputs } from './program';
export { InterpreterError } from './python/errors';
export { DEFAULT_LIMITS, type Limits } from './python/limits';
export * from './contract';
export { evaluateFile, type EvalRequest, type EvalReport } from './evaluate';
export { diagnoseSource, type DiagnoseOptions, type FileReport, type LossReport } from './diagnose/diagnose';
export { RULES, RULE_IDS, type Rule, type RuleId, type Severity } from './diagnose/rules';
export type { Finding } from './diagnose/findings';
