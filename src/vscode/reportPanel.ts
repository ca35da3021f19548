// One report panel per loss: a webview that shows the loss's latest report and its probe training
// live. Panels are keyed by document and entry, survive being hidden (live curves keep arriving),
// and are restored after a reload by the serializer from the state the page keeps.
import * as vscode from 'vscode';
import type { LossReport } from '../engine';
import type { ReportPanelState, ReportTarget, WebviewMessage, WebviewRequest } from '../protocol';
import { reportHtml, reportResourceRoots } from './reportHtml';
import { type WorkspaceView, restoredTarget } from './restoredTarget';

export const REPORT_VIEW_TYPE = 'lossLens.report';

type ReportMessage = Extract<WebviewMessage, { type: 'report' }>;

export class ReportPanel {
  private ready = false;
  private readonly queued: WebviewMessage[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;
  /** The running probe's cancellation, if any. */
  probe?: vscode.CancellationTokenSource;
  /** The last report posted (a reload restores it from the page's own state instead). */
  lastReport?: ReportMessage;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly target: ReportTarget,
    extensionUri: vscode.Uri,
    onRequest: (panel: ReportPanel, request: WebviewRequest) => void,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: reportResourceRoots(extensionUri) };
    panel.webview.html = reportHtml(panel.webview, extensionUri, target.entry);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((request: WebviewRequest) => {
        if (request.type === 'ready') this.flush();
        else onRequest(this, request);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Messages wait until the page says it is ready (scripts loaded, listener attached). */
  post(message: WebviewMessage): void {
    if (message.type === 'report') this.lastReport = message;
    if (!this.ready) {
      this.queued.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private flush(): void {
    this.ready = true;
    for (const message of this.queued.splice(0)) void this.panel.webview.postMessage(message);
  }

  cancelProbe(): void {
    this.probe?.cancel();
  }

  dispose(): void {
    this.cancelProbe();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.closed.fire();
    this.closed.dispose();
  }
}

/** Documents as restored panels may name them: existing files inside an open workspace folder. */
const WORKSPACE_DOCUMENTS: WorkspaceView = {
  async document(text) {
    const uri = vscode.Uri.parse(text, true);
    if (uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) return undefined;
    const info = await vscode.workspace.fs.stat(uri);
    if (!(info.type & vscode.FileType.File)) return undefined;
    return { uri: uri.toString(), file: vscode.workspace.asRelativePath(uri) };
  },
};

export const panelKey = (target: Pick<ReportTarget, 'uri' | 'entry'>) => `${target.uri}#${target.entry}`;

export class ReportPanels implements vscode.WebviewPanelSerializer<ReportPanelState> {
  private readonly panels = new Map<string, ReportPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onRequest: (panel: ReportPanel, request: WebviewRequest) => void,
  ) {}

  get(target: Pick<ReportTarget, 'uri' | 'entry'>): ReportPanel | undefined {
    return this.panels.get(panelKey(target));
  }

  forDocument(uri: vscode.Uri): ReportPanel[] {
    return [...this.panels.values()].filter((p) => p.target.uri === uri.toString());
  }

  all(): ReportPanel[] {
    return [...this.panels.values()];
  }

  /** The loss's panel, revealed beside the editor (created when it does not exist yet). */
  show(target: ReportTarget, preserveFocus: boolean): ReportPanel {
    const existing = this.get(target);
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      REPORT_VIEW_TYPE,
      `Loss Lens: ${target.entry}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      {
        enableScripts: true,
        // Live curves keep arriving while the panel is in a background tab.
        retainContextWhenHidden: true,
        localResourceRoots: reportResourceRoots(this.extensionUri),
      },
    );
    return this.adopt(panel, target);
  }

  /**
   * After a reload: the page restores itself from its state; the panel gets its target back when
   * the state names a document of the workspace (the state is the page's data, checked as such).
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ReportPanelState | undefined): Promise<void> {
    const target = await restoredTarget(state, WORKSPACE_DOCUMENTS);
    if (!target) {
      panel.dispose(); // nothing to show: an older version's panel, never rendered, or not a workspace file
      return;
    }
    const restored = this.adopt(panel, target);
    restored.post({
      type: 'status',
      message: 'Restored from the previous window: diagnose again to refresh.',
      busy: false,
    });
  }

  private adopt(panel: vscode.WebviewPanel, target: ReportTarget): ReportPanel {
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    const report = new ReportPanel(panel, target, this.extensionUri, this.onRequest);
    const key = panelKey(target);
    this.panels.get(key)?.panel.dispose();
    this.panels.set(key, report);
    report.onDidClose(() => {
      if (this.panels.get(key) === report) this.panels.delete(key);
    });
    return report;
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.panel.dispose();
    this.panels.clear();
  }
}

/** The report message for a loss as the results store holds it. */
export function reportMessage(
  target: ReportTarget,
  backend: string,
  loss: LossReport,
  stale: boolean,
  probeLevel: ReportMessage['probeLevel'],
): ReportMessage {
  return { type: 'report', target, backend, loss, stale, probeLevel };
}
