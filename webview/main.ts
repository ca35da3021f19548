// The report webview's script (bundled to dist/webview.js). It only renders what the extension
// posts; the message types come from the shared protocol module.
declare function acquireVsCodeApi(): { postMessage(message: unknown): void; setState(state: unknown): void; getState(): unknown };

const vscodeApi = acquireVsCodeApi();
window.addEventListener('message', (event: MessageEvent) => {
  const root = document.getElementById('root');
  if (root) root.textContent = JSON.stringify(event.data, null, 2);
  vscodeApi.setState(event.data);
});
