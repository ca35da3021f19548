// The browser side: Debian's Chromium driven by playwright-core, and small helpers for the VS Code
// 1.100 workbench (selectors checked against code-server 4.100.3).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, REPO } from './paths.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Headless without a sandbox (root, containers), no GPU, and nothing that phones home.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/**
 * The workbench URL for `folder`, with the repository loaded as the extension under development.
 * code-server refuses --extensionDevelopmentPath on its command line, but the web workbench takes
 * the same options from its `payload` query parameter, as vscode-remote URIs on the server.
 * @param {{ url: string, authority: string }} server
 * @param {string} folder
 * @param {{ testsPath?: string, development?: boolean }} [options]  testsPath: run that suite in the
 *   extension host; development: false loads no extension under development (only installed ones)
 */
export function workbenchUrl(server, folder, { testsPath, development = true } = {}) {
  const remote = (path) => `vscode-remote://${server.authority}${path}`;
  const payload = development ? [['extensionDevelopmentPath', remote(REPO)]] : [];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  const folderUrl = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  return payload.length ? `${folderUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}` : folderUrl;
}

export const sel = {
  workbench: '.monaco-workbench',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget input.input',
  quickRow: '.quick-input-list .monaco-list-row',
  activeTab: '.tabs-container .tab.active',
  editorLines: '.editor-group-container .monaco-editor .view-lines',
  outputLines: '.part.panel .output-view .monaco-editor .view-lines',
  toast: '.notifications-toasts .notification-toast',
  // A toast slides in: it carries this class once its transition has ended (safe to screenshot).
  toastShown: '.notifications-toasts .notification-toast.notification-fade-in-done',
  codeLens: '.monaco-editor .codelens-decoration a',
  problemsStatus: '[id="status.problems"]',
};

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its tab. */
export async function quickOpen(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator(sel.quickInput);
  await input.waitFor();
  await input.fill(name);
  await page.locator(sel.quickRow, { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(sel.activeTab, { hasText: name }).waitFor();
}

/** Runs a command by its palette label ("Loss Lens: Diagnose Loss") through Quick Open's `>` mode. */
export async function runFromPalette(page, query, label) {
  await page.keyboard.press('Control+P');
  const input = page.locator(sel.quickInput);
  await input.waitFor();
  await input.fill(`>${query}`);
  await page.locator(sel.quickRow, { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Text of the notification toasts on screen, with their severity. */
export async function toasts(page) {
  const out = [];
  for (const toast of await page.locator(sel.toast).all()) {
    // A toast can close between listing and reading (an earlier test's finished probe): skip it.
    const text = await toast
      .locator('.notification-list-item-message')
      .innerText({ timeout: 2000 })
      .catch(() => null);
    if (text === null) continue;
    const severity = (await toast.locator('.codicon-error').count())
      ? 'error'
      : (await toast.locator('.codicon-warning').count())
        ? 'warning'
        : 'info';
    out.push({ severity, text: text.trim() });
  }
  return out;
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
