// The calling contract of a loss: which framework calls it, in which argument order, with what
// kind of tensors. The search for a loss's contract lives in the diagnosis
// (diagnose/contractSearch.ts); this module holds the types and the framework defaults.
import { type ContractFieldValue, choiceValues } from './contractFields';
import type { Module, Stmt } from './python/ast';
import { walkStatements } from './python/walk';
import type { Flavour, LogicalDtype } from './python/tensor';

// The fields' values are listed once, in the schema (contractFields.ts).
export type Framework = ContractFieldValue<'framework'>;
export type ArgOrder = ContractFieldValue<'argOrder'>;
export type Layout = ContractFieldValue<'layout'>;
export type LabelFormat = ContractFieldValue<'labels'>;
export type PredictionDomain = ContractFieldValue<'prediction'>;

export const FRAMEWORKS: readonly Framework[] = choiceValues('framework');
export const ARG_ORDERS: readonly ArgOrder[] = choiceValues('argOrder');
export const LAYOUTS: readonly Layout[] = choiceValues('layout');
export const LABEL_FORMATS: readonly LabelFormat[] = choiceValues('labels');
export const PREDICTION_DOMAINS: readonly PredictionDomain[] = choiceValues('prediction');

export interface Contract {
  framework: Framework;
  argOrder: ArgOrder;
  layout: Layout;
  labels: LabelFormat;
  prediction: PredictionDomain;
  classes?: number;
  spatialDims?: ContractFieldValue<'spatialDims'>;
  /** Sparse label maps with a size-1 channel axis ((N, H, W, 1) / (N, 1, H, W)) or without ((N, H, W)). */
  sparseChannel?: boolean;
  /**
   * Every image's pixels stacked on one axis: (pixels, classes) predictions and (pixels,) sparse or
   * (pixels, classes) one-hot labels, as Lasagne's softmax over a reshaped output gives. The data
   * are ordered channels-last (layout is 'channels_last'); only the shapes the loss sees differ.
   */
  flattened?: boolean;
  /**
   * One foreground channel without its axis: (N, *spatial) predictions and masks, as a binary loss
   * gets them from `logits.squeeze(1)`. Only with one class; the layout then places nothing.
   */
  channelless?: boolean;
  /**
   * Class maps delivered as floats (what pipelines feed after `/ 255.` or `.astype(float32)`): set
   * when the loss fails on integer maps only, so that the rest of it can be analysed.
   */
  floatLabels?: boolean;
}

export type ContractField = keyof Contract;
/** Where a field's value came from, strongest first: a setting or flag, the file, the framework, a trial run. */
export type FieldSource = 'given' | 'context' | 'convention' | 'trial';

/** The contract a loss was diagnosed under, and how each field was decided. */
export interface ResolvedContract extends Contract {
  /** Fields that were not given explicitly. */
  inferred: ContractField[];
  /** Where each field came from. */
  sources: Partial<Record<ContractField, FieldSource>>;
  /** For context-derived fields: the line and code that decided them (in `file` when another project file). */
  because: Partial<Record<ContractField, { line: number; why: string; file?: string }>>;
  /** Overall: 'high' when nothing rests on trial alone. */
  confidence: 'high' | 'medium' | 'low';
}

export const flavourOf = (framework: Framework): Flavour =>
  framework === 'keras' || framework === 'tf' ? 'tf' : framework;

/** Keras/TF/Theano/numpy losses are called as f(y_true, y_pred); PyTorch criteria as f(input, target). */
export const defaultArgOrder = (framework: Framework): ArgOrder => (framework === 'torch' ? 'pred_true' : 'true_pred');
/** PyTorch and Theano/Lasagne are channels-first (N, C, H, W); Keras/TF and numpy code channels-last. */
export const defaultLayout = (framework: Framework): Layout =>
  framework === 'torch' || framework === 'theano' ? 'channels_first' : 'channels_last';

export function integerLabelDtype(framework: Framework): LogicalDtype {
  return framework === 'keras' || framework === 'tf' ? 'int32' : 'int64';
}

/**
 * The framework a file is written for, from its imports (torch wins over numpy, keras over tf); with
 * `everywhere`, imports inside functions count too (a package that picks its backend when called).
 */
export function frameworkFromImports(module: Module, everywhere = false): Framework | undefined {
  const roots = new Set<string>();
  const imported = new Set<string>();
  const statements: Stmt[] = [];
  if (everywhere) walkStatements(module.body, (stmt) => statements.push(stmt));
  for (const stmt of everywhere ? statements : module.body) {
    if (stmt.kind === 'import')
      for (const n of stmt.names) {
        roots.add(n.module.split('.')[0]);
        imported.add(n.module);
      }
    if (stmt.kind === 'importfrom') {
      roots.add(stmt.module.split('.')[0]);
      imported.add(stmt.module);
      if (stmt.names !== '*') for (const n of stmt.names) imported.add(`${stmt.module}.${n.name}`);
    }
  }
  if (roots.has('torch')) return 'torch';
  if (
    roots.has('keras') ||
    [...imported].some((m) => m.startsWith('tensorflow.keras') || m.startsWith('tensorflow.python.keras'))
  )
    return 'keras';
  if (roots.has('tensorflow')) return 'tf';
  if (roots.has('theano')) return 'theano';
  if (roots.has('numpy') || roots.has('caffe')) return 'numpy'; // Caffe's Python layers work on numpy arrays
  return undefined;
}
