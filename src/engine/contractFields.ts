// The contract's fields, defined once. The CLI's flags, usage and validation, the lossLens.contract.*
// settings (written into package.json by scripts/generate.mjs), their validation, and the
// report's contract chips all derive from this table. No runtime imports: the webview bundles it too.

/** One allowed value of an enumerated field. */
export interface FieldChoice<V extends string | number = string | number> {
  value: V;
  /** One line, markdown: the setting's value list. */
  description: string;
  /** How the report's header names the value. */
  display: string;
}

interface FieldBasics<K extends string> {
  key: K;
  /** The CLI flag, without its dashes. */
  flag: string;
  /** The VS Code setting. */
  setting: string;
  /** What the field is, markdown, without a full stop: the setting's description and `--help`. */
  description: string;
  /** How the field is chosen when nobody gives it ("from the imports"). */
  inferredFrom: string;
}

export interface ChoiceField<
  K extends string = string,
  V extends string | number = string | number,
> extends FieldBasics<K> {
  kind: 'choice';
  /** The setting's value that leaves the field to inference: 'auto', or null for numeric choices. */
  auto: 'auto' | null;
  values: readonly FieldChoice<V>[];
}

export interface IntegerField<K extends string = string> extends FieldBasics<K> {
  kind: 'integer';
  /** The setting's value that leaves the field to inference. */
  auto: 0;
  min: number;
  max: number;
  /** The flag's argument in the usage text. */
  placeholder: string;
  /** How the report's header names a value. */
  display: (value: number) => string;
}

export type ContractFieldSpec = ChoiceField | IntegerField;

const FRAMEWORK = {
  key: 'framework',
  kind: 'choice',
  flag: 'framework',
  setting: 'lossLens.contract.framework',
  description: 'Framework whose semantics the loss follows',
  inferredFrom: 'from the imports',
  auto: 'auto',
  values: [
    { value: 'keras', display: 'Keras', description: 'Keras losses (`keras` or `tf.keras`).' },
    { value: 'tf', display: 'TensorFlow', description: 'TensorFlow ops without Keras.' },
    { value: 'torch', display: 'PyTorch', description: 'PyTorch functions and `nn.Module` criteria.' },
    { value: 'numpy', display: 'NumPy', description: 'NumPy arrays.' },
    { value: 'theano', display: 'Theano', description: 'Theano / Lasagne expressions.' },
  ],
} as const satisfies ChoiceField<'framework', string>;

const ARG_ORDER = {
  key: 'argOrder',
  kind: 'choice',
  flag: 'arg-order',
  setting: 'lossLens.contract.argOrder',
  description: 'The order the framework calls the loss with: Keras `(y_true, y_pred)`, PyTorch `(input, target)`',
  inferredFrom: "from the calls in the file, else the framework's convention",
  auto: 'auto',
  values: [
    { value: 'true_pred', display: 'called (true, pred)', description: 'Labels first: `loss(y_true, y_pred)`.' },
    { value: 'pred_true', display: 'called (pred, true)', description: 'Prediction first: `loss(input, target)`.' },
  ],
} as const satisfies ChoiceField<'argOrder', string>;

const LAYOUT = {
  key: 'layout',
  kind: 'choice',
  flag: 'layout',
  setting: 'lossLens.contract.layout',
  description: 'Where the class axis is',
  inferredFrom: 'from the framework and the model in the file',
  auto: 'auto',
  values: [
    { value: 'channels_last', display: 'channels last', description: 'Classes on the last axis: `(N, H, W, C)`.' },
    { value: 'channels_first', display: 'channels first', description: 'Classes on axis 1: `(N, C, H, W)`.' },
  ],
} as const satisfies ChoiceField<'layout', string>;

const LABELS = {
  key: 'labels',
  kind: 'choice',
  flag: 'labels',
  setting: 'lossLens.contract.labels',
  description: 'Label format the loss receives: one-hot maps or integer class maps',
  inferredFrom: 'from how the file prepares its labels, else by trial',
  auto: 'auto',
  values: [
    { value: 'onehot', display: 'one-hot labels', description: 'One 0/1 channel per class.' },
    { value: 'sparse', display: 'integer labels', description: 'One integer class index per pixel.' },
  ],
} as const satisfies ChoiceField<'labels', string>;

const PREDICTION = {
  key: 'prediction',
  kind: 'choice',
  flag: 'prediction',
  setting: 'lossLens.contract.prediction',
  description: 'Whether the loss receives activated probabilities or raw logits',
  inferredFrom: "from the model's last activation, else by trial",
  auto: 'auto',
  values: [
    { value: 'probabilities', display: 'probabilities', description: 'Outputs after the sigmoid or softmax.' },
    { value: 'logits', display: 'logits', description: 'Raw outputs, before any activation.' },
  ],
} as const satisfies ChoiceField<'prediction', string>;

const CLASSES = {
  key: 'classes',
  kind: 'integer',
  flag: 'classes',
  setting: 'lossLens.contract.classes',
  description: 'Number of classes (channels) of the prediction',
  inferredFrom: "from the model's last layer or a `num_classes` default, else by trial",
  auto: 0,
  // A sanity bound: beyond it a typo is likelier than a segmentation model.
  min: 1,
  max: 64,
  placeholder: 'N',
  display: (classes: number) => (classes === 1 ? '1 channel (binary)' : `${classes} classes`),
} as const satisfies IntegerField<'classes'>;

const SPATIAL_DIMS = {
  key: 'spatialDims',
  kind: 'choice',
  flag: 'spatial-dims',
  setting: 'lossLens.contract.spatialDims',
  description: '2-D or 3-D images',
  inferredFrom: 'from the model (e.g. `Conv3D`), else 2-D',
  auto: null,
  values: [
    { value: 2, display: '2-D', description: 'Images: `(N, H, W)` plus the class axis.' },
    { value: 3, display: '3-D', description: 'Volumes: `(N, D, H, W)` plus the class axis.' },
  ],
} as const satisfies ChoiceField<'spatialDims', number>;

/** Every field a user can give, in the order the report and the usage list them. */
export const CONTRACT_FIELDS = [FRAMEWORK, ARG_ORDER, LAYOUT, LABELS, PREDICTION, CLASSES, SPATIAL_DIMS] as const;

type SchemaField = (typeof CONTRACT_FIELDS)[number];
export type ContractFieldKey = SchemaField['key'];
type FieldOf<K extends ContractFieldKey> = Extract<SchemaField, { key: K }>;
export type ChoiceFieldKey = Extract<SchemaField, { kind: 'choice' }>['key'];

/** The values a field takes: its choices' values, or a number for an integer field. */
export type ContractFieldValue<K extends ContractFieldKey> =
  FieldOf<K> extends { values: readonly { value: infer V }[] } ? V : number;

export const contractField = <K extends ContractFieldKey>(key: K): FieldOf<K> =>
  CONTRACT_FIELDS.find((field) => field.key === key) as FieldOf<K>;

export const choiceValues = <K extends ChoiceFieldKey>(key: K): ContractFieldValue<K>[] =>
  (contractField(key) as ChoiceField).values.map((choice) => choice.value) as ContractFieldValue<K>[];

/** A contract laid out as one pixel per row has no class axis to place: the report says so instead. */
export const FLATTENED_LAYOUT_DISPLAY = 'flattened (pixels, classes)';

/** A binary contract without a channel axis: likewise. */
export const CHANNELLESS_LAYOUT_DISPLAY = 'no channel axis (N, *spatial)';

/** The fields of a contract as the schema sees them (Contract in contract.ts is built from these). */
export type ContractFieldValues = { [K in ContractFieldKey]?: ContractFieldValue<K> } & {
  flattened?: boolean;
  channelless?: boolean;
  floatLabels?: boolean;
};

/** How the report names a field's value; undefined when the contract leaves the field open. */
export function contractFieldText(contract: ContractFieldValues, key: ContractFieldKey): string | undefined {
  if (key === 'layout' && contract.flattened) return FLATTENED_LAYOUT_DISPLAY;
  if (key === 'layout' && contract.channelless) return CHANNELLESS_LAYOUT_DISPLAY;
  if (key === 'labels' && contract.labels === 'sparse' && contract.floatLabels) return 'class maps as floats';
  const value = contract[key];
  if (value === undefined) return undefined;
  const field: ContractFieldSpec = contractField(key);
  if (field.kind === 'integer') return field.display(value as number);
  return field.values.find((choice) => choice.value === value)?.display ?? String(value);
}
