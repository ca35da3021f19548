// Seeded hostile Python sources for the fuzz suite (fuzz.test.mjs, bench/fuzz.mjs): the cases the
// hardening work names (resource bombs, endless loops, deep nesting, refused calls) and random
// mutations of the fixture corpus (deleted tokens, swapped or repeated lines, truncation, huge
// literals, nesting). The same seed gives the same cases.
import { readFileSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, engine } from './helpers.mjs';

/** Where the escape attempts aim: files that must never appear, in the project, the home folder and /tmp. */
export const ESCAPE_TARGETS = [ROOT, homedir(), tmpdir()].map((dir) => join(dir, 'loss-lens-fuzz-pwned'));
/** A file the escape attempts try to delete or overwrite (the suite creates it and checks it stays). */
export const CANARY = join(tmpdir(), 'loss-lens-fuzz-canary.txt');
const target = (r) => JSON.stringify(pick(r, ESCAPE_TARGETS));
const canary = JSON.stringify(CANARY);

const HEADER = 'import torch\nimport numpy as np\n\n';
const lossWith = (body) => `${HEADER}def dice_loss(pred, target):\n${body}\n    return (pred * target).mean()\n`;

/** The hand-written hostile cases: each a loss body, or a whole module. */
const TEMPLATES = [
  () => lossWith('    s = (0,) * 10**6\n    for _ in range(10):\n        s = s + s'),
  () => lossWith("    s = 'x' * 10**6\n    t = ''.join([s] * 500)"),
  () => lossWith('    n = 10 ** 10 ** 10'),
  () => lossWith('    x = list(range(10 ** 12))'),
  () => lossWith('    while True:\n        pass'),
  () =>
    `${HEADER}def f(n):\n    try:\n        return f(n + 1)\n    finally:\n        return f(n + 1)\n\n` +
    'def dice_loss(pred, target):\n    return f(0) + (pred * target).mean()\n',
  () => lossWith('    big = torch.ones(4096, 4096)\n    x = torch.cat([big] * 100)'),
  () => lossWith('    a = []\n    a.append(a)\n    s = str(a)'),
  (r) => lossWith(`    import os\n    os.system("touch " + ${target(r)})`),
  (r) => lossWith(`    open(${target(r)}, "w").write("x")`),
  (r) => lossWith(`    np.save(${target(r)}, pred.detach().numpy())`),
  (r) => lossWith(`    torch.save(pred, ${target(r)})`),
  (r) => lossWith(`    import pathlib\n    pathlib.Path(${target(r)}).write_text("x")`),
  (r) => lossWith(`    import os\n    os.makedirs(${target(r)}, exist_ok=True)`),
  () => lossWith(`    import os\n    os.remove(${canary})`),
  () => lossWith(`    import shutil\n    shutil.copy(__file__, ${canary})`),
  () => lossWith(`    open(${canary}, "a").write("x")`),
  (r) => lossWith(`    import subprocess\n    subprocess.run(["touch", ${target(r)}])`),
  (r) => lossWith(`    getattr(__builtins__, "open")(${target(r)}, "w")`),
  (r) => lossWith(`    import tensorflow as tf\n    tf.io.write_file(${target(r)}, "x")`),
  () => lossWith("    eval(\"__import__('os').system('true')\")"),
  (r) => lossWith(`    x = ${'('.repeat(50 + Math.floor(r() * 5000))}1${')'.repeat(50 + Math.floor(r() * 5000))}`),
  (r) => lossWith(`    x = ${Array.from({ length: 100 + Math.floor(r() * 4000) }, () => '1').join(' + ')}`),
  (r) => {
    const depth = 10 + Math.floor(r() * 300);
    const body = Array.from({ length: depth }, (_, i) => `${'    '.repeat(i + 1)}if True:`).join('\n');
    return lossWith(`${body}\n${'    '.repeat(depth + 1)}pass`);
  },
  () => lossWith('    x = pred\n    for _ in range(40):\n        x = torch.cat([x, x], dim=0)'),
  () => lossWith('    t = torch.zeros(*([1] * 7 + [3]))\n    x = (t + 0.2).sum()'),
  () =>
    `${HEADER}class Meta(type):\n    pass\n\nclass DiceLoss(torch.nn.Module, metaclass=Meta):\n` +
    '    def forward(self, pred, target):\n        return (pred * target).mean()\n',
  () => 'import torch\rdef dice_loss(pred, target):\r    return (pred * target).mean()\r',
];

let corpus;
/** The fixture sources the mutations start from. */
function fixtures() {
  corpus ??= ['examples', 'test/diagnose/fixtures']
    .flatMap((dir) =>
      readdirSync(join(ROOT, dir), { recursive: true })
        .filter((f) => f.endsWith('.py'))
        .map((f) => readFileSync(join(ROOT, dir, f), 'utf8')),
    )
    .sort();
  return corpus;
}

const pick = (r, items) => items[Math.floor(r() * items.length)];

const MUTATIONS = [
  // delete a token
  (r, lines) => {
    const i = Math.floor(r() * lines.length);
    const tokens = lines[i].split(/(\s+|[()[\]{},:.=])/);
    tokens.splice(Math.floor(r() * tokens.length), 1);
    lines[i] = tokens.join('');
  },
  // swap two lines
  (r, lines) => {
    const [i, j] = [Math.floor(r() * lines.length), Math.floor(r() * lines.length)];
    [lines[i], lines[j]] = [lines[j], lines[i]];
  },
  // repeat a line
  (r, lines) => {
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[i]);
  },
  // truncate
  (r, lines) => {
    lines.length = Math.max(1, Math.floor(r() * lines.length));
  },
  // a huge literal in place of a number
  (r, lines) => {
    const i = Math.floor(r() * lines.length);
    lines[i] = lines[i].replace(/\b\d+(\.\d+)?\b/, pick(r, ['10**10**6', '1e308 * 1e308', '(1 << 100000)', '10**6']));
  },
  // nest an expression deeply
  (r, lines) => {
    const i = Math.floor(r() * lines.length);
    const depth = 1 + Math.floor(r() * 400);
    lines[i] = lines[i].replace(/= (.+)$/, (_, e) => `= ${'('.repeat(depth)}${e}${')'.repeat(depth)}`);
  },
  // change the indentation of a line
  (r, lines) => {
    const i = Math.floor(r() * lines.length);
    lines[i] = pick(r, ['', '  ', '\t', '        ']) + lines[i].trimStart();
  },
];

/** Case `index` of the suite seeded with `seed`: `{ name, source }`. */
export function hostileSource(seed, index) {
  const r = engine.seededRandom(seed * 1_000_003 + index);
  if (index % 4 === 0) {
    const template = TEMPLATES[(index / 4) % TEMPLATES.length];
    return { name: `template-${(index / 4) % TEMPLATES.length}`, source: template(r) };
  }
  const base = pick(r, fixtures());
  const lines = base.split('\n');
  const steps = 1 + Math.floor(r() * 3);
  const applied = [];
  for (let s = 0; s < steps; s++) {
    const m = Math.floor(r() * MUTATIONS.length);
    MUTATIONS[m](r, lines);
    applied.push(m);
  }
  return { name: `mutation-${applied.join('-')}`, source: lines.join('\n') };
}
