// What the code around a loss says about how it is called: `model.compile(loss=...)`, the model's
// last layer and its activation, label preparation (to_categorical, one_hot), training-loop calls
// and docstrings. Static: nothing here is executed.
import type { Argument, Expr, Module, SourceRange } from '../python/ast';
import { dottedName, statementExpressions, textOf, walkExpr, walkStatements } from '../python/walk';
import type { ArgOrder, LabelFormat, Layout, PredictionDomain } from '../contract';
import { orderFromNames } from './queries/argumentNames';
import { numpyArgument } from './queries/numpyArguments';

export interface Evidence<T> {
  value: T;
  /** Where the evidence is, and what it was. */
  line: number;
  why: string;
  /** The project file it is in, when it is not the diagnosed file (relative to the project root). */
  file?: string;
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
  /** How the file itself calls each loss: criterion(outputs, masks) → pred_true; keywords by the signature. */
  callOrder: Map<string, Evidence<ArgOrder>>;
  /** What a call site passes as the prediction: softmax(logits) → probabilities. */
  callPrediction: Map<string, Evidence<PredictionDomain>>;
  /** Other keyword arguments a call site passes with literal values (criterion(out, y, softmax=True)). */
  callKeywords: Map<string, Evidence<{ name: string; value: string }[]>>;
  /** A call site's result is minimised (loss.backward(), tape.gradient(loss, ...)). */
  minimised: Map<string, Evidence<'loss'>>;
  /** Losses a call site hands a model's output as it is (criterion(model(x), y)): the model's activation applies. */
  modelFed: Set<string>;
  /** Functions a call site hands numpy arrays (model.predict(x)'s output): evaluation metrics on arrays. */
  numpyInputs: Map<string, Evidence<'numpy'>>;
  /**
   * Call sites that pass other literal keywords than the first one (dice_loss(..., multiclass=False)
   * in one branch, multiclass=True in the other): each is a configuration of its own to diagnose.
   */
  callVariants: Map<string, CallVariant[]>;
}

/** One way a call site configures a loss: its literal keywords and what it passes as the prediction. */
export interface CallVariant {
  keywords: Evidence<{ name: string; value: string }[]>;
  prediction?: Evidence<PredictionDomain>;
  order?: Evidence<ArgOrder>;
}

/** A loss as the hints look it up: by name, with its parameters (the prediction and the labels first). */
export interface HintedLoss {
  name: string;
  /** A class or a factory is called to build the loss: `DiceLoss(4)` is not a call of the loss. */
  kind: 'function' | 'factory' | 'class';
  params: readonly string[];
  /** For a method of a plain class: the class. */
  owner?: string;
}

export const emptyHints = (): ContextHints => ({
  compiledLosses: new Map(),
  metrics: new Set(),
  callOrder: new Map(),
  callPrediction: new Map(),
  callKeywords: new Map(),
  minimised: new Map(),
  modelFed: new Set(),
  callVariants: new Map(),
  numpyInputs: new Map(),
});

// Matched against the whole name or any of its _-separated words (network_output, target_var).
const PREDICTION_WORD =
  /^(y_?pred|pred|preds|prediction|predictions|output|outputs|out|logits|probs|probabilities|y_?hat|scores?)$/i;
const TARGET_WORD = /^(y_?true|y|true|target|targets|gt|ground_?truth|labels?|masks?|seg|segmentation|truth)$/i;
const nameSays = (name: string, word: RegExp) => word.test(name) || name.split('_').some((part) => word.test(part));

const sameKeywords = (a: readonly { name: string; value: string }[], b: readonly { name: string; value: string }[]) =>
  a.length === b.length && a.every((k) => b.some((o) => o.name === k.name && o.value === k.value));

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

/** Keras's image format names, current ('channels_first') and Keras 1's dim ordering ('th'). */
const GLOBAL_FORMATS: Record<string, Layout> = {
  channels_first: 'channels_first',
  channels_last: 'channels_last',
  th: 'channels_first',
  tf: 'channels_last',
};

const HIDDEN_ACTIVATION = /^(relu|relu6|elu|selu|gelu|swish|silu|leaky_?relu|prelu|tanh|softplus|mish)$/i;

const ACTIVATED = /^(softmax|sigmoid|log_softmax|Softmax|Sigmoid)$/;

const DOMAIN_KEEPING = /^(float|double|half|contiguous|clone|cpu|cuda|to|type|squeeze|unsqueeze|permute|view|reshape)$/;

/** What an expression passed as the prediction says about its domain, following one local assignment. */
function predictionDomainOf(expr: Expr | undefined, locals: ReadonlyMap<string, Expr>): PredictionDomain | undefined {
  if (!expr) return undefined;
  if (expr.kind === 'name' && locals.has(expr.id)) return predictionDomainOf(locals.get(expr.id), new Map());
  if (expr.kind === 'call' && ACTIVATED.test(lastSegment(dottedName(expr.func)))) return 'probabilities';
  // softmax(x, dim=1).float(), sigmoid(x).contiguous(): a cast or copy keeps the domain.
  if (expr.kind === 'call' && expr.func.kind === 'attribute' && DOMAIN_KEEPING.test(expr.func.attr))
    return predictionDomainOf(expr.func.object, locals);
  const name = lastSegment(dottedName(expr));
  if (/logit/i.test(name)) return 'logits';
  if (/^(probs?|probabilities|probas)$/i.test(name)) return 'probabilities';
  return undefined;
}

const MODEL_CALL = /^(model|net|network|unet|forward|segmenter|predict)$/i;

/** Whether an argument expression is what a training loop passes as the prediction / the labels. */
function saysPrediction(expr: Expr): boolean {
  if (expr.kind === 'call') {
    const callee = lastSegment(dottedName(expr.func));
    return ACTIVATED.test(callee) || MODEL_CALL.test(callee) || nameSays(callee, PREDICTION_WORD);
  }
  return nameSays(lastSegment(dottedName(expr)), PREDICTION_WORD);
}
const saysTarget = (expr: Expr) => expr.kind !== 'call' && nameSays(lastSegment(dottedName(expr)), TARGET_WORD);

interface CallSiteArguments {
  /** The expressions bound to the loss's first two parameters. */
  values: Map<string, Expr>;
  byKeyword: boolean;
  text: string;
}

/** What a call passes for the loss's prediction and labels parameters (positionally or by keyword). */
function callSiteArguments(source: string, args: Argument[], params: readonly string[]): CallSiteArguments | undefined {
  const [first, second] = params;
  if (first === undefined || second === undefined || args.some((a) => a.kind === 'star' || a.kind === 'doublestar'))
    return undefined;
  const values = new Map<string, Expr>();
  args.filter((a) => a.kind === 'positional').forEach((a, i) => i < params.length && values.set(params[i], a.value));
  let byKeyword = false;
  for (const a of args)
    if (a.kind === 'keyword' && (a.name === first || a.name === second)) {
      values.set(a.name, a.value);
      byKeyword = true;
    }
  const a = values.get(first);
  const b = values.get(second);
  if (!a || !b) return undefined;
  const brief = (e: Expr) => {
    const text = textOf(source, e.range);
    return text.length > 30 ? `${text.slice(0, 27)}...` : text;
  };
  const text = byKeyword ? `${first}=${brief(a)}, ${second}=${brief(b)}` : `${brief(a)}, ${brief(b)}`;
  return { values, byKeyword, text };
}

/** The order a call site shows: the arguments' names, else (passed by keyword) the signature's. */
function orderAtCall(site: CallSiteArguments, params: readonly string[]): ArgOrder | undefined {
  const a = site.values.get(params[0])!;
  const b = site.values.get(params[1])!;
  if (saysPrediction(a) && saysTarget(b)) return 'pred_true';
  if (saysTarget(a) && saysPrediction(b)) return 'true_pred';
  if (saysPrediction(a) && !saysPrediction(b)) return 'pred_true';
  if (saysPrediction(b) && !saysPrediction(a)) return 'true_pred';
  return site.byKeyword ? orderFromNames(params) : undefined;
}

/** A model's output as it is: model(x), self.net(x), or a name assigned one. */
function modelOutput(expr: Expr, locals: ReadonlyMap<string, Expr>): boolean {
  if (expr.kind === 'name' && locals.has(expr.id)) return modelOutput(locals.get(expr.id)!, new Map());
  return expr.kind === 'call' && MODEL_CALL.test(lastSegment(dottedName(expr.func)));
}

const LITERAL_KINDS = new Set(['int', 'float', 'const', 'str']);
const literalText = (source: string, expr: Expr): string | undefined =>
  LITERAL_KINDS.has(expr.kind) || (expr.kind === 'unary' && LITERAL_KINDS.has(expr.operand.kind))
    ? textOf(source, expr.range)
    : undefined;

/**
 * The context the code of `module` gives the losses (the diagnosed file's own, or another project
 * file that imports it: a training script, the model's module).
 */
export function collectHints(module: Module, losses: readonly HintedLoss[]): ContextHints {
  const hints = emptyHints();
  moduleConstants = collectConstants(module);
  // Names calls and compile() use: a loss's own name, a method's bare name; owners are losses' homes.
  const byName = new Map<string, HintedLoss>();
  for (const loss of losses) {
    byName.set(loss.name, loss);
    if (loss.owner) byName.set(lastSegment(loss.name), loss);
  }
  const lossNames = new Set([...byName.keys(), ...losses.flatMap((l) => (l.owner ? [l.owner] : []))]);
  const keyOf = (name: string) => byName.get(name)?.name ?? name;
  /** Names holding a loss's value (loss = criterion(out, y); total = loss + ce), for loss.backward(). */
  const lossResults = new Map<string, string>();
  /** Assignments of the function being walked, for what a name passed as the prediction was. */
  let locals = new Map<string, Expr>();
  let localsOf: string | undefined;
  /** Instances of loss classes: criterion = DiceLoss() → criterion stands for DiceLoss. */
  const aliases = new Map<string, string>();
  let lastLayer: { line: number; activation?: string; channels?: number; why: string } | undefined;
  /** Keras's global image format (K.set_image_data_format): the default of every layer without data_format. */
  let imageDataFormat: Evidence<Layout> | undefined;
  const setOnce = <K extends 'labels' | 'classes' | 'spatialDims' | 'layout'>(
    key: K,
    value: NonNullable<ContextHints[K]>,
  ) => {
    if (!hints[key]) hints[key] = value;
  };

  walkStatements(module.body, (stmt, enclosingClass, enclosingDef) => {
    const scopeKey = `${enclosingClass ?? ''}.${enclosingDef ?? ''}`;
    if (scopeKey !== localsOf) [locals, localsOf] = [new Map(), scopeKey];
    if (stmt.kind === 'assign') {
      let holds: string | undefined;
      walkExpr(stmt.value, (e) => {
        if (e.kind === 'name' && lossResults.has(e.id)) holds ??= lossResults.get(e.id);
        if (e.kind === 'call') {
          const callee = dottedName(e.func);
          const loss = byName.get(aliases.get(callee) ?? lastSegment(callee));
          if (loss && (aliases.has(callee) || loss.kind === 'function')) holds ??= loss.name;
        }
      });
      for (const t of stmt.targets) {
        if (t.kind !== 'name') continue;
        locals.set(t.id, stmt.value);
        if (holds) lossResults.set(t.id, holds);
      }
    }
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
        // Keras's global format decides the layout of the layers that do not name one, wherever they are.
        const globalFormat = GLOBAL_FORMATS[stringValue(positional(expr.args, 0)) ?? ''];
        if ((short === 'set_image_data_format' || short === 'set_image_dim_ordering') && globalFormat) {
          const why = `${name}('${stringValue(positional(expr.args, 0))}')`;
          imageDataFormat = { value: globalFormat, line, why };
          hints.layout = imageDataFormat;
        }
        // Keras model definition and compilation
        if (/^(Conv[123]D|Conv[123]DTranspose|Dense|SeparableConv2D)$/.test(short)) {
          const given = keyword(expr.args, 'activation');
          // A variable activation (activation=self.activation) is unknown, not linear.
          const activation = given ? (stringValue(given) ?? 'unknown') : 'none';
          const channels = intValue(
            keyword(expr.args, 'filters') ?? keyword(expr.args, 'units') ?? positional(expr.args, 0),
          );
          // A layer with a hidden activation (relu...) or an upsampling without one is inside the
          // network, never its output.
          if (!HIDDEN_ACTIVATION.test(activation) && !(/Transpose/.test(short) && activation === 'none'))
            lastLayer = {
              line,
              activation,
              channels,
              why: `${short}(${channels ?? '…'}${activation !== 'none' ? `, activation='${activation}'` : ''})`,
            };
          if (/3D/.test(short)) setOnce('spatialDims', { value: 3, line, why: short });
          // Keras layers are channels-last unless they say data_format='channels_first' or the
          // global format (set_image_data_format) says so.
          const format = stringValue(keyword(expr.args, 'data_format'));
          if (format || !imageDataFormat)
            setOnce('layout', {
              value: format === 'channels_first' ? 'channels_first' : 'channels_last',
              line,
              why: `${short}(...)${format ? ` with data_format='${format}'` : ''}`,
            });
        }
        if (short === 'Activation') {
          const activation = stringValue(positional(expr.args, 0));
          if (activation && lastLayer)
            lastLayer = { ...lastLayer, line, activation, why: `Activation('${activation}')` };
        }
        if (short === 'compile') {
          const loss = keyword(expr.args, 'loss');
          const lossName = loss ? lastSegment(dottedName(loss.kind === 'call' ? loss.func : loss)) : undefined;
          if (lossName)
            hints.compiledLosses.set(keyOf(lossName), { value: 'loss', line, why: `compile(loss=${lossName})` });
          const metrics = keyword(expr.args, 'metrics');
          if (metrics && (metrics.kind === 'list' || metrics.kind === 'tuple'))
            for (const m of metrics.elements) hints.metrics.add(keyOf(lastSegment(dottedName(m))));
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
        // Training loops: criterion(outputs, masks), loss_fn(prediction=..., ground_truth=...); not
        // the calls a loss makes to another (a helper diagnosed through its caller).
        const direct = lossNames.has(short) && byName.get(short)?.kind === 'function' ? short : undefined;
        const called = aliases.get(name) ?? direct;
        const target = called && byName.get(called);
        const insideLoss =
          (enclosingDef && lossNames.has(enclosingDef)) || (enclosingClass && lossNames.has(enclosingClass));
        if (target && !insideLoss) {
          const key = target.name;
          const site = callSiteArguments(module.source, expr.args, target.params);
          if (site) {
            const order = orderAtCall(site, target.params);
            if (order && !hints.callOrder.has(key))
              hints.callOrder.set(key, { value: order, line, why: `${name}(${site.text})` });
            const predictionParam = order === 'true_pred' ? target.params[1] : target.params[0];
            const passed = site.values.get(predictionParam ?? '');
            const domain = predictionDomainOf(passed, locals);
            if (order && !domain && passed && modelOutput(passed, locals)) hints.modelFed.add(key);
            const array = [...site.values.values()].find((v) => numpyArgument(v, locals));
            if (array && !hints.numpyInputs.has(key))
              hints.numpyInputs.set(key, { value: 'numpy', line, why: `${name}(${site.text}): numpy arrays` });
            if (order && domain && !hints.callPrediction.has(key))
              hints.callPrediction.set(key, { value: domain, line, why: `${name}(...) is given ${domain}` });
            const literals = expr.args.flatMap((a) => {
              if (a.kind !== 'keyword' || target.params.slice(0, 2).includes(a.name)) return [];
              const value = literalText(module.source, a.value);
              return value === undefined ? [] : [{ name: a.name, value }];
            });
            const keywords = {
              value: literals,
              line,
              why: `${name}(..., ${literals.map((l) => `${l.name}=${l.value}`).join(', ')})`,
            };
            if (literals.length && !hints.callKeywords.has(key)) hints.callKeywords.set(key, keywords);
            else if (literals.length && !sameKeywords(hints.callKeywords.get(key)!.value, literals)) {
              const variants = hints.callVariants.get(key) ?? [];
              if (!variants.some((v) => sameKeywords(v.keywords.value, literals))) {
                const prediction = domain && { value: domain, line, why: `${name}(...) is given ${domain}` };
                const orderAt = order && { value: order, line, why: `${name}(${site.text})` };
                hints.callVariants.set(key, [...variants, { keywords, prediction, order: orderAt }]);
              }
            }
          }
        }
        if (short === 'backward' || short === 'gradient' || short === 'minimize') {
          // loss.backward() / tape.gradient(loss, ...): the loss whose value is minimised.
          const minimised =
            short === 'backward'
              ? dottedName(expr.func).split('.')[0]
              : dottedName(positional(expr.args, 0) ?? expr.func);
          const source = lossResults.get(minimised);
          if (source && !hints.minimised.has(source))
            hints.minimised.set(source, { value: 'loss', line, why: `${minimised}.backward()` });
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
    if (lastLayer.activation !== 'unknown')
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

/**
 * The hints of several files, the first one's first: the diagnosed file decides what it says
 * itself, then the files that use its losses, then the modules those import (the model).
 */
export function mergeHints(first: ContextHints, ...others: ContextHints[]): ContextHints {
  const merged: ContextHints = {
    ...first,
    compiledLosses: new Map(first.compiledLosses),
    metrics: new Set(first.metrics),
    callOrder: new Map(first.callOrder),
    callPrediction: new Map(first.callPrediction),
    callKeywords: new Map(first.callKeywords),
    minimised: new Map(first.minimised),
    modelFed: new Set(first.modelFed),
    callVariants: new Map(first.callVariants),
    numpyInputs: new Map(first.numpyInputs),
  };
  const single = ['finalActivation', 'outputChannels', 'labels', 'classes', 'spatialDims', 'layout'] as const;
  const maps = ['compiledLosses', 'callOrder', 'callPrediction', 'callKeywords', 'minimised', 'numpyInputs'] as const;
  for (const other of others) {
    for (const key of single)
      if (merged[key] === undefined && other[key] !== undefined) Object.assign(merged, { [key]: other[key] });
    for (const key of maps) {
      const target = merged[key] as Map<string, unknown>;
      for (const [name, value] of other[key] as Map<string, unknown>) if (!target.has(name)) target.set(name, value);
    }
    for (const m of other.metrics) merged.metrics.add(m);
    for (const m of other.modelFed) merged.modelFed.add(m);
    // Another file's call sites add configurations the ones before did not give.
    for (const [name, variants] of other.callVariants) mergeVariants(merged, name, variants);
    for (const [name, keywords] of other.callKeywords) {
      const prediction = other.callPrediction.get(name);
      mergeVariants(merged, name, [{ keywords, prediction, order: other.callOrder.get(name) }]);
    }
  }
  return merged;
}

/** Adds the configurations of a loss that differ from its first call site's and from each other. */
function mergeVariants(merged: ContextHints, name: string, variants: readonly CallVariant[]): void {
  const first = merged.callKeywords.get(name);
  const known = [...(merged.callVariants.get(name) ?? [])];
  for (const variant of variants) {
    const seen = [...(first ? [first.value] : []), ...known.map((k) => k.keywords.value)];
    if (!seen.some((keywords) => sameKeywords(keywords, variant.keywords.value))) known.push(variant);
  }
  if (known.length) merged.callVariants.set(name, known);
}

/**
 * Hints read from another project file: every piece of evidence says which file it is in. Only an
 * explicit final sigmoid/softmax counts there: that file's last layer without one may be any layer.
 */
export function inFile(hints: ContextHints, file: string): ContextHints {
  const tag = <T>(e: Evidence<T> | undefined): Evidence<T> | undefined =>
    e && { ...e, file, why: `${e.why} (${file}:${e.line})` };
  const tagMap = <T>(m: Map<string, Evidence<T>>) => new Map([...m].map(([k, v]) => [k, tag(v)!]));
  return {
    ...hints,
    finalActivation: hints.finalActivation?.value === 'none' ? undefined : tag(hints.finalActivation),
    outputChannels: tag(hints.outputChannels),
    labels: tag(hints.labels),
    classes: tag(hints.classes),
    spatialDims: tag(hints.spatialDims),
    layout: tag(hints.layout),
    compiledLosses: tagMap(hints.compiledLosses),
    callOrder: tagMap(hints.callOrder),
    callPrediction: tagMap(hints.callPrediction),
    callKeywords: tagMap(hints.callKeywords),
    minimised: tagMap(hints.minimised),
    callVariants: new Map(
      [...hints.callVariants].map(([name, variants]) => [
        name,
        variants.map((v) => ({ keywords: tag(v.keywords)!, prediction: tag(v.prediction), order: tag(v.order) })),
      ]),
    ),
    numpyInputs: tagMap(hints.numpyInputs),
  };
}
