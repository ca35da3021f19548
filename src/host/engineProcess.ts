// One engine process (dist/engineHost.js) as the host sees it: forked, its messages, and why it
// stopped when it does (its own word, else a V8 fatal error from its stderr, else its exit status).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { EngineRequest, EngineResponse, WorkerResponse } from '../protocol';
import type { EngineHostConfig } from './engineHost';

/** The line of a V8 crash report that says what happened ("# Fatal JavaScript invalid size error 1440…"). */
const FATAL_LINES = [/Fatal JavaScript|FATAL ERROR/, /out of memory|Aborted\(|Fatal error/i];
const STDERR_TAIL_CHARS = 8192;

export class EngineProcess {
  private readonly child: ChildProcess;
  private stderrTail = '';
  private stoppedBecause?: string;
  private exited = false;

  constructor(
    extensionPath: string,
    config: EngineHostConfig,
    onResponse: (response: WorkerResponse) => void,
    onExit: (reason: string) => void,
  ) {
    this.child = fork(join(extensionPath, 'dist', 'engineHost.js'), [JSON.stringify(config)], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // In the extension host, process.execPath is the editor's binary: run it as plain node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.child.on('message', (message: EngineResponse) => {
      if (message.type === 'engine-stopped') this.stoppedBecause = message.reason;
      else onResponse(message);
    });
    let reported = false;
    const exit = (reason: string) => {
      this.exited = true;
      if (reported) return;
      reported = true;
      onExit(reason);
    };
    this.child.on('error', (error) => exit(error.message));
    // 'close' waits for stderr to end, so a crash report is read whole.
    this.child.on('close', (code, signal) => exit(this.stoppedBecause ?? this.crashReason(code, signal)));
  }

  send(request: EngineRequest): void {
    if (this.child.connected) this.child.send(request);
  }

  /** Ends the process now (a request it does not give up, the host closing). */
  kill(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('close', () => resolve());
      this.child.kill('SIGKILL');
    });
  }

  private crashReason(code: number | null, signal: NodeJS.Signals | null): string {
    const lines = this.stderrTail.split('\n').map((line) => line.replace(/^[#\s]+/, '').trim());
    // A V8 crash report's verdict, else the last error the process printed (a script that failed to load).
    const fatal =
      FATAL_LINES.map((pattern) => lines.find((line) => pattern.test(line))).find(Boolean) ??
      [...lines].reverse().find((line) => /^\w*Error\b/.test(line));
    const status = signal ? `signal ${signal}` : `exit code ${code}`;
    const what = fatal?.replace(/\s*\(see crbug\.com\/\d+\)/, '');
    return what ? `${what}, ${status}` : status;
  }
}
