// One throw-away code-server per test run: its own user-data, extensions, config, XDG and TMPDIR
// folders under the run folder, a free port on 127.0.0.1, its own process group.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HARNESS } from './paths.mjs';

export const CODE_SERVER = join(HARNESS, 'server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

// User settings written before the first start, so the workbench opens straight onto the folder:
// no welcome page or walkthrough, no trust prompt, no update/telemetry/recommendation traffic.
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

/** Processes started here that must not outlive this node process, by process-group id. */
const groups = new Set();
function killGroupsNow() {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  groups.clear();
}
// Last line of defence: whatever way node leaves (an uncaught error, process.exit, a signal),
// code-server and its extension host and pty host go with it.
process.on('exit', killGroupsNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping code-server`);
    killGroupsNow();
    process.exit(130);
  });
}

/** The state folders of a code-server run under `runDir` (extensions there unless given). */
function stateDirs(runDir, extensionsDir) {
  const dirs = Object.fromEntries(
    ['user-data', 'extensions', 'tmp', 'xdg-config', 'xdg-data', 'xdg-cache'].map((name) => [name, join(runDir, name)]),
  );
  if (extensionsDir) dirs.extensions = extensionsDir;
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

/** code-server's environment: its temp, config and state inside the run folder, no gallery. */
function serverEnv(dirs, env = {}) {
  return {
    ...process.env,
    // The VS Code server puts its IPC sockets in os.tmpdir(); code-server its default config and
    // state under XDG folders. Keep all of it inside the run folder.
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    // No extension gallery: code-server would otherwise query open-vsx.org (unreachable here).
    EXTENSIONS_GALLERY: '{}',
    ...env, // the extension host inherits this environment: the way to hand settings to the tests
  };
}

/**
 * `code-server --install-extension FILE.vsix` into the extensions folder a later
 * startCodeServer({ runDir, extensionsDir }) uses. Returns code-server's output.
 * @param {{ runDir: string, vsix: string, extensionsDir?: string, timeoutMs?: number }} options
 */
export function installExtension({ runDir, vsix, extensionsDir, timeoutMs = 60_000 }) {
  if (!existsSync(CODE_SERVER))
    throw new Error(`code-server is not installed (${CODE_SERVER}): run bash test/vscode/setup.sh`);
  const dirs = stateDirs(runDir, extensionsDir);
  const result = spawnSync(
    process.execPath,
    [
      CODE_SERVER,
      '--user-data-dir',
      dirs['user-data'],
      '--extensions-dir',
      dirs.extensions,
      '--install-extension',
      vsix,
    ],
    { env: serverEnv(dirs), encoding: 'utf8', timeout: timeoutMs },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.status !== 0)
    throw new Error(
      `code-server --install-extension ${vsix} failed (${result.error?.message ?? `exit ${result.status}`}): ${output}`,
    );
  return output;
}

/**
 * @typedef {object} CodeServerOptions
 * @property {string} runDir
 * @property {Record<string, string>} [env]
 * @property {Record<string, unknown>} [settings] user settings on top of the quiet defaults
 * @property {string} [extensionsDir] instead of <runDir>/extensions
 * @property {boolean} [trust] workspace trust on (folders open in restricted mode, without a prompt) instead of off
 * @property {number} [startTimeoutMs]
 */
/**
 * @typedef {object} CodeServer
 * @property {string} url
 * @property {string} authority
 * @property {number} pid
 * @property {string} logFile
 * @property {string} userData
 * @property {() => string} log
 * @property {() => Promise<void>} stop
 */
/**
 * @param {CodeServerOptions} options
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer({
  runDir,
  env = {},
  settings = {},
  extensionsDir,
  trust = false,
  startTimeoutMs = 30_000,
}) {
  if (!existsSync(CODE_SERVER))
    throw new Error(`code-server is not installed (${CODE_SERVER}): run bash test/vscode/setup.sh`);
  const dirs = stateDirs(runDir, extensionsDir);
  mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
  const trustSettings = trust ? { 'security.workspace.trust.enabled': true } : {};
  writeFileSync(
    join(dirs['user-data'], 'User', 'settings.json'),
    JSON.stringify({ ...SETTINGS, ...trustSettings, ...settings }, null, 2),
  );
  const config = join(runDir, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');

  const logFile = join(runDir, 'code-server.log');
  const logStream = createWriteStream(logFile);
  const args = [
    CODE_SERVER,
    '--config',
    config,
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0', // a free port, read back from the log
    '--user-data-dir',
    dirs['user-data'],
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--disable-proxy',
  ];
  const child = spawn(process.execPath, args, {
    detached: true, // its own process group: stop() ends the extension host and pty host too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(dirs, env),
  });
  groups.add(child.pid);
  let seen = '';
  const onOutput = (chunk) => {
    logStream.write(chunk);
    if (seen.length < 100_000) seen += chunk;
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`code-server did not listen within ${startTimeoutMs} ms:\n${seen}`)),
      startTimeoutMs,
    );
    const poll = setInterval(() => {
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[1]);
      }
    }, 50);
    exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening:\n${seen}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });

  for (let i = 0; i < 100; i++) {
    // /healthz answers once the HTTP side is ready
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const kill = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5000);
      await exited;
      clearTimeout(kill);
    }
    // The group may outlive its leader (an extension host that ignores SIGTERM): make sure.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* nothing left */
    }
    groups.delete(child.pid);
    await new Promise((r) => logStream.end(r));
  }

  return {
    url,
    authority: new URL(url).host,
    pid: child.pid,
    logFile,
    userData: dirs['user-data'],
    log: () => readFileSync(logFile, 'utf8'),
    stop,
  };
}
