/**
 * Build step (`npm run build`, after `tsc`): the command line bundled into one script with esbuild, and
 * V8's code cache of that script. Module loading and compiling were most of the start-up of a lint of one
 * small file: some 300 modules (the compiled tree of `src/` and `rules/`, the many CommonJS files of `yaml`
 * and `commander`) to resolve, read and compile, then every function compiled again on its first call.
 * One file removes the resolving; the code cache removes the compiling.
 *
 * The input is the compiled JavaScript of `dist/`, not the TypeScript: what is bundled is what the tests
 * run. The bundle is `dist/src/bundle/kubewire.cjs`, beside `dist/src/cli/`, so that the paths the code
 * resolves from its own location (`../../validators/`, `../../schemas/`, `../../../package.json`,
 * `../../../docs/rules/`, `../../../bin/kubewire.js`) reach the same files from the bundle as from the tree.
 *
 * It is CommonJS because only a classic script can be given a code cache on Node 20 (`vm.Script`'s
 * `cachedData`; `module.enableCompileCache` arrives in Node 22). `bin/kubewire.js` compiles it with
 * `vm.Script`, which cannot run `import()` without an experimental flag: a dynamic import of what the
 * bundle leaves out would be rewritten below to `__kwImport()`, which the launcher passes in. Left out of
 * the bundle, and loaded from `node_modules` when a run needs them: ajv and re2js (through `createRequire`).
 * The language server is in, with vscode-languageserver: its threads start the launcher again, which
 * compiles the bundle from the same code cache (src/lsp/threads.ts), so that its analysis worker loads the
 * engine and the rules as fast as a lint from the command line starts. globby is in: it is imported only
 * for globs (folders are walked by src/cli/files.ts), but loading its sixty files from `node_modules` cost
 * a glob over the demo ~200 ms CPU more (~650 instead of ~450), while leaving its 200 KB out of the bundle
 * saved other runs ~15 ms at most.
 *
 * The code cache is written by running the new bundle once over the demo application with
 * `KUBEWIRE_WRITE_CODE_CACHE=1` (bin/kubewire.js writes `kubewire.cjs.cache` at exit, with every function
 * that run compiled). V8 refuses a cache made by another V8 version or with other flags, and the launcher
 * then compiles as without one: a cache can make a run slower to start, never different. V8 checks only
 * the length of the source, so the cache starts with the name of the build (the bundle's hash, on its
 * last line), which the launcher compares: file times do not tell (npm install sets them as it unpacks).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outfile = join(root, 'dist', 'src', 'bundle', 'kubewire.cjs');

/**
 * The function the bundle's text is wrapped in (its value when the launcher runs the script): the arguments
 * of a CommonJS module, and the launcher's importer.
 */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname, __kwImport) {';
const WRAPPER_END = '\n})\n';

/** Packages loaded only when a run needs them, each from its own files. */
const EXTERNAL = ['ajv', 're2js'];

/**
 * commander requires node:child_process at load, only to spawn the executables of stand-alone subcommands,
 * which kubewire has none of: loading it (with net, dgram and their bindings) cost every run ~3 ms. In the
 * bundle it is required on the first spawn instead. The build fails if commander's line changes.
 */
const lazyChildProcess: Plugin = {
  name: 'commander-lazy-child-process',
  setup(plugin) {
    plugin.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const eager = "const childProcess = require('node:child_process');";
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(eager)) throw new Error(`${args.path}: commander no longer has the line ${eager}`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};

rmSync(dirname(outfile), { recursive: true, force: true });
const result = await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'run.js')],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  define: { 'import.meta.url': '__kwUrl' },
  banner: { js: "const __kwUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  // A third smaller without comments and indentation; names are kept, for the stack of an internal error.
  minifyWhitespace: true,
  charset: 'ascii',
  logLevel: 'warning',
  plugins: [lazyChildProcess],
  write: false,
});
const [output] = result.outputFiles;
if (output === undefined) throw new Error('esbuild wrote no bundle');

// Every dynamic import of a module left out of the bundle, through the launcher's importer.
const IMPORT = /\bimport\((["'][^"'\n]+["'])\)/g;
const code = output.text.replace(IMPORT, '__kwImport($1)');
if (/\bimport\(/.test(code))
  throw new Error('the bundle has an import( that is not of a string literal: check scripts/bundle.ts');
// Node reads a script that is not pure ASCII through a slow UTF-8 decoder (some 20 ms for this one).
// esbuild escapes strings (charset: 'ascii') but not regular expressions: escape the character in the source.
const nonAscii = /[\u0080-\uffff]/.exec(code);
if (nonAscii !== null)
  throw new Error(`the bundle is not ASCII: ${JSON.stringify(code.slice(nonAscii.index - 60, nonAscii.index + 20))}`);
// The CommonJS wrapper is written into the file, on its first line (line numbers in stack traces stay the
// bundle's own): the launcher compiles the file's text as it is read. Wrapping it there made V8 flatten the
// joined string, a second 1.6 MB copy of the source (some 400 page faults, 5 ms) before compiling.
const wrapped = `${WRAPPER_START}${code}${WRAPPER_END}`;
// The name of this build, on the last line: the launcher uses a code cache only if it was made from it.
const buildName = createHash('sha256').update(wrapped).digest('hex').slice(0, 32);
mkdirSync(dirname(outfile), { recursive: true });
writeFileSync(outfile, `${wrapped}//kubewire-build ${buildName}\n`);

// The code cache, from a run over the demo application (its exit code is 1: the demo has findings).
const run = spawnSync(process.execPath, [join(root, 'bin', 'kubewire.js'), join(root, 'test-fixtures', 'demo')], {
  cwd: root,
  env: { ...process.env, KUBEWIRE_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
  encoding: 'utf8',
});
const cache = `${outfile}.cache`;
if (!existsSync(cache))
  throw new Error(`the run that writes the code cache failed (exit ${String(run.status)}):\n${run.stderr}`);
const cacheBytes = statSync(cache).size;
process.stdout.write(`bundle: ${String(code.length)} bytes, code cache ${String(cacheBytes)} bytes\n`);
