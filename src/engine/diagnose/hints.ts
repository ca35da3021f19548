// What the code around a loss says about how it is called: `model.compile(loss=...)`, the model's
// last layer and its activation, label preparation (to_categorical, one_hot), training-loop calls
// and docstrings. Static: nothing here is executed.
import type { Argument, Expr, Module, SourceRange } from '../python/ast';
import { dottedName, statementExpressions, walkExpr, walkStatements } from '../python/walk';
import type { ArgOrder, LabelFormat, Layout, PredictionDomain } from '../contract';

export interface Evidence<T> {
  value: T;
  /** Where the evidence is, and what it was. */
  line: number;
  why: string;
}

export interface ContextHints {
  /** The model's final activation (Conv2D(..., activation='sigmoid'), nn.Softmax(dim=1)...). */
  finalActivation?: Evidence<'sigmoid' | 'softmax' | 'none'>;
  /** Output channels of the model's last layer. */
  outputChannels?: Evidence<number>;
  labels?: Evidence<LabelFormat>;
  classes?: Evidence<number>;
  spatialDims?: Evidence<2 | 3>;
  layout?: Evidence<Layout>;
  /** Names passed to compile(loss=...) / used as criteria, and names passed as metrics. */
  compiledLosses: Map<string, Evidence<'loss'>>;
  metrics: Set<string>;
  /** How the file itself calls each loss: criterion(outputs, masks) → pred_true. */
  callOrder: Map<string, Evidence<ArgOrder>>;
}

// Matched against the whole name or any of its _-separated words (network_output, target_var).
const PREDICTION_WORD =
  /^(y_?pred|pred|preds|prediction|predictions|output|outputs|out|logits|probs|probabilities|y_?hat|scores?)$/i;
const TARGET_WORD = /^(y_?true|y|true|target|targets|gt|ground_?truth|labels?|masks?|seg|segmentation|truth)$/i;
const nameSays = (name: string, word: RegExp) => word.test(name) || name.split('_').some((part) => word.test(part));

const keyword = (args: Argument[], name: string): Expr | undefined =>
  args.find((a) => a.kind === 'keyword' && a.name === name)?.value;
const positional = (args: Argument[], index: number): Expr | undefined =>
  args.filter((a) => a.kind === 'positional')[index]?.value;
const stringValue = (expr: Expr | undefined): string | undefined =>
  expr?.kind === 'str' && expr.parts.every((p) => 'text' in p)
    ? expr.parts.map((p) => ('text' in p ? p.text : '')).join('')
    : undefined;
/** Module-level integer constants (N_CLASSES = 4), to read layer sizes given by name. */
let moduleConstants = new Map<string, number>();
const intValue = (expr: Expr | undefined): number | undefined =>
  expr?.kind === 'int' ? Number(expr.value) : expr?.kind === 'name' ? moduleConstants.get(expr.id) : undefined;

function collectConstants(module: Module): Map<string, number> {
  const constants = new Map<string, number>();
  for (const stmt of module.body) {
    if (stmt.kind === 'assign' && stmt.value.kind === 'int')
      for (const t of stmt.targets) if (t.kind === 'name') constants.set(t.id, Number(stmt.value.value));
  }
  // Parameters defaulting to a constant (def build(n_classes=N_CLASSES)) stand for it inside that function.
  walkStatements(module.body, (stmt) => {
    if (stmt.kind !== 'def') return;
    for (const p of stmt.def.params) {
      const value =
        p.default?.kind === 'int'
          ? Number(p.default.value)
          : p.default?.kind === 'name'
            ? constants.get(p.default.id)
            : undefined;
      if (value !== undefined && !constants.has(p.name)) constants.set(p.name, value);
    }
  });
  return constants;
}

const lastSegment = (name: string) => name.split('.').pop() ?? '';

export function collectHints(module: Module, lossNames: ReadonlySet<string>): ContextHints {
  const hints: ContextHints = { compiledLosses: new Map(), metrics: new Set(), callOrder: new Map() };
  moduleConstants = collectConstants(module);
  /** Instances of loss classes: criterion = DiceLoss() → criterion stands for DiceLoss. */
  const aliases = new Map<string, string>();
  let lastLayer: { line: number; activation?: string; channels?: number; why: string } | undefined;
  const setOnce = <K extends 'labels' | 'classes' | 'spatialDims' | 'layout'>(
    key: K,
    value: NonNullable<ContextHints[K]>,
  ) => {
    if (!hints[key]) hints[key] = value;
  };

  walkStatements(module.body, (stmt, enclosingClass, enclosingDef) => {
    if (stmt.kind === 'assign' && stmt.value.kind === 'call') {
      const callee = lastSegment(dottedName(stmt.value.func));
      if (lossNames.has(callee))
        for (const t of stmt.targets)
          if (t.kind === 'name' || t.kind === 'attribute') aliases.set(dottedName(t), callee);
    }
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (expr.kind !== 'call') return;
        const name = dottedName(expr.func);
        const short = lastSegment(name);
        const line = expr.range.line;
        // Keras model definition and compilation
        if (/^(Conv[123]D|Conv[123]DTranspose|Dense|SeparableConv2D)$/.test(short)) {
          const activation = stringValue(keyword(expr.args, 'activation'));
          const channels = intValue(
            keyword(expr.args, 'filters') ?? keyword(expr.args, 'units') ?? positional(expr.args, 0),
          );
          lastLayer = {
            line,
            activation: activation ?? 'none',
            channels,
            why: `${short}(${channels ?? '…'}${activation ? `, activation='${activation}'` : ''})`,
          };
          if (/3D/.test(short)) setOnce('spatialDims', { value: 3, line, why: short });
        }
        if (short === 'Activation') {
          const activation = stringValue(positional(expr.args, 0));
          if (activation && lastLayer)
            lastLayer = { ...lastLayer, line, activation, why: `Activation('${activation}')` };
        }
        if (short === 'compile') {
          const loss = keyword(expr.args, 'loss');
          const lossName = loss ? lastSegment(dottedName(loss.kind === 'call' ? loss.func : loss)) : undefined;
          if (lossName) hints.compiledLosses.set(lossName, { value: 'loss', line, why: `compile(loss=${lossName})` });
          const metrics = keyword(expr.args, 'metrics');
          if (metrics && (metrics.kind === 'list' || metrics.kind === 'tuple'))
            for (const m of metrics.elements) hints.metrics.add(lastSegment(dottedName(m)));
          if (stringValue(loss)?.includes('sparse'))
            setOnce('labels', { value: 'sparse', line, why: `compile(loss='${stringValue(loss)}')` });
        }
        if (short === 'SparseCategoricalCrossentropy' || short === 'sparse_categorical_crossentropy')
          setOnce('labels', { value: 'sparse', line, why: short });
        if (short === 'to_categorical') {
          setOnce('labels', { value: 'onehot', line, why: 'to_categorical(...)' });
          const n = intValue(keyword(expr.args, 'num_classes') ?? positional(expr.args, 1));
          if (n) setOnce('classes', { value: n, line, why: `to_categorical(..., ${n})` });
        }
        // PyTorch models: the activation a model's forward ends with
        if (
          /^(Conv[123]d|ConvTranspose[123]d|Linear)$/.test(short) &&
          enclosingClass &&
          !lossNames.has(enclosingClass)
        ) {
          const channels = intValue(keyword(expr.args, 'out_channels') ?? positional(expr.args, 1));
          lastLayer = {
            line,
            activation: lastLayer?.line === line ? lastLayer.activation : 'none',
            channels,
            why: `${short}(…, ${channels ?? '…'})`,
          };
          if (/3d/.test(short)) setOnce('spatialDims', { value: 3, line, why: short });
          setOnce('layout', { value: 'channels_first', line, why: short });
        }
        const insideModel =
          enclosingClass !== undefined &&
          !lossNames.has(enclosingClass) &&
          (enclosingDef === 'forward' || enclosingDef === '__init__');
        if (insideModel && /^(sigmoid|Sigmoid|softmax|Softmax)$/.test(short) && lastLayer) {
          lastLayer = { ...lastLayer, line, activation: short.toLowerCase(), why: `${name}(...) in ${enclosingClass}` };
        }
        // Training loops: criterion(outputs, masks)
        const target = aliases.get(name) ?? (lossNames.has(short) ? short : undefined);
        if (target && expr.args.length >= 2 && !(enclosingDef && lossNames.has(enclosingDef))) {
          const [a, b] = [positional(expr.args, 0), positional(expr.args, 1)].map((e) =>
            e ? lastSegment(dottedName(e)) : '',
          );
          const order: ArgOrder | undefined =
            nameSays(a, PREDICTION_WORD) && nameSays(b, TARGET_WORD)
              ? 'pred_true'
              : nameSays(a, TARGET_WORD) && nameSays(b, PREDICTION_WORD)
                ? 'true_pred'
                : undefined;
          if (order && !hints.callOrder.has(target))
            hints.callOrder.set(target, { value: order, line, why: `${name}(${a}, ${b})` });
        }
        const inDataCode =
          (!enclosingDef && !enclosingClass) ||
          /data|load|prep|transform|getitem|batch|generat|augment|sample/i.test(
            `${enclosingClass ?? ''} ${enclosingDef ?? ''}`,
          );
        if (
          short === 'one_hot' &&
          inDataCode &&
          !lossNames.has(enclosingClass ?? '') &&
          !lossNames.has(enclosingDef ?? '')
        )
          setOnce('labels', { value: 'onehot', line, why: `${name}(...) in the data pipeline` });
      });
    }
  });
  if (lastLayer) {
    const activation =
      lastLayer.activation === 'sigmoid' || lastLayer.activation === 'softmax' ? lastLayer.activation : 'none';
    hints.finalActivation = { value: activation, line: lastLayer.line, why: lastLayer.why };
    if (lastLayer.channels !== undefined)
      hints.outputChannels = { value: lastLayer.channels, line: lastLayer.line, why: lastLayer.why };
  }
  return hints;
}

/** The prediction domain the model's final activation implies. */
export function predictionFromHints(hints: ContextHints): Evidence<PredictionDomain> | undefined {
  const a = hints.finalActivation;
  if (!a) return undefined;
  return { value: a.value === 'none' ? 'logits' : 'probabilities', line: a.line, why: a.why };
}

export type { SourceRange };
