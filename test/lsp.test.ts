/**
 * Protocol tests of `kubewire lsp --stdio`: a client written here spawns the compiled server and
 * drives it over JSON-RPC, as an editor would.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type {
  CodeAction,
  Diagnostic,
  FullDocumentDiagnosticReport,
  DocumentSymbol,
  Hover,
  Location,
} from 'vscode-languageserver/node.js';
import { FIXTURES } from './helpers.js';
import { LspClient, uri } from './lsp-client.js';

const APP = path.join(FIXTURES, 'lsp', 'app');

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-lsp-'));
  cpSync(APP, dir, { recursive: true });
  return dir;
}

const codes = (d: readonly Diagnostic[]) => d.map((x) => String(x.code)).sort();
const has = (code: string) => (d: readonly Diagnostic[]) => d.some((x) => x.code === code);
const lacks = (code: string) => (d: readonly Diagnostic[]) => !d.some((x) => x.code === code);

function hoverText(h: Hover | null): string {
  if (h === null) return '';
  const c = h.contents;
  return typeof c === 'object' && 'value' in c ? c.value : JSON.stringify(c);
}

/** The 0-based position of the first occurrence of `needle` (plus `shift` characters) in a text. */
function positionOf(text: string, needle: string, shift = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in text`);
  const before = text.slice(0, at + shift).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
}

describe('kubewire lsp --stdio', () => {
  let dir: string;
  let client: LspClient;
  let svc: string, dep: string, cfg: string, ing: string;
  let texts: Record<string, string>;

  before(async () => {
    dir = workspace();
    [svc, dep, cfg, ing] = ['service.yaml', 'deployment.yaml', 'config.yaml', 'ingress.yaml'].map((f) =>
      path.join(dir, f),
    ) as [string, string, string, string];
    texts = Object.fromEntries([svc, dep, cfg, ing].map((f) => [f, readFileSync(f, 'utf8')]));
    client = await LspClient.start({ folders: [dir], pull: true, initializationOptions: { debounceMs: 20 } });
  });
  after(() => {
    client.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics with range, code, docs link and source for open documents', async () => {
    await client.open(svc, texts[svc] ?? '');
    await client.open(dep, texts[dep] ?? '');
    const d = await client.diagnosticsFor(dep, has('configmap-ref-missing'));
    const finding = d.find((x) => x.code === 'configmap-ref-missing');
    assert.ok(finding);
    assert.equal(finding.source, 'kubewire');
    assert.equal(finding.severity, 1);
    assert.deepEqual(finding.range, { start: { line: 23, character: 22 }, end: { line: 23, character: 31 } });
    const href = finding.codeDescription?.href ?? '';
    assert.match(href, /^file:.*\/docs\/rules\/configmap-ref-missing\.md$/);
    assert.ok(existsSync(fileURLToPath(href)), `${href} exists`);
    assert.deepEqual(codes(await client.diagnosticsFor(svc, () => true)), []);
  });

  it('republishes the other open file when an edit breaks or fixes a cross-file link', async () => {
    const broken = (texts[dep] ?? '').replace('- name: http', '- name: htp');
    await client.change(dep, broken);
    const d = await client.diagnosticsFor(svc, has('service-target-port'), 'service-target-port');
    const finding = d.find((x) => x.code === 'service-target-port');
    assert.ok(finding);
    assert.match(finding.message, /did you mean `htp`/);
    const related = finding.relatedInformation?.[0];
    assert.equal(related?.location.uri, uri(dep));
    assert.equal(related.location.range.start.line, 18);
    await client.change(dep, texts[dep] ?? '');
    await client.diagnosticsFor(svc, lacks('service-target-port'), 'the diagnostic to clear');
  });

  it('clears a selector warning when the Service is fixed', async () => {
    await client.change(svc, (texts[svc] ?? '').replace('app: web', 'app: wbe'));
    await client.diagnosticsFor(svc, has('service-selector-no-pods'));
    await client.change(svc, texts[svc] ?? '');
    await client.diagnosticsFor(svc, lacks('service-selector-no-pods'));
  });

  it('answers pull diagnostics with the same items', async () => {
    const report = await client.request<FullDocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri: uri(dep) },
    });
    assert.equal(report.kind, 'full');
    assert.deepEqual(codes(report.items), ['configmap-ref-missing']);
    assert.deepEqual(report.items, client.diagnostics.get(uri(dep)));
  });

  it('hovers a selector, a targetPort, a probe port, an Ingress backend port and a reference', async () => {
    const s = texts[svc] ?? '';
    const d = texts[dep] ?? '';
    const ask = (file: string, text: string, needle: string, shift = 0) =>
      client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: uri(file) },
        position: positionOf(text, needle, shift),
      });
    const selector = hoverText(await ask(svc, s, 'app: web', 6));
    assert.match(selector, /Matches the pods of 1 workload/);
    assert.match(selector, /Deployment `shop\/web` \(2 pods\): `deployment\.yaml:4`/);
    assert.match(hoverText(await ask(svc, s, 'targetPort: http', 13)), /port `http=8080\/TCP` of container `web`/);
    assert.match(
      hoverText(await ask(dep, d, 'port: http', 7)),
      /Resolves to port `http=8080\/TCP` of container `web` of Deployment `shop\/web`/,
    );
    await client.open(ing, texts[ing] ?? '');
    assert.match(
      hoverText(await ask(ing, texts[ing] ?? '', 'name: http', 7)),
      /Service `shop\/web` port `80` resolves to:\n- port `http=8080\/TCP`/,
    );
    assert.match(hoverText(await ask(dep, d, 'web-confg', 2)), /Not defined in the input; did you mean `web-config`\?/);
    assert.equal(await ask(dep, d, 'image: nginx', 3), null);
  });

  it('goes to definitions through the resolved edges', async () => {
    const d = texts[dep] ?? '';
    const def = (file: string, text: string, needle: string, shift: number) =>
      client.request<Location[]>('textDocument/definition', {
        textDocument: { uri: uri(file) },
        position: positionOf(text, needle, shift),
      });
    const port = await def(svc, texts[svc] ?? '', 'targetPort: http', 13);
    assert.deepEqual(
      port.map((l) => [l.uri, l.range.start.line]),
      [[uri(dep), 19]],
    );
    const backend = await def(ing, texts[ing] ?? '', '                name: web', 22);
    assert.deepEqual(
      backend.map((l) => [l.uri, l.range.start.line, l.range.start.character]),
      [[uri(svc), 3, 8]],
    );
    const selector = await def(svc, texts[svc] ?? '', 'app: web', 6);
    assert.deepEqual(
      selector.map((l) => [l.uri, l.range.start.line]),
      [[uri(dep), 12]],
    );
    // Fix the typo, then the ConfigMap reference leads to the other file.
    await client.change(dep, d.replace('web-confg', 'web-config'));
    await client.diagnosticsFor(dep, lacks('configmap-ref-missing'));
    const cm = await def(dep, d.replace('web-confg', 'web-config'), 'web-config', 2);
    assert.deepEqual(
      cm.map((l) => [l.uri, l.range.start.line, l.range.start.character]),
      [[uri(cfg), 8, 8]],
    );
  });

  it('finds references back from a definition', async () => {
    await client.open(cfg, texts[cfg] ?? '');
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri(cfg) },
      position: positionOf(texts[cfg] ?? '', 'name: web-config', 8),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      refs.map((l) => [l.uri, l.range.start.line]),
      [[uri(dep), 23]],
    );
    const selecting = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri(dep) },
      position: positionOf(texts[dep] ?? '', 'name: web', 7),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      selecting.map((l) => [l.uri, l.range.start.line]),
      [
        [uri(dep), 3],
        [uri(svc), 6],
        [uri(svc), 20],
      ],
    );
    await client.change(dep, texts[dep] ?? '');
    await client.diagnosticsFor(dep, has('configmap-ref-missing'));
  });

  it('offers the did-you-mean quick fix and a disable comment', async () => {
    const diagnostics = await client.diagnosticsFor(dep, has('configmap-ref-missing'));
    const finding = diagnostics.find((x) => x.code === 'configmap-ref-missing');
    assert.ok(finding);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(dep) },
      range: finding.range,
      context: { diagnostics: [finding] },
    });
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Change to `web-config`', 'Disable configmap-ref-missing for this line'],
    );
    assert.deepEqual(actions[0]?.edit?.changes?.[uri(dep)], [{ range: finding.range, newText: 'web-config' }]);
    // The edit comes from the finding's structured suggestion, carried in the diagnostic's data.
    assert.deepEqual(finding.data, { suggestion: { replacement: 'web-config', range: finding.range } });
    // A client that does not send `data` back still gets it: the server finds its diagnostic again.
    const withoutData = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(dep) },
      range: finding.range,
      context: { diagnostics: [{ ...finding, data: undefined }] },
    });
    const edits = (list: CodeAction[]) => list.map((a) => [a.title, a.edit]);
    assert.deepEqual(edits(withoutData), edits(actions));
    assert.deepEqual(actions[1]?.edit?.changes?.[uri(dep)], [
      {
        range: { start: { line: 23, character: 0 }, end: { line: 23, character: 0 } },
        newText: '                # kubewire-disable-next-line configmap-ref-missing\n',
      },
    ]);
    // Applying the comment silences the finding.
    const lines = (texts[dep] ?? '').split('\n');
    lines.splice(23, 0, '                # kubewire-disable-next-line configmap-ref-missing');
    await client.change(dep, lines.join('\n'));
    await client.diagnosticsFor(dep, lacks('configmap-ref-missing'));
    await client.change(dep, texts[dep] ?? '');
    await client.diagnosticsFor(dep, has('configmap-ref-missing'));
  });

  it('lists one symbol per object', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: uri(cfg) },
    });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.range.start.line, s.selectionRange.start.line]),
      [
        ['Namespace shop', 0, 3],
        ['ConfigMap shop/web-config', 5, 8],
      ],
    );
  });

  it('survives garbage, half-typed YAML and binary content, then recovers', async () => {
    for (const text of ['kind: [', '\u0000\u0001\u0002binary', 'apiVersion: v1\nkind: 5\n---\n: : :\n', '']) {
      await client.change(svc, text);
      await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: uri(svc) },
        position: { line: 0, character: 1 },
      });
      await client.request('textDocument/documentSymbol', { textDocument: { uri: uri(svc) } });
    }
    await client.change(svc, 'kind: [');
    await client.diagnosticsFor(svc, has('yaml-syntax'));
    await client.change(svc, texts[svc] ?? '');
    await client.diagnosticsFor(svc, (d) => d.length === 0);
    assert.ok(client.process.exitCode === null, 'still running');
  });

  it('picks up files changed on disk, including .kubewire.yaml', async () => {
    // A ConfigMap created on disk satisfies the reference.
    const extra = path.join(dir, 'extra.yaml');
    writeFileSync(
      extra,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-confg\n  namespace: shop\ndata:\n  a: b\n',
    );
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(extra), type: 1 }],
    });
    await client.diagnosticsFor(dep, lacks('configmap-ref-missing'), 'the created file to satisfy the reference');
    rmSync(extra);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(extra), type: 3 }],
    });
    await client.diagnosticsFor(dep, has('configmap-ref-missing'), 'the deleted file to break it again');
    // The configuration turns the rule off.
    const config = path.join(dir, '.kubewire.yaml');
    writeFileSync(config, 'rules:\n  configmap-ref-missing: off\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(config), type: 1 }],
    });
    await client.diagnosticsFor(dep, lacks('configmap-ref-missing'), 'the configuration to apply');
    // A broken configuration is logged, and linting goes on with the defaults.
    writeFileSync(config, 'rules: [\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(config), type: 2 }],
    });
    await client.diagnosticsFor(dep, has('configmap-ref-missing'), 'the default configuration');
    await client.until(() => client.logs.find((l) => l.includes('.kubewire.yaml')), 'a log line');
    rmSync(config);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(config), type: 3 }],
    });
  });

  it('analyses a file outside every workspace folder on its own', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'kubewire-lone-'));
    try {
      const lone = path.join(outside, 'lone.yaml');
      const text = readFileSync(dep, 'utf8');
      writeFileSync(lone, text);
      await client.open(lone, text);
      // Alone, the Deployment's ConfigMap is missing too, but its namespace `shop` is not defined either.
      const d = await client.diagnosticsFor(lone, has('configmap-ref-missing'));
      assert.ok(!d.some((x) => x.code === 'service-target-port'));
      await client.close(lone);
      await client.diagnosticsFor(lone, (x) => x.length === 0);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('honours shutdown and exit', async () => {
    assert.equal(await client.stop(), 0);
  });
});

describe('kubewire lsp --stdio robustness', () => {
  it("keeps the parsed files in the command line's cache, restores them at the next start, and not with cache: false", async () => {
    const dir = workspace();
    // With node_modules, the cache is kept under it (on every platform), not in the user's cache folder.
    mkdirSync(path.join(dir, 'node_modules'));
    const cacheFolder = path.join(dir, 'node_modules', '.cache', 'kubewire');
    const svc = path.join(dir, 'service.yaml');
    const text = readFileSync(svc, 'utf8');
    /** Start a server, open the Service, and return its diagnostics and the cache line it logged. */
    const start = async (options: Record<string, unknown>) => {
      const client = await LspClient.start({
        folders: [dir],
        initializationOptions: { debounceMs: 0, cache: true, ...options },
      });
      try {
        await client.open(svc, text);
        const diagnostics = await client.diagnosticsFor(svc, () => true);
        const cacheLine = () => client.logs.find((l) => / files restored, /.test(l));
        if (options.cache !== false) await client.until(cacheLine, 'the cache written');
        assert.equal(await client.stop(), 0);
        return { diagnostics, cacheLine: cacheLine(), logs: client.logs.join('\n') };
      } finally {
        client.kill();
      }
    };
    try {
      const off = await start({ cache: false });
      assert.equal(off.cacheLine, undefined, off.logs);
      assert.equal(existsSync(cacheFolder), false, 'cache: false writes no cache');

      const cold = await start({});
      // The open buffer is not read from the disk: the other three files are parsed and stored.
      assert.match(cold.cacheLine ?? '', /: 0 files restored, 3 parsed$/, cold.logs);
      // Its own file, beside where the command line's would be.
      assert.deepEqual(
        readdirSync(cacheFolder).map((f) => f.replace(/[0-9a-f]{16}/, 'H')),
        ['editor-H.cache'],
      );
      const warm = await start({});
      assert.match(warm.cacheLine ?? '', /: 3 files restored, 0 parsed$/, warm.logs);
      assert.deepEqual(warm.diagnostics, cold.diagnostics);
      assert.deepEqual(off.diagnostics, cold.diagnostics);

      // Another configuration is another key: nothing is restored, and the files are parsed again.
      writeFileSync(path.join(dir, '.kubewire.yaml'), 'rules:\n  pdb-missing: off\n');
      const other = await start({});
      assert.match(other.cacheLine ?? '', /: 0 files restored, 3 parsed$/, other.logs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts with the arguments vscode-languageclient adds (--clientProcessId)', async () => {
    const dir = workspace();
    try {
      for (const args of [
        ['--stdio', '--stdio', `--clientProcessId=${String(process.pid)}`],
        ['--stdio', '--clientProcessId', String(process.pid)],
      ]) {
        const client = await LspClient.start({ folders: [dir], initializationOptions: { debounceMs: 0 }, args });
        try {
          const svc = path.join(dir, 'service.yaml');
          await client.open(svc, readFileSync(svc, 'utf8'));
          await client.diagnosticsFor(svc, () => true);
          assert.equal(await client.stop(), 0, client.logs.join('\n'));
        } finally {
          client.kill();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('carries on when the workspace folder does not exist', async () => {
    const missing = path.join(tmpdir(), 'kubewire-no-such-folder-for-lsp');
    const client = await LspClient.start({ folders: [missing], initializationOptions: { debounceMs: 0 } });
    try {
      const file = path.join(missing, 'a.yaml');
      await client.open(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
      await client.diagnosticsFor(file, (d) => d.length === 0);
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  });

  it('restarts a dead analysis worker, with the open buffers, and logs it', async () => {
    const dir = workspace();
    const client = await LspClient.start({
      folders: [dir],
      initializationOptions: { debounceMs: 0 },
      env: { KUBEWIRE_LSP_TEST_HOOKS: '1' },
    });
    try {
      const svc = path.join(dir, 'service.yaml');
      const dep = path.join(dir, 'deployment.yaml');
      const text = readFileSync(svc, 'utf8');
      await client.open(svc, text);
      await client.open(dep, readFileSync(dep, 'utf8'));
      await client.diagnosticsFor(dep, has('configmap-ref-missing'));
      // An edit only the buffer has (not the disk): the new worker must be sent it again.
      await client.change(svc, text.replace('app: web', 'app: wbe'));
      await client.diagnosticsFor(svc, has('service-selector-no-pods'));

      for (const round of [1, 2]) {
        await client.connection.sendNotification('kubewire/test/crashWorker');
        await client.until(
          () => (client.logs.filter((l) => /analysis worker was restarted/.test(l)).length >= round ? true : undefined),
          `restart ${String(round)}`,
        );
      }
      const stopped = client.logs.filter((l) =>
        /the analysis worker stopped \(exit code 1\); restarting it in/.test(l),
      );
      assert.equal(stopped.length, 2, client.logs.join('\n'));
      // Two deaths without a completed lint between them: the second waits twice as long.
      assert.match(stopped[0] ?? '', /in 100 ms$/);
      assert.match(stopped[1] ?? '', /in 200 ms \(2 times in a row\)$/);

      // The restarted worker has the buffer's text, and it answers queries and later edits.
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: uri(svc) },
        position: positionOf(text, 'app: web', 6),
      });
      assert.match(hoverText(hover), /No pods match|matches no pods|near miss/i);
      await client.change(svc, text);
      await client.diagnosticsFor(svc, lacks('service-selector-no-pods'), 'the fixed selector after the restart');
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
