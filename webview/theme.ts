// The panel's colours come from VS Code's theme variables, for the page (media/report.css) and for
// Plotly's layouts (read here). A theme switch changes the body's class and the variables on <html>:
// onThemeChange re-reads them and lets the charts redraw.

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  highContrast: boolean;
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  /** Axis lines (stronger than the grid). */
  axisLine: string;
  border: string;
  fontFamily: string;
  fontSize: number;
  hoverBackground: string;
  hoverBorder: string;
  /** The user's run: one distinct, strong colour. */
  user: string;
  /** The reference runs, in order. */
  references: string[];
  /** Ground truth lines (true foreground fraction). */
  truth: string;
  error: string;
  warning: string;
  info: string;
  /** A second series colour for grouped bars. */
  accent: string;
  /** Line widths: the user's run and the references. */
  userWidth: number;
  referenceWidth: number;
}

/** A CSS colour (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()) with its alpha multiplied by `factor`. */
export function withAlpha(color: string, factor: number): string {
  const c = color.trim();
  let rgba: number[] | undefined;
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c)?.[1];
  if (hex && (hex.length === 3 || hex.length === 4)) rgba = [...hex].map((d) => parseInt(d + d, 16));
  else if (hex && (hex.length === 6 || hex.length === 8)) rgba = hex.match(/../g)?.map((d) => parseInt(d, 16));
  if (rgba) {
    const [r, g, b, a = 255] = rgba;
    return `rgba(${r},${g},${b},${((a / 255) * factor).toFixed(3)})`;
  }
  const fn = /^rgba?\(([^)]+)\)$/i
    .exec(c)?.[1]
    ?.split(/[\s,/]+/)
    .filter(Boolean);
  if (fn && fn.length >= 3) {
    const a = fn[3] !== undefined ? (fn[3].endsWith('%') ? parseFloat(fn[3]) / 100 : parseFloat(fn[3])) : 1;
    return `rgba(${fn[0]},${fn[1]},${fn[2]},${(a * factor).toFixed(3)})`;
  }
  return c;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value || fallback;
}

export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const highContrast = kind.startsWith('high-contrast');
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallbackDark: string, fallbackLight: string) =>
    cssVar(style, name, light ? fallbackLight : fallbackDark);
  const foreground = v('--vscode-editor-foreground', '#cccccc', '#333333');
  const chartsForeground = v('--vscode-charts-foreground', foreground, foreground);
  const fontSize = Number.parseFloat(cssVar(style, '--vscode-font-size', '13px')) || 13;
  return {
    kind,
    highContrast,
    foreground: chartsForeground,
    muted: v('--vscode-descriptionForeground', '#9d9d9d', '#717171'),
    background: v('--vscode-editor-background', '#1e1e1e', '#ffffff'),
    grid: highContrast
      ? withAlpha(v('--vscode-contrastBorder', '#6fc3df', '#0f4a85'), 0.6)
      : withAlpha(v('--vscode-charts-lines', 'rgba(128,128,128,0.5)', 'rgba(128,128,128,0.5)'), 0.45),
    axisLine: highContrast
      ? v('--vscode-contrastBorder', '#6fc3df', '#0f4a85')
      : v('--vscode-charts-lines', 'rgba(128,128,128,0.5)', 'rgba(128,128,128,0.5)'),
    border: v('--vscode-panel-border', '#80808059', '#80808059'),
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, -apple-system, "Segoe UI", sans-serif'),
    fontSize,
    hoverBackground: v('--vscode-editorHoverWidget-background', '#252526', '#f3f3f3'),
    hoverBorder: v('--vscode-editorHoverWidget-border', '#454545', '#c8c8c8'),
    user: v('--vscode-charts-orange', '#d18616', '#d18616'),
    references: [
      v('--vscode-charts-blue', '#3794ff', '#1a85ff'),
      v('--vscode-charts-green', '#89d185', '#388a34'),
      v('--vscode-charts-purple', '#b180d7', '#652d90'),
      v('--vscode-charts-yellow', '#cca700', '#bf8803'),
      v('--vscode-terminal-ansiCyan', '#11a8cd', '#0598bc'),
      v('--vscode-terminal-ansiMagenta', '#bc3fbc', '#bc05bc'),
    ],
    truth: chartsForeground,
    error: v('--vscode-charts-red', '#f14c4c', '#e51400'),
    warning: v('--vscode-charts-yellow', '#cca700', '#bf8803'),
    info: v('--vscode-charts-blue', '#3794ff', '#1a85ff'),
    accent: v('--vscode-charts-blue', '#3794ff', '#1a85ff'),
    userWidth: highContrast ? 4 : 3,
    referenceWidth: highContrast ? 2.5 : 1.5,
  };
}

/** Calls back (once per animation frame at most) when the theme's class or variables change. */
export function onThemeChange(callback: () => void): void {
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      callback();
    });
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
