// The toolbar (run a quick or full probe, cancel it, diagnose again) and the status line: what the
// extension says it is doing, and where a running probe is.
import { fill, h, icon } from './dom';
import type { PanelModel } from './state';
import type { WebviewRequest } from './types';

export interface Controls {
  element: HTMLElement;
  update(model: PanelModel): void;
}

export function createControls(post: (request: WebviewRequest) => void): Controls {
  const button = (id: string, label: string, title: string, request: WebviewRequest, secondary = false) => {
    const b = h(
      'button',
      { type: 'button', id, class: secondary ? 'button secondary' : 'button', 'data-testid': id, title },
      label,
    );
    b.addEventListener('click', () => {
      if (!b.disabled) post(request);
    });
    return b;
  };
  const quick = button(
    'run-quick-probe',
    'Run quick probe',
    'Train the loss next to the three cheapest reference losses on synthetic data (seconds)',
    { type: 'run-probe', level: 'quick' },
  );
  const full = button(
    'run-full-probe',
    'Run full probe',
    'Train a tiny U-Net with the loss and every reference loss (minutes)',
    { type: 'run-probe', level: 'full' },
    true,
  );
  const cancel = button('cancel-probe', 'Cancel probe', 'Stop the running probe', { type: 'cancel-probe' }, true);
  const again = button(
    'rediagnose',
    'Diagnose again',
    'Diagnose the loss again from the current document',
    { type: 'rediagnose' },
    true,
  );
  const status = h('div', {
    class: 'status-line',
    id: 'status',
    'data-testid': 'status',
    role: 'status',
    'aria-live': 'polite',
  });
  const progressText = h('span', { class: 'probe-step', 'data-testid': 'probe-progress' });
  const bar = h(
    'div',
    {
      class: 'progress-bar',
      role: 'progressbar',
      'aria-label': 'Probe progress',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
    },
    h('div', { class: 'progress-fill' }),
  );
  const probeLine = h('div', { class: 'probe-status', 'data-testid': 'probe-status' }, progressText, bar);
  const element = h(
    'section',
    { class: 'toolbar', 'aria-label': 'Actions' },
    h('div', { class: 'buttons' }, quick, full, cancel, again),
    h('div', { class: 'status-area' }, status, probeLine),
  );

  return {
    element,
    update(model) {
      const running = model.probeState === 'running';
      const hasReport = !!model.report;
      const canProbe = hasReport && !model.report?.loss?.error && model.report?.loss?.role !== 'metric';
      quick.disabled = running || !canProbe;
      full.disabled = running || !canProbe;
      cancel.disabled = !running;
      again.disabled = !hasReport || !!model.status?.busy;
      if (!canProbe && hasReport) {
        const why = model.report?.loss?.error ? 'the loss could not be evaluated' : 'metrics are not trained';
        quick.title = full.title = `No probe: ${why}`;
      }

      const s = model.status;
      status.hidden = !s;
      if (s) fill(status, s.busy ? icon('spinner', 'busy') : icon('notice'), h('span', {}, s.message || 'Working…'));
      status.classList.toggle('busy', !!s?.busy);

      const probe = model.probe;
      const fill_ = bar.firstElementChild as HTMLElement;
      const steps = probe?.steps ?? 0;
      const step = probe?.step ?? 0;
      let text = '';
      switch (model.probeState) {
        case 'running':
          text = steps
            ? `${probe?.level ?? ''} probe: step ${step}/${steps}`.trim()
            : `${probe?.level ?? ''} probe: starting…`.trim();
          break;
        case 'cancelled':
          text =
            `Probe cancelled${steps ? ` at step ${step}/${steps}` : ''}` +
            `${model.probeMessage ? `: ${model.probeMessage}` : ''}`;
          break;
        case 'failed':
          text = `Probe failed${model.probeMessage ? `: ${model.probeMessage}` : ''}`;
          break;
        case 'done':
          text = probe ? `${probe.level ?? ''} probe finished: ${step}/${steps} steps`.trim() : '';
          break;
        default:
          text = '';
      }
      text = text.charAt(0).toUpperCase() + text.slice(1);
      progressText.textContent = text;
      probeLine.hidden = !text;
      probeLine.dataset.state = model.probeState;
      probeLine.dataset.step = String(step);
      const fraction = steps ? Math.min(1, step / steps) : 0;
      fill_.style.width = `${(fraction * 100).toFixed(1)}%`;
      bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
      bar.hidden = model.probeState !== 'running' && model.probeState !== 'cancelled';
    },
  };
}
