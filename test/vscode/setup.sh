#!/usr/bin/env bash
# Installs what the real-VS-Code tests under test/vscode/ need, on a machine that reaches only
# Debian's apt and the npm registry. Idempotent: every step checks its result first and is skipped
# when it is there. Needs no stdin and runs as is under CI=true.
#
#   bash test/vscode/setup.sh                     # normally through `npm run test:vscode`
#   FORCE_SERVER=1 bash test/vscode/setup.sh      # reinstall code-server (native builds again)
#
# What it installs:
#   apt   chromium (the browser playwright-core drives: Playwright's own browser download is not
#         reachable), fonts-liberation (legible screenshots), ripgrep (repackaged below for
#         @vscode/ripgrep), libkrb5-dev (code-server's `kerberos` native module), build-essential
#         and python3 (node-gyp).
#   npm   test/vscode/server/      code-server 4.100.3 = VS Code 1.100.3 (last line on node 20),
#                                  pinned by its own package-lock.json; heavy native postinstall.
#         test/vscode/             playwright-core + mocha, pinned by test/vscode/package-lock.json.
# Everything installed lands in git-ignored folders (node_modules/, .tmp/).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVER="$HERE/server"
CODE_SERVER_VERSION="$(node -p "require('$SERVER/package.json').dependencies['code-server']")"
STAMP="$SERVER/node_modules/.installed-by-setup"   # written last, only after a complete install
T0=$SECONDS
say() { printf '[setup %3ds] %s\n' "$((SECONDS - T0))" "$*"; }

# Quiet, non-interactive npm; `yes` must be forced on because ~/.npmrc may say yes=false and
# node-pty's install script runs `npx node-gyp`. Node headers come from the local nodejs package
# (/usr/include/node) so node-gyp never downloads them.
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_loglevel="${npm_config_loglevel:-error}"
[ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr

# ------------------------------------------------------------------------------------------ node
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "setup: code-server $CODE_SERVER_VERSION runs on node 20 only (this is $(node -v))" >&2
  exit 1
fi

# ------------------------------------------------------------------------------------------- apt
apt_wanted=(chromium fonts-liberation ripgrep libkrb5-dev build-essential python3)
apt_missing=()
for pkg in "${apt_wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || apt_missing+=("$pkg")
done
if [ ${#apt_missing[@]} -eq 0 ]; then
  say "apt: ${apt_wanted[*]} already installed"
else
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  say "apt: installing ${apt_missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# ----------------------------------------------------------------------------------- code-server
server_ready() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$CODE_SERVER_VERSION $(sha1sum < "$SERVER/package-lock.json" | cut -c1-40)" ] \
    && [ -x "$SERVER/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]
}
if [ -z "${FORCE_SERVER:-}" ] && server_ready; then
  say "code-server $CODE_SERVER_VERSION already installed"
else
  rm -f "$STAMP"
  # 1. Unpack code-server and its direct dependencies without running any install script, so
  #    lib/vscode/npm-shrinkwrap.json tells which @vscode/ripgrep its own install will fetch.
  say "code-server $CODE_SERVER_VERSION: unpacking (scripts off)"
  (cd "$SERVER" && npm ci --ignore-scripts)
  rg_pkg="$(node -p "require('$SERVER/node_modules/code-server/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'].version")"

  # 2. @vscode/ripgrep's postinstall downloads a ripgrep release from GitHub unless
  #    $TMPDIR/vscode-ripgrep-cache-<package version>/ripgrep-<release>-<target>.tar.gz exists.
  #    The release tag is a constant in that package's lib/postinstall.js: read it from the tarball
  #    (one small registry fetch, also cached by npm), then pack Debian's /usr/bin/rg under that name.
  export TMPDIR="$HERE/.tmp"
  mkdir -p "$TMPDIR"
  pack_dir="$(mktemp -d)"
  (cd "$pack_dir" && npm pack "@vscode/ripgrep@$rg_pkg" --silent >/dev/null)
  rg_release="$(tar -xzOf "$pack_dir"/vscode-ripgrep-*.tgz package/lib/postinstall.js \
    | sed -n "s/^const VERSION = '\(v[^']*\)'.*/\1/p")"
  rm -rf "$pack_dir"
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) echo "setup: no ripgrep target for $(uname -m)" >&2; exit 1 ;;
  esac
  rg_cache="$TMPDIR/vscode-ripgrep-cache-$rg_pkg"
  rg_tarball="$rg_cache/ripgrep-${rg_release:?could not read the ripgrep release}-$rg_target.tar.gz"
  mkdir -p "$rg_cache"
  [ -s "$rg_tarball" ] || tar -czf "$rg_tarball" -C /usr/bin rg
  say "ripgrep: @vscode/ripgrep $rg_pkg will take $rg_tarball (Debian's rg)"

  # 3. Now the install scripts: argon2 (falls back to building from source), then code-server's
  #    postinstall.sh, which runs `npm install` in lib/vscode and lib/vscode/extensions (node-pty,
  #    spdlog, kerberos, parcel watcher... built by node-gyp). It insists on unsafe-perm as root.
  say "code-server $CODE_SERVER_VERSION: native builds (about a minute, more on a cold npm cache)"
  (cd "$SERVER" && npm_config_unsafe_perm=true npm rebuild --foreground-scripts >"$TMPDIR/rebuild.log" 2>&1) || {
    tail -n 60 "$TMPDIR/rebuild.log" >&2
    echo "setup: code-server's install scripts failed (full log: $TMPDIR/rebuild.log)" >&2
    exit 1
  }
  [ -x "$SERVER/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] || {
    echo "setup: code-server installed without its ripgrep binary" >&2; exit 1; }
  echo "$CODE_SERVER_VERSION $(sha1sum < "$SERVER/package-lock.json" | cut -c1-40)" > "$STAMP"
fi
# (--version writes a default config.yaml under XDG_CONFIG_HOME: keep it inside .tmp/.)
mkdir -p "$HERE/.tmp"
say "code-server reports: $(XDG_CONFIG_HOME="$HERE/.tmp/xdg-config" node "$SERVER/node_modules/code-server/out/node/entry.js" --version | tail -n 1)"

# ---------------------------------------------------------------------------------- harness deps
if [ -f "$HERE/node_modules/.package-lock.json" ] && [ ! "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ] \
   && [ -d "$HERE/node_modules/playwright-core" ] && [ -d "$HERE/node_modules/mocha" ]; then
  say "harness deps (playwright-core, mocha) already installed"
else
  say "harness deps: npm ci in test/vscode"
  (cd "$HERE" && npm ci)
fi

[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || { echo "setup: no chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}" >&2; exit 1; }
say "ready"
