import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as ts from 'typescript';
import * as operable from '../../src';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');

/** The documents whose ```ts blocks run: the README and every page of docs/. */
export function documents(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** One ```ts block of a document. */
export interface Snippet {
  /** Document path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest heading above the block. */
  readonly heading: string;
  readonly code: string;
  /** Set when the block is marked `<!-- snippet: not-run (reason) -->`: the reason. */
  readonly notRun?: string;
}

const NOT_RUN = /^<!--\s*snippet:\s*not-run\s*\((.+)\)\s*-->$/;

/** Every ```ts (or ```typescript) block of a Markdown document, with its heading and not-run marker. */
export function snippetsOf(file: string): Snippet[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) {
      if (/^#{1,6} /.test(lines[i])) heading = lines[i].replace(/^#+ /, '');
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: code fence never closed`);
    if (open[1] === 'ts' || open[1] === 'typescript') {
      let prev = i - 1;
      while (prev >= 0 && lines[prev].trim() === '') prev--;
      const marker = prev >= 0 ? NOT_RUN.exec(lines[prev].trim()) : null;
      snippets.push({ file, line: i + 1, heading, code: lines.slice(i + 1, end).join('\n'), notRun: marker?.[1].trim() });
    }
    i = end;
  }
  return snippets;
}

/** A short, unique name for a snippet (test titles, virtual file names). */
export function snippetName(s: Snippet): string {
  return `${s.file}:${s.line} (${s.heading})`;
}

/**
 * Run a snippet as written — `'cdk-operable'` resolved to this package's source, every other import as usual — and
 * return the `app` it defines (the convention: each snippet has its own imports and `const app = new App()`).
 */
export function runSnippet(s: Snippet): App {
  const js = ts.transpileModule(`${s.code}\nexports.__app = app;\n`, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: `${s.file.replace(/[^\w]/g, '_')}_${s.line}.ts`,
  });
  const exported: { __app?: App } = {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the snippet's own imports, resolved as written
  const load = (id: string) => (id === 'cdk-operable' ? operable : require(id));
  new Function('require', 'exports', js.outputText)(load, exported);
  if (!App.isApp(exported.__app)) throw new Error(`${snippetName(s)}: the snippet must define \`const app = new App()\``);
  return exported.__app;
}

/**
 * Type-check every snippet in one program, as a TypeScript user compiling it would (`'cdk-operable'` mapped to src/):
 * returns the diagnostics, by snippet name, of the snippets that do not compile.
 */
export function typeCheck(snippets: Snippet[]): Map<string, string[]> {
  const dir = path.join(ROOT, 'test', 'docs', '__snippets__');
  const files = new Map(snippets.map((s, i) => [path.join(dir, `snippet${i}.ts`), s]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'],
    types: ['jest', 'node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: ROOT,
    paths: { 'cdk-operable': ['src/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const s = files.get(path.resolve(name));
    return s ? ts.createSourceFile(name, s.code, version) : getSourceFile(name, version, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(path.resolve(name)) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const problems = new Map<string, string[]>();
  for (const [file, s] of files) {
    const sf = program.getSourceFile(file)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    if (diagnostics.length === 0) continue;
    problems.set(snippetName(s), diagnostics.map((d) => {
      const { line } = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1 };
      return `${s.file}:${s.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }));
  }
  return problems;
}
