// Writes docs/findings.md, the documentation each Problems-panel entry links to, from the rules
// table (src/engine/diagnose/rules.ts). `--check` exits 1 when the file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { RULES } = createRequire(import.meta.url)(join(root, 'dist', 'engine.js'));

export function findingsDoc() {
  const lines = [
    '# Loss Lens findings',
    '',
    'Every kind of finding Loss Lens reports, with its default severity (change it per kind with the',
    '`lossLens.severity` setting). Generated from `src/engine/diagnose/rules.ts` by `node scripts/findings-doc.mjs`.',
    '',
  ];
  for (const rule of RULES) {
    lines.push(`## ${rule.id}`, '', `**${rule.title}** — default severity: ${rule.severity}.`, '', rule.explanation, '', `**Fix:** ${rule.fix}`, '');
  }
  return lines.join('\n');
}

const target = join(root, 'docs', 'findings.md');
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== findingsDoc()) {
      console.error('docs/findings.md is out of date: run node scripts/findings-doc.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(target, findingsDoc());
  }
}
