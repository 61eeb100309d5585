/**
 * Language server latency, part of `npm run bench`, on ../shared/corpus/real opened as one workspace
 * folder (about 2,400 objects):
 *   - time to first diagnostics: from spawning `kubewire lsp --stdio` to the first diagnostics of an
 *     opened file, against the command line's time for the same folder;
 *   - fix-to-clear: a Service's selector is broken, then fixed with one didChange; the time from that
 *     didChange to the publication that clears its `service-selector-no-pods`, median and p95. It
 *     includes the server's debounce (its default unless --debounce is given);
 *   - time to first diagnostics again, when a second server starts on the folder with the cache the first
 *     one wrote (as when the editor is opened again).
 * Run alone with `node dist/scripts/bench-lsp.js [--rounds N] [--debounce MS]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspClient, uri } from '../test/lsp-client.js';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const REAL = path.resolve(ROOT, '..', 'shared', 'corpus', 'real');
const SERVICE_FILE = path.join(
  REAL,
  'GoogleCloudPlatform__microservices-demo',
  'kubernetes-manifests',
  'cartservice.yaml',
);
const SELECTOR_LINE = '    app: cartservice\n  ports:';
const BROKEN_LINE = '    app: cartservicx\n  ports:';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

/** CPU milliseconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
    const fields =
      readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/**
 * The command line on a folder: wall time, and CPU time from the preload that `npm run bench` times every
 * process with (scripts/bench-rss.ts).
 */
function runCli(folder: string): { wallMs: number; cpuMs: number | undefined; status: number | null; stderr: string } {
  const start = performance.now();
  const rss = pathToFileURL(path.join(ROOT, 'dist', 'scripts', 'bench-rss.js')).href;
  const run = spawnSync(
    process.execPath,
    ['--import', rss, path.join(ROOT, 'bin', 'kubewire.js'), folder, '-f', 'json'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const wallMs = performance.now() - start;
  const usage = /kubewire-bench-peak-rss-kib=\d+ cpu-us=(\d+)/.exec(run.stderr);
  return { wallMs, cpuMs: usage ? Number(usage[1]) / 1000 : undefined, status: run.status, stderr: run.stderr };
}

const cpu = (n: number | undefined) => (n === undefined ? 'CPU ?' : `CPU ${n.toFixed(0)} ms`);

/** Both measures with `folder` as the one workspace folder. */
async function benchFolder(
  folder: string,
  label: string,
  options: { rounds: number; debounceMs?: number },
): Promise<void> {
  const text = readFileSync(SERVICE_FILE, 'utf8');
  if (!text.includes(SELECTOR_LINE))
    throw new Error(`${SERVICE_FILE} no longer has the Service selector the bench edits`);

  const cli = runCli(folder);
  if (cli.status !== 0 && cli.status !== 1) throw new Error(`the command line failed: ${cli.stderr}`);

  // The server's cache (of a folder without node_modules) goes to a folder of this run: the first start
  // finds it empty, the second finds what the first wrote.
  const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'kubewire-bench-lsp-cache-'));
  const initializationOptions = {
    cache: true,
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
  };
  const first = async () => {
    const start = performance.now();
    const client = await LspClient.start({
      folders: [folder],
      initializationOptions,
      env: { XDG_CACHE_HOME: cacheHome },
    });
    await client.open(SERVICE_FILE, text);
    await client.diagnosticsFor(SERVICE_FILE, () => true, 'first diagnostics', 600_000);
    return { client, firstMs: performance.now() - start, firstCpu: cpuOf(client.process.pid) };
  };
  const { client, firstMs, firstCpu } = await first();
  try {
    // Written once, after the first lint: wait for it, so that it is not timed as part of an edit.
    await client.until(
      () => (client.logs.some((l) => l.includes(' files restored, ')) ? true : undefined),
      'the cache',
    );
    const selectorProblem = (d: { code?: unknown }[]) => d.some((x) => x.code === 'service-selector-no-pods');
    if (selectorProblem(client.diagnostics.get(uri(SERVICE_FILE)) ?? []))
      throw new Error('the Service selects nothing before the edit');

    const times: number[] = [];
    const cpus: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      await client.change(SERVICE_FILE, text.replace(SELECTOR_LINE, BROKEN_LINE));
      await client.diagnosticsFor(SERVICE_FILE, selectorProblem, 'the broken selector', 600_000);
      const t = performance.now();
      const c = cpuOf(client.process.pid);
      await client.change(SERVICE_FILE, text);
      await client.diagnosticsFor(SERVICE_FILE, (d) => !selectorProblem(d), 'the fixed selector', 600_000);
      times.push(performance.now() - t);
      const after = cpuOf(client.process.pid);
      if (c !== undefined && after !== undefined) cpus.push(after - c);
    }
    times.sort((a, b) => a - b);
    cpus.sort((a, b) => a - b);
    const load = os.loadavg()[0] ?? NaN;
    console.log(
      `language server on ${label}, one workspace folder (load average ${load.toFixed(1)}, ` +
        `${String(os.availableParallelism())} CPUs):\n` +
        `  time to first diagnostics ${ms(firstMs)}, server ${cpu(firstCpu)} ` +
        `(spawn → initialize → didOpen → publish); ` +
        `command line on the same folder ${ms(cli.wallMs)}, ${cpu(cli.cpuMs)}\n` +
        `  fix-to-clear (didChange fixing a Service selector → the diagnostic cleared), ${times.length} rounds, ` +
        `debounce ${options.debounceMs === undefined ? 'default' : ms(options.debounceMs)}: ` +
        `median ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, min ${ms(times[0] ?? NaN)}; ` +
        `server CPU median ${cpus.length > 0 ? ms(percentile(cpus, 50)) : '?'}, ` +
        `p95 ${cpus.length > 0 ? ms(percentile(cpus, 95)) : '?'}`,
    );
    await client.stop();
  } finally {
    client.kill();
  }
  try {
    // A second start on the same folder, as when the editor is opened again: the files come from the cache.
    const again = await first();
    console.log(
      `  time to first diagnostics again (the files restored from the cache the first start wrote) ` +
        `${ms(again.firstMs)}, server ${cpu(again.firstCpu)}`,
    );
    await again.client.stop();
    again.client.kill();
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
  }
}

export async function benchLsp(options: { rounds: number; debounceMs?: number }): Promise<void> {
  if (!existsSync(SERVICE_FILE)) {
    console.log(`language server latency: skipped (${REAL} is absent)`);
    return;
  }
  await benchFolder(REAL, 'shared corpus (real, 8 repositories)', options);
  await benchFolder(
    path.join(REAL, 'GoogleCloudPlatform__microservices-demo'),
    'one repository of it (microservices-demo)',
    options,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const debounce = option('--debounce');
  await benchLsp({
    rounds: Number(option('--rounds') ?? '10'),
    ...(debounce !== undefined ? { debounceMs: Number(debounce) } : {}),
  });
}
