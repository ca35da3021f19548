// Which keys of a loss's one dict argument hold the prediction and the labels. The keys' own
// names decide first (prediction, logits, y_pred / ground_truth, gt, target, mask); then the names
// the code gives their values (`predict = d['x']`, a helper's parameters); then what it does with
// them (softmax of the prediction, `.long()` or one-hot of the labels, F.cross_entropy's slots),
// which is a guess. No clear pair, or a key the loss cannot do without that is neither: unclear,
// and the diagnosis asks for an --entry rather than guessing.
import type { KeyRead, MappingReads } from './queries/dictReads';

type Role = 'prediction' | 'labels';

/** How a pair was decided: by the keys, by the names of their values, or by their use (a guess). */
export type PairEvidence = 'keys' | 'names' | 'usage';

export interface KeyPair {
  /** The prediction's key; more than one when the loss reads several heads (`out`, `aux`). */
  prediction: string[];
  labels: string;
  /** Keys read with `.get` / under a `'key' in d` test: left out, as trainers pass them only when configured. */
  optional: string[];
  by: PairEvidence;
}

/** How a loss that takes one dict is called (DiscoveredLoss.dictInput, set by dictInput.ts). */
export interface DictInput extends KeyPair {
  /** The parameter the dict is passed as. */
  param: string;
  /** Where the labels' key is read (the evidence for the contract's argument order). */
  line: number;
  file?: string;
}

/** Unclear: the question the code leaves open, and the role each key was given (for an --entry example). */
export type KeyPairing =
  { pair: KeyPair } | { unclear: string; roles: Map<string, Role | undefined>; labelFree?: true };

const KEY_PREDICTION = new RegExp(
  '^(y_?pred|preds?|predictions?|predicted|logits?|outputs?|outs?|probs?|probas?|probabilities|scores?|y_?hat' +
    '|net_?outputs?)$',
  'i',
);
const KEY_LABELS =
  /^(y_?true|true|targets?|gts?|ground_?truths?|labels?|masks?|truths?|annotations?|y|seg_?gt|gt_?seg)$/i;
/** 'seg' is a network's segmentation output next to labels, the labels next to a prediction. */
const KEY_EITHER = /^(seg|segs|segmentation|segmentations)$/i;
/** Auxiliary heads of deep supervision, beside a main prediction. */
const KEY_HEAD = /^(aux\w*|\w*_aux|ds_?\d+|deep_?sup\w*|side_?\w*)$/i;
/** The network's input image, which a data loader's dict holds beside the labels: neither role. */
const KEY_IMAGE = /^(images?|imgs?|volumes?|raw|intensit(y|ies))$/i;
/** Labels proper, before a mask (which may be a valid-pixel mask beside them). */
const STRONG_LABELS = /true|target|gt|ground|label|truth|annotation/i;

const NAME_PREDICTION = /pred|logit|prob|output|score|hat/i;
const NAME_LABELS = /true|target|label|mask|gt|truth|(^|_)y($|_)|annot/i;

function byKey(key: string): Role | 'either' | undefined {
  if (KEY_PREDICTION.test(key)) return 'prediction';
  if (KEY_LABELS.test(key)) return 'labels';
  return KEY_EITHER.test(key) ? 'either' : undefined;
}

/** What the names of a value say, when they agree with each other. */
function byNames(read: KeyRead): Role | undefined {
  const prediction = read.names.some((n) => NAME_PREDICTION.test(n));
  const labels = read.names.some((n) => NAME_LABELS.test(n));
  return prediction === labels ? undefined : prediction ? 'prediction' : 'labels';
}

/** What the code does with a value, when it says one thing. */
function byUsage(read: KeyRead): Role | undefined {
  const prediction = read.activated || read.slot === 'prediction';
  const labels = read.integer || read.slot === 'labels';
  return prediction === labels ? undefined : prediction ? 'prediction' : 'labels';
}

const quoted = (keys: readonly string[]) => keys.map((k) => `'${k}'`).join(', ');

/** The prediction and labels keys among those a loss reads, or why they are unclear. */
export function pairKeys(reads: MappingReads): KeyPairing {
  const all = [...reads.keys.values()];
  const roles = new Map<string, { role: Role; by: PairEvidence }>();
  const decide = (by: PairEvidence, roleOf: (read: KeyRead) => Role | undefined) => {
    for (const read of all) {
      const role = roles.has(read.key) || KEY_IMAGE.test(read.key) ? undefined : roleOf(read);
      if (role) roles.set(read.key, { role, by });
    }
  };
  decide('keys', (read) => {
    const role = byKey(read.key);
    return role === 'either' ? undefined : role;
  });
  // 'seg' takes the side the other keys leave open.
  const taken = (role: Role) => [...roles.values()].some((r) => r.role === role);
  decide('keys', (read) =>
    byKey(read.key) !== 'either'
      ? undefined
      : taken('labels') && !taken('prediction')
        ? 'prediction'
        : taken('prediction') && !taken('labels')
          ? 'labels'
          : undefined,
  );
  // Auxiliary heads beside a prediction the keys name ('out', 'aux').
  if (taken('prediction')) decide('keys', (read) => (KEY_HEAD.test(read.key) ? 'prediction' : undefined));
  // The stronger evidence decides alone: names only for keys their own names leave open, usage last.
  const needed = () => !taken('prediction') || !taken('labels') || all.some((r) => r.required && !roles.has(r.key));
  if (needed()) decide('names', byNames);
  if (needed()) decide('usage', byUsage);
  const keysOf = (role: Role) => all.filter((r) => roles.get(r.key)?.role === role);
  let labels = keysOf('labels');
  // Two label-like keys (a mask beside the ground truth): the one named for labels, if just one is.
  if (labels.length > 1 && labels.filter((r) => STRONG_LABELS.test(r.key)).length === 1)
    labels = labels.filter((r) => STRONG_LABELS.test(r.key));
  // Several label-like keys the loss can do without: the one it cannot.
  if (labels.length > 1 && labels.filter((r) => r.required).length === 1) labels = labels.filter((r) => r.required);
  const predictions = keysOf('prediction');
  const required = predictions.filter((r) => r.required);
  const prediction = required.length ? required : predictions.slice(0, 1);
  const found = new Map(all.map((r) => [r.key, roles.get(r.key)?.role]));
  const unclear = (question: string): KeyPairing => ({ unclear: question, roles: found });
  // "the labels are under 'y'"; a role read from the code's use of a key alone is said as what it seems.
  const under = (what: 'the prediction' | 'the labels', keys: KeyRead[]) => {
    const guessed = keys.some((r) => roles.get(r.key)?.by === 'usage');
    const verb = what === 'the labels' ? (guessed ? 'seem to be' : 'are') : guessed ? 'seems to be' : 'is';
    return `${what} ${verb} under ${quoted(keys.map((r) => r.key))}`;
  };
  const rest = (keys: KeyRead[]) => quoted(all.filter((r) => !keys.includes(r)).map((r) => r.key));
  const one = (keys: KeyRead[]) => all.length - keys.length === 1;
  if (!prediction.length && labels.length === 1)
    return unclear(
      `${under('the labels', labels)}; ` +
        (one(labels) ? `is ${rest(labels)} the prediction?` : `which of ${rest(labels)} holds the prediction?`),
    );
  if (prediction.length && !labels.length) {
    const at = under('the prediction', prediction);
    const open = all.filter((r) => !predictions.includes(r) && !KEY_IMAGE.test(r.key));
    const images = all.filter((r) => KEY_IMAGE.test(r.key)).map((r) => r.key);
    // An entropy or level-set loss reads the prediction (and the image) only: no labels to give it.
    if (!open.length)
      return {
        ...unclear(`${at} and no key holds labels${images.length ? ` (${quoted(images)}: the network's input)` : ''}`),
        labelFree: true,
      };
    const keys = quoted(open.map((r) => r.key));
    return unclear(`${at}; ${open.length === 1 ? `is ${keys} the labels?` : `which of ${keys} holds the labels?`}`);
  }
  if (labels.length > 1)
    return unclear(`${quoted(labels.map((r) => r.key))} could each be the labels: which are they?`);
  if (!prediction.length) return unclear('which are the prediction and the labels?');
  const used = new Set([...prediction.map((r) => r.key), labels[0].key]);
  const others = all.filter((r) => r.required && !used.has(r.key)).map((r) => r.key);
  if (others.length)
    return unclear(
      `the prediction is under ${quoted(prediction.map((r) => r.key))} and the labels under ` +
        `${quoted([labels[0].key])}, but nothing says what ${quoted(others)} ${others.length === 1 ? 'holds' : 'hold'}`,
    );
  const levels: PairEvidence[] = ['keys', 'names', 'usage'];
  const by = [...used].map((key) => roles.get(key)!.by).sort((a, b) => levels.indexOf(b) - levels.indexOf(a))[0];
  return {
    pair: {
      prediction: prediction.map((r) => r.key),
      labels: labels[0].key,
      optional: all.filter((r) => !used.has(r.key)).map((r) => r.key),
      by,
    },
  };
}
