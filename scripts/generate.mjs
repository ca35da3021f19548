// Writes the files generated from the engine's rules, or with --check only compares them:
//   docs/findings.md       every rule: severity, explanation, fix, an example of the bug and of the
//                          fix (each Problems-panel entry links to its rule's section)
//   README.md              the findings table, between <!-- generated:findings --> markers
//   package.json           the lossLens.severity setting: one property per rule; the
//                          lossLens.contract.* settings from the contract schema (contractSettings.mjs)
//   src/cli/rules.json     the rules as plain data for the CLI's SARIF output (the CLI's process
//                          never loads the engine, whose rules live with TF.js code)
// The rules and the schema come from the built engine (dist/engine.js): run `npm run build` first.
//
//   node scripts/generate.mjs          rewrites what is out of date
//   node scripts/generate.mjs --check  exits 1, naming what is out of date (a test runs it too)
//
// A section is a file and a function from its current text to its generated text.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withContractSettings } from './contractSettings.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { RULES, PROBE_FINDING_KINDS } = createRequire(import.meta.url)(join(root, 'dist', 'engine.js'));

const fromProbe = (rule) => PROBE_FINDING_KINDS.includes(rule.id);

/** A paragraph broken into lines of at most `width` characters (markdown joins them again). */
function wrap(text, width = 100) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

export function findingsDoc() {
  const lines = [
    '# Loss Lens findings',
    '',
    'Every kind of finding Loss Lens reports, with its default severity (change it per kind with the',
    '`lossLens.severity` setting), an example of the bug and the same code fixed. Each rule is defined',
    'next to the code that reports it (`src/engine/diagnose/checks/`, `src/engine/probe/detectors/`);',
    'this file is generated from them by `node scripts/generate.mjs`.',
    '',
  ];
  for (const rule of RULES) {
    const origin = fromProbe(rule) ? ' Reported by the training probe (`--probe`).' : '';
    lines.push(
      `## ${rule.id}`,
      '',
      wrap(`**${rule.title}** — default severity: ${rule.severity}.${origin}`),
      '',
      wrap(rule.explanation),
      '',
      wrap(`**Fix:** ${rule.fix}`),
      '',
      '**Example:**',
      '',
      '```python',
      rule.example.bug.trimEnd(),
      '```',
      '',
      '**Fixed:**',
      '',
      '```python',
      rule.example.fixed.trimEnd(),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

export function findingsTable() {
  const rows = RULES.map((rule) => {
    const by = fromProbe(rule) ? 'training probe' : 'static check';
    return `| \`${rule.id}\` | ${rule.severity} | ${by} | ${rule.title} |`;
  });
  return ['| id | severity | found by | what |', '|---|---|---|---|', ...rows].join('\n');
}

export function severitySetting() {
  return {
    type: 'object',
    default: {},
    scope: 'resource',
    markdownDescription:
      'Severity per finding kind, overriding the default (`off` hides the kind). ' +
      "Kinds are listed in the README's findings table.",
    properties: Object.fromEntries(
      RULES.map((rule) => [
        rule.id,
        {
          type: 'string',
          enum: ['error', 'warning', 'info', 'off'],
          markdownDescription: `${rule.title}. Default: \`${rule.severity}\`.`,
        },
      ]),
    ),
    additionalProperties: false,
  };
}

/** Every rule's texts, for the CLI (its SARIF rules): JSON, so the CLI bundles it without the engine. */
export function cliRules() {
  const rules = RULES.map((rule) => ({
    id: rule.id,
    severity: rule.severity,
    title: rule.title,
    explanation: rule.explanation,
    fix: rule.fix,
    example: rule.example,
    foundBy: fromProbe(rule) ? 'training probe' : 'static check',
  }));
  return `${JSON.stringify(rules, null, 2)}\n`;
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function replaceSection(text, name, body) {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`no ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** Sets extension settings (key → schema) in package.json's text, keeping every other byte. */
export function withSettings(text, settings) {
  const manifest = JSON.parse(text);
  Object.assign(manifest.contributes.configuration.properties, settings);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export const SECTIONS = [
  { file: 'docs/findings.md', update: () => findingsDoc() },
  { file: 'README.md', update: (text) => replaceSection(text, 'findings', findingsTable()) },
  { file: 'package.json', update: (text) => withSettings(text, { 'lossLens.severity': severitySetting() }) },
  { file: 'package.json', update: withContractSettings },
  { file: 'src/cli/rules.json', update: () => cliRules() },
];

/** Each file's current and generated text (sections of one file apply in order). */
export function generatedFiles() {
  const files = new Map();
  for (const { file, update } of SECTIONS) {
    const entry = files.get(file) ?? { current: readFileSync(join(root, file), 'utf8') };
    entry.generated = update(entry.generated ?? entry.current);
    files.set(file, entry);
  }
  return files;
}

/** The files whose text differs from what the rules generate. */
export function outdatedFiles() {
  const outdated = [...generatedFiles()].filter(([, { current, generated }]) => current !== generated);
  return outdated.map(([file]) => file);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const outdated = outdatedFiles();
    if (outdated.length) {
      console.error(`out of date: ${outdated.join(', ')} (run node scripts/generate.mjs)`);
      process.exit(1);
    }
  } else {
    for (const [file, { current, generated }] of generatedFiles()) {
      if (current !== generated) writeFileSync(join(root, file), generated);
    }
  }
}
