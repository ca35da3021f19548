// The webview's handle on VS Code: typed requests to the extension and the persisted panel state.
import type { ReportPanelState, WebviewRequest } from './types';

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
  getState(): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page: everything goes through this object. */
export interface PanelHost {
  post(request: WebviewRequest): void;
  saveState(state: ReportPanelState): void;
  restoreState(): ReportPanelState | undefined;
}

function isPanelState(value: unknown): value is ReportPanelState {
  if (!value || typeof value !== 'object') return false;
  const target = (value as { target?: unknown }).target;
  return !!target && typeof target === 'object' && typeof (target as { uri?: unknown }).uri === 'string';
}

export function connectHost(): PanelHost {
  const api = acquireVsCodeApi();
  return {
    post: (request) => api.postMessage(request),
    saveState: (state) => api.setState(state),
    restoreState: () => {
      const state = api.getState();
      return isPanelState(state) ? state : undefined;
    },
  };
}
