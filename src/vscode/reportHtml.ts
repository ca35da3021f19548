// The report webview's page: local scripts only, each carrying this page's nonce; Plotly injects
// <style> tags, hence 'unsafe-inline' for styles (never for scripts); heatmaps are data: images.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Folders the page may load from: the bundles (dist/) and the stylesheet (media/). */
export const reportResourceRoots = (extensionUri: vscode.Uri): vscode.Uri[] => [
  vscode.Uri.joinPath(extensionUri, 'dist'),
  vscode.Uri.joinPath(extensionUri, 'media'),
];

export function reportHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const dist = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist'));
  const media = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media}/report.css">
<title>Loss Lens: ${escapeHtml(title)}</title></head>
<body><div id="root"></div>
<script nonce="${nonce}" src="${dist}/plotly.min.js"></script>
<script nonce="${nonce}" src="${dist}/webview.js"></script></body></html>`;
}
