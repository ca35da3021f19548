// Contract fields as users give them, checked against the schema: flag text from the CLI.
import type { ContractFieldSpec } from './contractFields';

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

const withinRange = (field: ContractFieldSpec & { kind: 'integer' }, value: number) =>
  value >= field.min && value <= field.max ? value : undefined;

