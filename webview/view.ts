// The page: builds the sections once and redraws the parts a message changed. Sections without data
// stay hidden; nothing here assumes a complete report.
import { drawClassWeights, createClassWeightsChart } from './charts/classWeights';
import { type GradientCharts, createGradientCharts, drawGradient } from './charts/gradient';
import { createGradientCheckChart, drawGradientCheck } from './charts/gradientCheck';
import { createResponseChart, drawResponse } from './charts/response';
import { type TrainingCharts, createTrainingCharts } from './charts/training';
import { type Figure } from './charts/figure';
import { type Controls, createControls } from './controls';
import { fill, h, icon } from './dom';
import { renderFindings } from './findings';
import { renderHeader } from './header';
import { type ProbeOutcome, createProbeOutcome } from './lesions';
import { type Reveal, lineLink } from './reveal';
import { type Snapshots, createSnapshots } from './snapshots';
import type { PanelModel } from './state';
import { type Theme, readTheme } from './theme';
import type { WebviewRequest } from './types';

export interface View {
  /** Everything (a report, a theme change, a restored state). */
  renderAll(model: PanelModel): void;
  /** The probe's parts after a probe message; `extend` when points were only appended. */
  renderProbe(model: PanelModel, options: { extend: boolean; snapshots: boolean }): void;
  /** Toolbar and status line. */
  renderStatus(model: PanelModel): void;
  retheme(model: PanelModel): void;
}

export function createView(root: HTMLElement, post: (request: WebviewRequest) => void): View {
  const reveal: Reveal = (request) => post(request);
  let theme: Theme = readTheme();

  const waiting = h(
    'div',
    { class: 'waiting', 'data-testid': 'waiting' },
    icon('spinner'),
    h('span', {}, 'Waiting for the diagnosis…'),
  );
  const header = h('header', { class: 'report-header', 'data-testid': 'header', hidden: true });
  const staleButton = h('button', { type: 'button', class: 'link' }, 'Diagnose again');
  staleButton.addEventListener('click', () => post({ type: 'rediagnose' }));
  const stale = h(
    'div',
    { class: 'callout callout-warning', role: 'status', 'data-testid': 'stale-notice', hidden: true },
    icon('warning'),
    h('div', {}, 'The document has changed since this report was made. ', staleButton, ' to update it.'),
  );
  const controls: Controls = createControls(post);

  const findingsCount = h('span', { class: 'count' });
  const findingsList = h('ul', { class: 'findings', 'data-testid': 'findings', 'aria-label': 'Findings' });
  const findingsSection = h(
    'section',
    { class: 'section', 'aria-labelledby': 'findings-title', hidden: true },
    h('h2', { id: 'findings-title' }, 'Findings', findingsCount),
    findingsList,
  );

  const probeIntro = h('p', { class: 'section-intro' });
  const probeError = h('div', {
    class: 'callout callout-error',
    role: 'alert',
    'data-testid': 'probe-error',
    hidden: true,
  });
  const training: TrainingCharts = createTrainingCharts();
  const outcome: ProbeOutcome = createProbeOutcome();
  const snapshots: Snapshots = createSnapshots();
  const probeSection = h(
    'section',
    { class: 'section', 'aria-labelledby': 'probe-title', 'data-testid': 'probe-section', hidden: true },
    h('h2', { id: 'probe-title' }, 'Training probe'),
    probeIntro,
    probeError,
    training.element,
    outcome.element,
    snapshots.element,
  );

  const response: Figure = createResponseChart();
  const gradient: GradientCharts = createGradientCharts();
  const weights: Figure = createClassWeightsChart();
  const gradientCheck: Figure = createGradientCheckChart();
  const gradientCheckWhere = h('p', { class: 'figure-where' });
  gradientCheck.element.insertBefore(gradientCheckWhere, gradientCheck.caption);
  const weightsWhere = h('p', { class: 'figure-where' });
  weights.element.insertBefore(weightsWhere, weights.caption);
  const analysisSection = h(
    'section',
    { class: 'section', 'aria-labelledby': 'analysis-title', 'data-testid': 'analysis-section', hidden: true },
    h('h2', { id: 'analysis-title' }, 'How the loss responds'),
    h('p', { class: 'section-intro' }, 'Measured on synthetic data that follows the contract, before any training.'),
    h('div', { class: 'chart-grid two' }, response.element, weights.element),
    gradient.element,
    gradientCheck.element,
  );

  const page = h(
    'main',
    { class: 'report' },
    waiting,
    header,
    stale,
    controls.element,
    findingsSection,
    probeSection,
    analysisSection,
  );
  fill(root, page);

  function renderStatus(model: PanelModel) {
    controls.update(model);
    const s = model.status;
    waiting.hidden = !!model.report;
    if (!model.report)
      fill(
        waiting,
        s?.busy === false ? icon('notice') : icon('spinner'),
        h('span', {}, s?.message || 'Waiting for the diagnosis…'),
      );
  }

  function renderProbe(
    model: PanelModel,
    { extend, snapshots: drawSnapshots }: { extend: boolean; snapshots: boolean },
  ) {
    const report = model.report;
    const loss = report?.loss;
    const series = model.probe;
    const hasRuns = !!series && (series.runs.length > 0 || model.probeState === 'running');
    probeSection.hidden = !report && !hasRuns;
    const level = report?.probeLevel;
    if (loss?.role === 'metric')
      probeIntro.textContent =
        'This callable is diagnosed as a metric (higher is better): the probe trains losses only.';
    else if (model.probeState === 'running' && !series?.runs.length)
      probeIntro.textContent = 'Starting: building the synthetic data and the model…';
    else if (hasRuns)
      probeIntro.textContent =
        'Your loss trained next to reference losses on the same synthetic data, from the same initial model.';
    else if (loss?.error) probeIntro.textContent = 'No probe: the loss could not be evaluated.';
    else
      probeIntro.textContent =
        `No probe has run${level === 'none' ? ' (the lossLens.probe setting is "none")' : ''}. ` +
        'Run one to train your loss next to reference losses on synthetic data and watch the curves live.';

    const errorText = model.probeState === 'failed' ? (model.probeMessage ?? loss?.probeError) : undefined;
    probeError.hidden = !errorText;
    if (errorText)
      fill(
        probeError,
        icon('error'),
        h('div', {}, h('strong', {}, hasRuns ? 'The probe failed: ' : 'The probe could not run: '), errorText),
      );

    training.element.hidden = !hasRuns;
    if (series && hasRuns) training.update(series, theme, extend);
    outcome.update({
      series,
      probe: series?.source === 'report' ? loss?.probe : undefined,
      probeState: model.probeState,
      findings: loss?.findings ?? [],
      reveal,
    });
    if (drawSnapshots || !series) snapshots.update(series, theme);
  }

  function renderAnalysis(model: PanelModel) {
    const loss = model.report?.loss;
    const plots = loss?.plots;
    analysisSection.hidden = !plots;
    if (!plots) return;
    // Visibility first: Plotly sizes a chart by its container when it draws.
    const hasResponse = !!plots.response?.towardsPerfect?.length;
    const cw = plots.classWeights;
    response.element.hidden = !hasResponse;
    weights.element.hidden = !cw || !cw.allPresent?.length;
    if (hasResponse) drawResponse(response, plots.response, theme);
    if (cw && !weights.element.hidden) {
      fill(weightsWhere, 'Computed at ', lineLink(reveal, cw.line), ': ', h('code', {}, cw.expression));
      drawClassWeights(weights, cw, theme);
    }
    drawGradient(gradient, plots, loss?.contract?.classes, theme);
    // Only for a loss with a hand-written gradient (autograd Function, tf.custom_gradient, Caffe layer).
    const check = plots.gradientCheck;
    gradientCheck.element.hidden = !check;
    if (check) {
      fill(gradientCheckWhere, 'Backward at ', lineLink(reveal, check.line));
      drawGradientCheck(gradientCheck, check, theme);
    }
  }

  function renderAll(model: PanelModel) {
    const report = model.report;
    renderStatus(model);
    header.hidden = !report;
    findingsSection.hidden = !report;
    stale.hidden = !report?.stale;
    if (report) {
      renderHeader(header, report, reveal);
      const findings = report.loss?.findings ?? [];
      findingsCount.textContent = findings.length ? ` (${findings.length})` : '';
      renderFindings(findingsList, findings, reveal, !report.loss?.error);
      document.title = `Loss Lens: ${report.loss?.name ?? report.target.entry}`;
    }
    renderProbe(model, { extend: false, snapshots: true });
    renderAnalysis(model);
  }

  return {
    renderAll,
    renderProbe(model, options) {
      renderStatus(model);
      renderProbe(model, options);
    },
    renderStatus,
    retheme(model) {
      theme = readTheme();
      renderAll(model);
    },
  };
}
