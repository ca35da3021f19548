// Loads tree-sitter and the Python grammar (both WebAssembly, shipped next to the bundle) and
// turns source text into the interpreter's AST, caching by source text. Parsing is bounded: sources
// past a size are refused at once (tree-sitter aborts on ~20 MB, after a minute), a parse stops
// after a while, and a parser that failed in any way is never used again: the next one is a fresh
// copy of tree-sitter with its own WebAssembly memory (an aborted instance fails every later parse;
// a stopped one would resume the stopped parse on the next text).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';
import type { Module } from './ast';
import { blankComments } from './blankComments';
import { convertModule, findSyntaxError } from './treeSitterToAst';
import { InterpreterError } from './errors';
import { cpythonSyntaxProblem } from './syntax/cpython';

export interface ParseBounds {
  /** Longer sources (in UTF-16 code units, about bytes for code) are refused before parsing. */
  maxChars: number;
  /** tree-sitter stops after this long. */
  timeoutMs: number;
}

/**
 * 2 MiB, as for the project's modules (MAX_SOURCE_BYTES): parsing and checking take about 6 s per MB
 * of dense code on a busy 2-core machine, so the bounds hold a parse to tens of seconds.
 */
export const DEFAULT_PARSE_BOUNDS: ParseBounds = { maxChars: 2 * 1024 * 1024, timeoutMs: 20_000 };

/** Where a runtime file is: next to the bundle in dist/, or in dist/ when run unbundled. */
function runtimeFile(file: string): string {
  const candidates = [join(__dirname, file), join(__dirname, '..', 'dist', file)];
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  return join(__dirname, file); // reported as missing with this path
}

/** A copy of web-tree-sitter of its own: the library keeps one WebAssembly instance per loaded copy. */
function freshLibrary(): typeof TreeSitter {
  const path = runtimeFile('tree-sitter.cjs');
  const load = createRequire(__filename);
  delete load.cache[path];
  return load(path) as typeof TreeSitter;
}

const megabytes = (chars: number) => `${(chars / 1024 / 1024).toFixed(1)} MB`;
const FILE_START = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** One tree-sitter instance with the Python grammar; retired at its first failure. */
export class PythonParser {
  private failure?: string;

  private constructor(private readonly parser: TreeSitter.Parser) {}

  static async load(): Promise<PythonParser> {
    const { Parser, Language } = freshLibrary();
    // Its abort messages go to our error, not to the console.
    await Parser.init({ locateFile: () => runtimeFile('tree-sitter.wasm'), printErr: () => {} });
    const language = await Language.load(runtimeFile('tree-sitter-python.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return new PythonParser(parser);
  }

  get retired(): boolean {
    return this.failure !== undefined;
  }

  /** tree-sitter's tree of `text`, within `timeoutMs`; a failure is thrown and retires the parser. */
  tree(text: string, timeoutMs: number, file?: string): TreeSitter.Tree {
    if (this.failure) throw parseLimit(`the parser failed on an earlier file (${this.failure})`, file);
    const deadline = Date.now() + timeoutMs;
    let tree: TreeSitter.Tree | null;
    try {
      tree = this.parser.parse(text, null, { progressCallback: () => Date.now() > deadline });
    } catch (error) {
      this.failure = (error as Error).message.split('.')[0]; // "Aborted()"
      throw parseLimit(`the parser failed on ${megabytes(text.length)} of source (${this.failure})`, file);
    }
    if (!tree) {
      this.failure = 'stopped on time';
      throw parseLimit(`parsing took longer than ${timeoutMs / 1000} s`, file);
    }
    return tree;
  }
}

/** The error of a parse that could not be done, at the start of the file (an imported one names itself). */
const parseLimit = (message: string, file?: string) =>
  new InterpreterError('limit', message, file === undefined ? undefined : { ...FILE_START, file });

let current: Promise<PythonParser> | undefined;

/** The parser in use, or a fresh one when it failed (or never loaded). */
export async function initPythonParser(): Promise<PythonParser> {
  const parser = await current?.catch(() => undefined);
  if (!parser || parser.retired)
    current = PythonParser.load().catch((error: unknown) => {
      current = undefined; // a later call tries again
      throw error;
    });
  return current!;
}

const cache = new Map<string, Module>();
const CACHE_SIZE = 64;

/**
 * Parses with an initialised parser; a syntax error is thrown as an InterpreterError with its line.
 * `file` names an imported project module: its ranges carry it (the diagnosed file's do not).
 */
export function parsePython(
  parser: PythonParser,
  source: string,
  file?: string,
  bounds: ParseBounds = DEFAULT_PARSE_BOUNDS,
): Module {
  if (source.length > bounds.maxChars) {
    const size = `${megabytes(source.length)}, more than the ${megabytes(bounds.maxChars)} Loss Lens parses`;
    throw parseLimit(`the source is too large to analyse (${size})`, file);
  }
  const key = file === undefined ? source : `${file}\0${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const tree = parser.tree(blankComments(source), bounds.timeoutMs, file);
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
