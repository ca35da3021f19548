// The engine worker: runs off the extension host thread and answers protocol requests.
import { parentPort } from 'node:worker_threads';
import { LossProgram, InterpreterError, initBackend, backendFromEnvironment } from './engine';
import type { FileSummary, WorkerRequest, WorkerResponse } from './protocol';

const post = (message: WorkerResponse) => parentPort?.postMessage(message);

parentPort?.on('message', async (request: WorkerRequest) => {
  if (request.type !== 'checkFile') return;
  try {
    const backend = await initBackend(backendFromEnvironment());
    const program = await LossProgram.load(request.source);
    const definitions: FileSummary['definitions'] = [];
    for (const stmt of program.module.body) {
      if (stmt.kind === 'def') definitions.push({ name: stmt.def.name, kind: 'function', line: stmt.range.line });
      if (stmt.kind === 'class') definitions.push({ name: stmt.name, kind: 'class', line: stmt.range.line });
    }
    const notes = program.loadNotes.map((n) => ({ kind: n.kind, message: n.message, line: n.range.line }));
    program.dispose();
    post({ type: 'result', id: request.id, summary: { backend, definitions, notes } });
  } catch (error) {
    const line = error instanceof InterpreterError ? error.line : undefined;
    post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error), line });
  }
});
