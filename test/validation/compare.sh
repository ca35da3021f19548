#!/usr/bin/env bash
# Runs the real-PyTorch validation (test/validation/torch_probe_validation.py) and Loss Lens's quick
# probe on the same three loss files, and prints the verdicts side by side.
# Usage: npm run build && bash test/validation/compare.sh   (PYTHON=/usr/bin/python3 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-/usr/bin/python3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

"$PYTHON" test/validation/torch_probe_validation.py --json "$OUT/torch.json"
echo
# case | loss file | contract flags where the file carries no model context
run_cli() {
  node dist/cli.js diagnose "$2" --probe quick --json ${3:-} > "$OUT/$1.json" || true  # exits non-zero when it reports findings
}
run_cli argmax-dice examples/torch_argmax_dice.py ""
run_cli generalized-dice-unguarded test/validation/losses/generalized_dice_unguarded.py "--prediction probabilities --labels onehot"
run_cli sigmoid-on-sigmoid test/validation/losses/sigmoid_on_sigmoid_dice.py "--prediction probabilities --classes 1 --labels onehot"

"$PYTHON" - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
torch = json.load(open(f"{out}/torch.json"))["results"]
print(f"{'case':28} {'PyTorch verdict':24} {'Loss Lens probe verdict':24} {'PT Dice':>7} {'LL Dice':>7} {'PT pred/true fg %':>18} {'LL pred/true fg %':>18} match")
ok = True
for case in ["argmax-dice", "generalized-dice-unguarded", "sigmoid-on-sigmoid"]:
    t = next(r for r in torch if r["case"] == case and not r["reference"])
    loss = json.load(open(f"{out}/{case}.json"))["files"][0]["losses"][0]
    probe = loss["probe"]
    user = next(r for r in probe["runs"] if r["name"] == probe["user"])
    ll = [f["kind"] for f in probe["findings"]] or ["none"]
    same = sorted(ll) == sorted(t["verdicts"])
    ok &= same
    f = user["final"]
    print(f"{case:28} {', '.join(t['verdicts']):24} {', '.join(ll):24} {t['foregroundDice']:7.3f} {f['foregroundDice']:7.3f} "
          f"{100*t['predictedForeground']:8.3f}/{100*t['trueForeground']:<8.3f} {100*f['predictedForeground']:8.3f}/{100*f['trueForeground']:<8.3f} {'yes' if same else 'NO'}")
    print(f"{'':28} static findings: {', '.join(x.get('rule', x.get('kind', '?')) for x in loss['findings'])}")
sys.exit(0 if ok else 1)
PY
