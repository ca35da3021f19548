// package.json's lossLens.contract.* settings, from the contract schema (src/engine/contractFields.ts,
// read from the built dist/engine.js). One of the sections scripts/generate.mjs writes.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { CONTRACT_FIELDS } = createRequire(import.meta.url)(join(root, 'dist', 'engine.js'));

const SENTINEL_NAMES = new Map([
  ['auto', '`auto`'],
  [0, '`0`'],
  [null, 'empty'],
]);

function setting(field) {
  const inferred = `${SENTINEL_NAMES.get(field.auto)} infers it ${field.inferredFrom}`;
  const description = { scope: 'resource', markdownDescription: `${field.description}; ${inferred}.` };
  if (field.kind === 'integer') {
    // The sentinel (0) is the least value the setting takes.
    return { type: 'integer', minimum: field.auto, maximum: field.max, default: field.auto, ...description };
  }
  const numeric = typeof field.values[0].value === 'number';
  return {
    type: numeric ? ['integer', 'null'] : 'string',
    enum: [field.auto, ...field.values.map((choice) => choice.value)],
    markdownEnumDescriptions: [`Infer it ${field.inferredFrom}.`, ...field.values.map((choice) => choice.description)],
    default: field.auto,
    ...description,
  };
}

/** The lossLens.contract.* settings, by key, in the schema's order. */
export function contractSettings() {
  return Object.fromEntries(CONTRACT_FIELDS.map((field) => [field.setting, setting(field)]));
}

/**
 * package.json's text with its contract settings replaced by the generated ones, where the first of
 * them was (the other settings keep their places).
 */
export function withContractSettings(manifestText) {
  const manifest = JSON.parse(manifestText);
  const generated = Object.entries(contractSettings());
  const properties = [];
  for (const entry of Object.entries(manifest.contributes.configuration.properties)) {
    if (!entry[0].startsWith('lossLens.contract.')) properties.push(entry);
    else if (generated.length) properties.push(...generated.splice(0));
  }
  manifest.contributes.configuration.properties = Object.fromEntries([...properties, ...generated]);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
