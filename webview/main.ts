// The report webview's script (bundled to dist/webview.js; Plotly is loaded before it as a global).
// It renders what the extension posts and asks for actions; the message types are the shared
// protocol's. On start: render the state a reload kept, then say 'ready'.
import {
  applyProbeEnded,
  applyProbeProgress,
  applyProbeStarted,
  applyReport,
  applyStatus,
  initialModel,
} from './state';
import { onThemeChange } from './theme';
import type { WebviewMessage } from './types';
import { createView } from './view';
import { connectHost } from './vscodeApi';

const host = connectHost();
const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
const model = initialModel();
const view = createView(root, (request) => host.post(request));

function handle(message: WebviewMessage): void {
  switch (message.type) {
    case 'report':
      applyReport(model, message);
      host.saveState({ target: message.target, report: message });
      view.renderAll(model);
      break;
    case 'probe-started':
      applyProbeStarted(model, message.level);
      view.renderProbe(model, { extend: false, snapshots: true });
      break;
    case 'probe-progress': {
      const appended = applyProbeProgress(model, message.event);
      view.renderProbe(model, { extend: !appended.restructured, snapshots: appended.runs.some((r) => r.snapshot) });
      break;
    }
    case 'probe-ended':
      applyProbeEnded(model, message.state, message.message);
      view.renderProbe(model, { extend: false, snapshots: true });
      break;
    case 'status':
      applyStatus(model, message.message, message.busy);
      view.renderStatus(model);
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data as WebviewMessage | undefined;
  if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
  try {
    handle(message);
  } catch (error) {
    // A malformed message must not take the panel down: keep what is on screen.
    console.error('Loss Lens: could not render a message', message.type, error);
  }
});

onThemeChange(() => view.retheme(model));

const restored = host.restoreState();
if (restored?.report) {
  try {
    applyReport(model, restored.report);
  } catch (error) {
    console.error('Loss Lens: could not restore the panel', error);
  }
}
view.renderAll(model);
host.post({ type: 'ready' });
