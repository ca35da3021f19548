// The SARIF rules (reportingDescriptors) of the CLI's driver: the engine's rules, from the plain-data
// copy scripts/generate.mjs writes (src/cli/rules.json), and `not-analysed` for a loss or a file the
// engine could not analyse, so that CI annotates it rather than passing over it.
import type { Severity } from '../engine/findings/rule';
import RULES from './rules.json';

export type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export const NOT_ANALYSED = 'not-analysed';

export interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[] };
}

/** `non-differentiable` → `NonDifferentiable`: SARIF's rule name is an identifier, the id stays the key. */
const ruleName = (id: string) => id.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

const python = (code: string) => ['```python', code.trimEnd(), '```'].join('\n');

type RuleData = (typeof RULES)[number];

function descriptor(rule: RuleData, docs: string | undefined): ReportingDescriptor {
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.explanation },
    help: {
      text: rule.fix,
      markdown: [
        `**Fix:** ${rule.fix}`,
        '',
        'Example:',
        '',
        python(rule.example.bug),
        '',
        'Fixed:',
        '',
        python(rule.example.fixed),
      ].join('\n'),
    },
    ...(docs ? { helpUri: `${docs}#${rule.id}` } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity as Severity] },
    properties: { tags: ['correctness', rule.foundBy] },
  };
}

const NOT_ANALYSED_RULE: ReportingDescriptor = {
  id: NOT_ANALYSED,
  name: 'NotAnalysed',
  shortDescription: { text: 'Loss Lens could not analyse this loss or file' },
  fullDescription: {
    text:
      'The file could not be read or is not valid Python 3, or one of its losses could not be evaluated ' +
      '(an error the loss raised, an operation the interpreter lacks, a limit). Nothing is known about ' +
      "its bugs: the run exits with 2. The result's message gives the error and its line.",
  },
  help: {
    text: 'Fix the error the message names, or give the loss its contract (--framework, --classes, ...).',
    markdown: 'Fix the error the message names, or give the loss its contract (`--framework`, `--classes`, ...).',
  },
  defaultConfiguration: { level: 'error' },
  properties: { tags: ['analysis'] },
};

/** The driver's rules: the engine's, in the docs' order, then not-analysed. `docs`: the findings page, if public. */
export const sarifRules = (docs?: string): ReportingDescriptor[] => [
  ...RULES.map((rule) => descriptor(rule, docs)),
  NOT_ANALYSED_RULE,
];
