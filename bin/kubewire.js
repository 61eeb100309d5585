#!/usr/bin/env node
// Start the bundled command line, dist/src/bundle/kubewire.cjs (scripts/bundle.ts): one script, compiled
// from V8's code cache beside it when V8 accepts it, instead of some 300 modules to load and compile.
//
// The compiled tree (dist/src/cli/run.js) runs instead when there is no bundle, when the bundle is older
// than the last `tsc` (dist/.tsbuildinfo, absent from the package: a `tsc` without `npm run build` must not
// leave a stale bundle in use). `--version` is answered here from package.json, with no module loaded. The
// threads of the language server start this file again (src/lsp/threads.ts), so that they run the bundle
// too. A code cache made from another build of the bundle is not used.
// KUBEWIRE_WRITE_CODE_CACHE=1 (the build sets it) writes the cache at exit; KUBEWIRE_DEBUG_START=1 says
// on standard error which was started (test/bundle.test.ts).
//
// This file is CommonJS (bin/package.json): an ES module entry point costs Node some 10 ms more to start.
'use strict';
const { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'src', 'bundle', 'kubewire.cjs');
const cacheFile = `${bundle}.cache`;
/** @param {string} file */
const modified = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = modified(bundle);
const compiled = modified(path.join(root, 'dist', '.tsbuildinfo'));
/**
 * Whether the bundle starts with the CommonJS wrapper that scripts/bundle.ts writes into it: the bundle of
 * an older build (a checkout updated without a rebuild) has none, and its text is not a function to call.
 */
const wrapped = () => {
  const start = '(function (exports, ';
  try {
    const fd = openSync(bundle, 'r');
    try {
      const head = Buffer.alloc(start.length);
      return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === start;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
};

const [command, ...rest] = process.argv.slice(2);
/** @param {string} how */
const debug = (how) => {
  if (process.env.KUBEWIRE_DEBUG_START === '1') process.stderr.write(`kubewire: started from ${how}\n`);
};
if (rest.length === 0 && (command === '--version' || command === '-v')) {
  // The version alone, from the package's package.json as src/cli/version.ts reads it: no module to load.
  debug('the launcher');
  process.stdout.write(`${JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version}\n`);
  // Then exit without Node's tear-down of the environment, as src/cli/run.ts does after a run (~9 ms).
  process.once('beforeExit', () => process.exit());
} else if (bundled < 0 || bundled < compiled || !wrapped()) {
  debug('the compiled tree');
  void import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'run.js')).href);
} else {
  // `kubewire lsp`: its analysis worker starts now, to compile the bundle while this thread does; the server
  // takes it from the global (src/lsp/threads.ts). Unref'd: a run that does not start the server exits.
  // node:worker_threads is loaded for that alone (~2 ms a run).
  // The arguments editors pass (src/cli/run.ts lspArguments): `--stdio` and `--clientProcessId[=]<pid>`.
  const lsp = command === 'lsp' && rest.every((a) => a === '--stdio' || /^(--clientProcessId(=\d+)?|\d+)$/.test(a));
  const threads = lsp ? require('node:worker_threads') : null;
  if (threads?.isMainThread) {
    const worker = new threads.Worker(path.join(__dirname, 'kubewire.js'), {
      workerData: { kubewireAnalysisWorker: true },
      argv: [],
    });
    worker.unref();
    /** @type {Record<symbol, unknown>} */ (globalThis)[Symbol.for('kubewire.analysisWorker')] = worker;
  }
  // The bundle is ASCII (scripts/bundle.ts checks): read as Latin-1, several times faster than as UTF-8.
  const source = readFileSync(bundle).toString('latin1');
  // Its last line names the build; the cache starts with the name of the build it was made from.
  const build = Buffer.from(`${source.slice(source.lastIndexOf('\n', source.length - 2) + 1).trim()}\n`, 'latin1');
  const writeCache = process.env.KUBEWIRE_WRITE_CODE_CACHE === '1';
  /** @type {Buffer | undefined} */
  let cachedData;
  try {
    const cache = writeCache ? undefined : readFileSync(cacheFile);
    if (cache?.subarray(0, build.length).equals(build)) cachedData = cache.subarray(build.length);
  } catch {
    // No cache: compile without one.
  }
  // The bundle is a function expression (scripts/bundle.ts writes the CommonJS wrapper into the file): its
  // text is compiled as read, with no second copy of it.
  const script = new vm.Script(source, { filename: bundle, cachedData });
  debug(
    `the bundle, code cache ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used'}`,
  );
  if (writeCache)
    process.once('exit', () => writeFileSync(cacheFile, Buffer.concat([build, script.createCachedData()])));
  const base = pathToFileURL(bundle);
  /** @param {string} specifier */
  const importer = (specifier) => import(specifier.startsWith('.') ? new URL(specifier, base).href : specifier);
  const module = { exports: {} };
  /** @type {Function} */ (script.runInThisContext())(
    module.exports,
    createRequire(bundle),
    module,
    bundle,
    path.dirname(bundle),
    importer,
  );
}
