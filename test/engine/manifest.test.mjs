// The extension's manifest and the README agree: every setting and command is described in both,
// and the activation events cover what the extension registers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.mjs';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const inVsCode = readme.slice(
  readme.indexOf('## In VS Code'),
  readme.indexOf('\n## ', readme.indexOf('## In VS Code') + 1),
);
const settings = manifest.contributes.configuration.properties;

test('every setting has a description and a default, and the README names it', () => {
  assert.ok(inVsCode.length > 100, 'the README has an "In VS Code" section');
  for (const [key, setting] of Object.entries(settings)) {
    assert.ok((setting.description ?? setting.markdownDescription ?? '').length > 20, `${key} is described`);
    assert.ok('default' in setting, `${key} has a default`);
    assert.ok(
      inVsCode.includes(`\`${key.replace(/^lossLens\./, '')}\``),
      `the README's "In VS Code" section names ${key}`,
    );
    if (setting.enum && setting.default !== null)
      assert.ok(setting.enum.includes(setting.default), `${key}'s default is one of its values`);
  }
});

test('every command is in the README and activates the extension', () => {
  for (const { command, title } of manifest.contributes.commands) {
    assert.ok(inVsCode.includes(title), `the README names "${title}" (${command})`);
  }
  assert.ok(manifest.activationEvents.includes('onLanguage:python'));
  assert.ok(
    manifest.activationEvents.includes('onWebviewPanel:lossLens.report'),
    'report panels are restored after a reload',
  );
});
