// Loads tree-sitter and the Python grammar (both WebAssembly, shipped next to the bundle) and
// turns source text into the interpreter's AST, caching by source text.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { Module } from './ast';
import { convertModule, findSyntaxError } from './treeSitterToAst';
import { InterpreterError } from './errors';
import { cpythonSyntaxProblem } from './syntax/cpython';

let parserPromise: Promise<Parser> | undefined;

/** Where the .wasm files are: next to the bundle in dist/, or in node_modules when run unbundled. */
function wasmPath(file: string): string {
  const candidates = [join(__dirname, file), join(__dirname, '..', 'dist', file)];
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  return join(__dirname, file); // reported as missing by Language.load with this path
}

export function initPythonParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init({ locateFile: () => wasmPath('tree-sitter.wasm') });
    const language = await Language.load(wasmPath('tree-sitter-python.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

const cache = new Map<string, Module>();
const FILE_START = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const CACHE_SIZE = 64;

/**
 * Parses with an initialised parser; a syntax error is thrown as an InterpreterError with its line.
 * `file` names an imported project module: its ranges carry it (the diagnosed file's do not).
 */
export function parsePython(parser: Parser, source: string, file?: string): Module {
  const key = file === undefined ? source : `${file}\0${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const tree = parser.parse(source);
  if (!tree)
    throw new InterpreterError('syntax', 'the source could not be parsed', file ? { ...FILE_START, file } : undefined);
  try {
    // CPython's verdict, not tree-sitter's: it forgives indentation errors and Python 2 statements.
    const problem = cpythonSyntaxProblem(tree.rootNode, source, findSyntaxError(tree.rootNode));
    if (problem) {
      const { type, message, line, column } = problem;
      const range = { line, column, endLine: line, endColumn: column + 1, ...(file === undefined ? {} : { file }) };
      throw new InterpreterError('syntax', `${type}: ${message}`, range, type);
    }
    const module = convertModule(tree.rootNode, source, file);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, module);
    return module;
  } finally {
    tree.delete(); // tree-sitter trees live in wasm memory and are not garbage-collected
  }
}
