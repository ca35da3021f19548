// Contract fields as users give them, checked against the schema: flag text from the CLI and JSON
// values from the VS Code settings. No runtime imports beyond the schema: the extension host uses it.
import type { Contract } from './contract';
import { CONTRACT_FIELDS, type ContractFieldSpec } from './contractFields';

type FieldValue = string | number;

/** A flag's text as the field's value, or undefined when the field does not take it. */
export function fieldFromText(field: ContractFieldSpec, text: string): FieldValue | undefined {
  if (field.kind === 'integer') return /^[1-9]\d*$/.test(text) ? withinRange(field, Number(text)) : undefined;
  return field.values.find((choice) => String(choice.value) === text)?.value;
}

/** What a flag takes, for its usage error: "one of a, b", "2 or 3", "a positive integer up to 64". */
export function expectedText(field: ContractFieldSpec): string {
  if (field.kind === 'integer') {
    return field.min === 1 ? `a positive integer up to ${field.max}` : `an integer from ${field.min} to ${field.max}`;
  }
  const values = field.values.map((choice) => String(choice.value));
  if (typeof field.values[0].value === 'number') return `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
  return `one of ${values.join(', ')}`;
}

/** The values a setting takes, its auto sentinel first: '"auto", "keras", …', '0 (auto) or 1 to 64'. */
export function allowedSettingValues(field: ContractFieldSpec): string {
  if (field.kind === 'integer') return `${field.auto} (auto) or ${field.min} to ${field.max}`;
  const auto = field.auto === null ? 'null (auto)' : JSON.stringify(field.auto);
  return [auto, ...field.values.map((choice) => JSON.stringify(choice.value))].join(', ');
}

/** A bad setting value: left out of the contract (the field is inferred), and why. */
export interface SettingProblem {
  setting: string;
  value: unknown;
  message: string;
}

export interface ContractSettings {
  /** The fields the settings give; the others are left to inference. */
  contract: Partial<Contract>;
  problems: SettingProblem[];
}

/** The contract the settings give, each field checked against the schema; `read` returns a setting's value. */
export function contractFromSettings(read: (setting: string) => unknown): ContractSettings {
  const contract: Record<string, FieldValue> = {};
  const problems: SettingProblem[] = [];
  for (const field of CONTRACT_FIELDS) {
    const value = read(field.setting);
    if (value === undefined || value === field.auto) continue;
    const valid = settingValue(field, value);
    if (valid !== undefined) contract[field.key] = valid;
    else problems.push({ setting: field.setting, value, message: settingMessage(field, value) });
  }
  return { contract: contract as Partial<Contract>, problems };
}

function settingValue(field: ContractFieldSpec, value: unknown): FieldValue | undefined {
  if (field.kind === 'integer') return Number.isInteger(value) ? withinRange(field, value as number) : undefined;
  return field.values.find((choice) => choice.value === value)?.value;
}

const withinRange = (field: ContractFieldSpec & { kind: 'integer' }, value: number) =>
  value >= field.min && value <= field.max ? value : undefined;

const settingMessage = (field: ContractFieldSpec, value: unknown) =>
  `${field.setting} is ${JSON.stringify(value) ?? String(value)} (allowed: ${allowedSettingValues(field)}): ` +
  'ignored, the field is inferred.';

/** A contract handed to the engine that the schema does not allow (the worker protocol carries any JSON). */
export class ContractError extends Error {
  readonly kind = 'contract';
}

/** Contract fields the engine sets itself while searching; a caller may pass them as flags. */
const DERIVED_FLAGS = ['sparseChannel', 'flattened', 'floatLabels'];

const allowedValues = (field: ContractFieldSpec) =>
  field.kind === 'integer'
    ? `an integer from ${field.min} to ${field.max}`
    : field.values.map((choice) => JSON.stringify(choice.value)).join(', ');

/**
 * A contract as callers give it (CLI flags, settings, a worker message), checked field by field:
 * undefined leaves a field to inference; any other value outside the schema is a ContractError
 * naming the field and the values it takes, so a bad value never reaches the interpreter.
 */
export function checkedContract(given: unknown): Partial<Contract> {
  if (given === undefined || given === null) return {};
  if (typeof given !== 'object' || Array.isArray(given))
    throw new ContractError(`the contract must be an object of fields, got ${JSON.stringify(given)}`);
  const contract: Record<string, FieldValue | boolean> = {};
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const field = CONTRACT_FIELDS.find((f) => f.key === key);
    if (!field) {
      if (DERIVED_FLAGS.includes(key) && typeof value === 'boolean') {
        contract[key] = value;
        continue;
      }
      const known = CONTRACT_FIELDS.map((f) => f.key).join(', ');
      throw new ContractError(`contract field '${key}' does not exist (the fields: ${known})`);
    }
    const valid = settingValue(field, value);
    if (valid === undefined)
      throw new ContractError(
        `contract field ${key} is ${JSON.stringify(value) ?? String(value)}: allowed ${allowedValues(field)}`,
      );
    contract[key] = valid;
  }
  return contract as Partial<Contract>;
}
