// The contract's CLI flags, from the schema: the options parseArgs takes, their values checked into
// a contract, and the fields each command takes.
import type { Contract } from '../engine';
import { CONTRACT_FIELDS, type ContractFieldKey, type ContractFieldSpec } from '../engine/contractFields';
import { expectedText, fieldFromText } from '../engine/contractInput';
import { UsageError } from './usageError';

export const DIAGNOSE_CONTRACT_FIELDS: readonly ContractFieldSpec[] = CONTRACT_FIELDS;

// eval calls the loss on the tensors it is given: it uses the framework and the argument order, and
// checks the shape fields (the tensors fix those); it never took --spatial-dims.
const EVAL_FIELD_KEYS: readonly ContractFieldKey[] = [
  'framework',
  'argOrder',
  'layout',
  'labels',
  'prediction',
  'classes',
];
export const EVAL_CONTRACT_FIELDS: readonly ContractFieldSpec[] = CONTRACT_FIELDS.filter((field) =>
  EVAL_FIELD_KEYS.includes(field.key),
);

/** The fields' flags as parseArgs options (each takes a string, checked by contractFromFlags). */
export const contractOptions = (fields: readonly ContractFieldSpec[]) =>
  Object.fromEntries(fields.map((field) => [field.flag, { type: 'string' as const }]));

/** The fields the flags give; a value the schema does not allow is a usage error. */
export function contractFromFlags(
  values: Record<string, unknown>,
  fields: readonly ContractFieldSpec[],
): Partial<Contract> {
  const contract: Record<string, string | number> = {};
  for (const field of fields) {
    const text = values[field.flag];
    if (typeof text !== 'string') continue;
    const value = fieldFromText(field, text);
    if (value === undefined) throw new UsageError(`--${field.flag} must be ${expectedText(field)} (got '${text}')`);
    contract[field.key] = value;
  }
  return contract as Partial<Contract>;
}
