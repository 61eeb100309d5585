/**
 * Language server latency, part of `npm run bench`, on ../shared/corpus/real opened as one workspace
 * folder (about 2,400 objects):
 *   - time to first diagnostics: from spawning `kubewire lsp --stdio` to the first diagnostics of an
 *     opened file, against the command line's time for the same folder;
 *   - fix-to-clear: a Service's selector is broken, then fixed with one didChange; the time from that
 *     didChange to the publication that clears its `service-selector-no-pods`, median and p95. It
 *     includes the server's debounce (its default unless --debounce is given).
 * Run alone with `node dist/scripts/bench-lsp.js [--rounds N] [--debounce MS]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Both measures with `folder` as the one workspace folder. */
async function benchFolder(
  folder: string,
  label: string,
  options: { rounds: number; debounceMs?: number },
): Promise<void> {
  const text = readFileSync(SERVICE_FILE, 'utf8');
  if (!text.includes(SELECTOR_LINE))
    throw new Error(`${SERVICE_FILE} no longer has the Service selector the bench edits`);

  const cliStart = performance.now();
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kubewire.js'), folder, '-f', 'json'], {
    maxBuffer: 1 << 28,
  });
  const cliMs = performance.now() - cliStart;
  if (cli.status !== 0 && cli.status !== 1) throw new Error(`the command line failed: ${cli.stderr.toString()}`);

  const start = performance.now();
  const client = await LspClient.start({
    folders: [folder],
    initializationOptions: options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs },
  });
  try {
    await client.open(SERVICE_FILE, text);
    await client.diagnosticsFor(SERVICE_FILE, () => true, 'first diagnostics', 600_000);
    const firstMs = performance.now() - start;
    const selectorProblem = (d: { code?: unknown }[]) => d.some((x) => x.code === 'service-selector-no-pods');
    if (selectorProblem(client.diagnostics.get(uri(SERVICE_FILE)) ?? []))
      throw new Error('the Service selects nothing before the edit');

    const times: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      await client.change(SERVICE_FILE, text.replace(SELECTOR_LINE, BROKEN_LINE));
      await client.diagnosticsFor(SERVICE_FILE, selectorProblem, 'the broken selector', 600_000);
      const t = performance.now();
      await client.change(SERVICE_FILE, text);
      await client.diagnosticsFor(SERVICE_FILE, (d) => !selectorProblem(d), 'the fixed selector', 600_000);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `language server on ${label}, one workspace folder:\n` +
        `  time to first diagnostics ${ms(firstMs)} (spawn → initialize → didOpen → publish); ` +
        `command line on the same folder ${ms(cliMs)}\n` +
        `  fix-to-clear (didChange fixing a Service selector → the diagnostic cleared), ${times.length} rounds, ` +
        `debounce ${options.debounceMs === undefined ? 'default' : ms(options.debounceMs)}: ` +
        `median ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, min ${ms(times[0] ?? NaN)}`,
    );
    await client.stop();
  } finally {
    client.kill();
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
