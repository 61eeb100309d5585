/**
 * Differential test of the language server: after every edit of a sequence (buffers changed, files
 * created and deleted on disk, kustomizations and `.kubewire.yaml` changed, documents opened and closed),
 * the diagnostics the server holds for every file of the workspace must equal those of an analysis from
 * scratch of the same texts (a new Project, loaded and linted once). Random sequences on a generated
 * workspace of several folders (fast-check), and a few edits on ../shared/corpus/real when it is present.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Diagnostic, FullDocumentDiagnosticReport } from 'vscode-languageserver/node.js';
import { rules } from '../rules/index.js';
import { Project } from '../src/lsp/project.js';
import { LspClient, uri } from './lsp-client.js';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const REAL = path.resolve(ROOT, '..', 'shared', 'corpus', 'real');

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
const at = (r: Range) => `${String(r.line)}:${String(r.column)}-${String(r.endLine)}:${String(r.endColumn)}`;
const fromLsp = (r: Diagnostic['range']) =>
  at({
    line: r.start.line + 1,
    column: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });

/** Every finding of an analysis from scratch of `dir`, one line each, by absolute file. */
async function fromScratch(dir: string): Promise<Map<string, string[]>> {
  const project = new Project(dir);
  await project.load({}, rules);
  project.lint(rules, {}, () => false);
  const out = new Map<string, string[]>();
  for (const source of project.sourcesByPath.values()) out.set(project.absolute(source.path), []);
  for (const f of project.result?.findings ?? []) {
    const related = f.related.map((r) => `${project.absolute(r.file)}@${at(r)}`).join(',');
    out
      .get(project.absolute(f.file))
      ?.push(`${at(f)} ${f.ruleId} ${String(SEVERITY[f.severity])} ${f.message} [${related}]`);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** What the server holds for each of `files` (pull diagnostics wait until every edit sent is analysed). */
async function fromServer(client: LspClient, files: Iterable<string>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const file of files) {
    const report = await client.request<FullDocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri: uri(file) },
    });
    out.set(
      file,
      report.items
        .map((d) => {
          const related = (d.relatedInformation ?? [])
            .map((r) => `${fileURLToPath(r.location.uri)}@${fromLsp(r.location.range)}`)
            .join(',');
          return `${fromLsp(d.range)} ${String(d.code)} ${String(d.severity)} ${d.message} [${related}]`;
        })
        .sort(),
    );
  }
  return out;
}

/** Compare the server's diagnostics of every file with an analysis from scratch. */
async function assertSame(client: LspClient, dir: string, step: string): Promise<void> {
  const expected = await fromScratch(dir);
  const actual = await fromServer(client, expected.keys());
  for (const [file, list] of expected)
    assert.deepEqual(actual.get(file), list, `after ${step}: the diagnostics of ${path.relative(dir, file)}`);
}

// ---------------------------------------------------------------------------------------------
// A generated workspace of several folders

const NAMES = ['web', 'api', 'db'] as const;
const NAMESPACES = [undefined, 'shop', 'default'] as const;
const FOLDERS = ['', 'apps/a', 'apps/b', 'apps/b/overlay', 'lib'] as const;
const FILES = ['one.yaml', 'two.yaml'] as const;

interface ObjectSpec {
  kind: 'Deployment' | 'Service' | 'ConfigMap';
  name: (typeof NAMES)[number];
  namespace: (typeof NAMESPACES)[number];
  /** The label or selector value, or the port name, or the referenced ConfigMap: right or off by one letter. */
  typo: boolean;
}

const objectSpec: fc.Arbitrary<ObjectSpec> = fc.record({
  kind: fc.constantFrom('Deployment', 'Service', 'ConfigMap'),
  name: fc.constantFrom(...NAMES),
  namespace: fc.constantFrom(...NAMESPACES),
  typo: fc.boolean(),
});

function render(o: ObjectSpec): string {
  const meta = `metadata:\n  name: ${o.name}\n${o.namespace === undefined ? '' : `  namespace: ${o.namespace}\n`}`;
  const t = o.typo ? 'x' : '';
  switch (o.kind) {
    case 'Deployment':
      return (
        `apiVersion: apps/v1\nkind: Deployment\n${meta}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n` +
        `      app: ${o.name}\n  template:\n    metadata:\n      labels:\n        app: ${o.name}\n    spec:\n` +
        `      containers:\n        - name: main\n          image: example.com/${o.name}:1.0\n          ports:\n` +
        `            - name: http${t}\n              containerPort: 8080\n          envFrom:\n` +
        `            - configMapRef:\n                name: ${o.name}-config\n`
      );
    case 'Service':
      return (
        `apiVersion: v1\nkind: Service\n${meta}spec:\n  selector:\n    app: ${o.name}${t}\n  ports:\n` +
        `    - port: 80\n      targetPort: http\n`
      );
    case 'ConfigMap':
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${o.name}-config${t}\n${o.namespace === undefined ? '' : `  namespace: ${o.namespace}\n`}data:\n  a: b\n`;
  }
}

const fileText = fc.array(objectSpec, { minLength: 0, maxLength: 3 }).map((os) => os.map(render).join('---\n'));

const file = fc.record({ folder: fc.constantFrom(...FOLDERS), name: fc.constantFrom(...FILES) });

type Edit =
  | { op: 'write'; folder: string; name: string; text: string }
  | { op: 'delete'; folder: string; name: string }
  | { op: 'open'; folder: string; name: string }
  | { op: 'close'; folder: string; name: string }
  | { op: 'kustomize'; folder: string; namespace: string | undefined; resources: string[] }
  /**
   * A burst of changes to an open document, each after a pause of a few milliseconds (none to longer than a
   * lint of the workspace): lints are cancelled, or finish and reply after a newer change (stale).
   */
  | { op: 'type'; texts: [string, number][] }
  | { op: 'config'; text: string | undefined };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ op: fc.constant('write' as const), text: fileText })
      .chain((e) => file.map((f) => ({ ...e, ...f }))),
  },
  { weight: 2, arbitrary: file.map((f) => ({ op: 'delete' as const, ...f })) },
  { weight: 2, arbitrary: file.map((f) => ({ op: 'open' as const, ...f })) },
  { weight: 1, arbitrary: file.map((f) => ({ op: 'close' as const, ...f })) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('type' as const),
      texts: fc.array(fc.tuple(fileText, fc.integer({ min: 0, max: 30 })), { minLength: 2, maxLength: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('kustomize' as const),
      folder: fc.constantFrom(...FOLDERS),
      namespace: fc.constantFrom(undefined, 'shop', 'other'),
      resources: fc.subarray([...FILES, '../lib', 'overlay']),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('config' as const),
      text: fc.constantFrom(
        undefined,
        'rules:\n  configmap-ref-missing: off\n',
        'namespace: shop\n',
        'ignore:\n  - apps/b/**\n',
        'rules: [\n',
      ),
    }),
  },
);

/** The workspace as the edits leave it: open documents hold the same text as the disk. */
class Workspace {
  readonly open = new Set<string>();
  /** Always open, never deleted: a project is analysed while one of its documents is open. */
  readonly anchor: string;

  constructor(
    readonly dir: string,
    readonly client: LspClient,
  ) {
    this.anchor = path.join(dir, 'apps', 'a', 'anchor.yaml');
  }

  abs(folder: string, name: string): string {
    return path.join(this.dir, folder, name);
  }

  private async watched(file: string, type: 1 | 2 | 3): Promise<void> {
    await this.client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(file), type }],
    });
  }

  /** Write a file on disk and tell the server, as a file watcher would (created or changed). */
  private async writeWatched(file: string, text: string): Promise<void> {
    const existed = existsSync(file);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    await this.watched(file, existed ? 2 : 1);
  }

  async apply(e: Edit): Promise<void> {
    switch (e.op) {
      case 'write': {
        const f = this.abs(e.folder, e.name);
        if (!this.open.has(f)) return this.writeWatched(f, e.text);
        writeFileSync(f, e.text);
        await this.client.change(f, e.text);
        return;
      }
      case 'delete': {
        const f = this.abs(e.folder, e.name);
        if (!existsSync(f)) return;
        if (this.open.delete(f)) await this.client.close(f);
        rmSync(f);
        await this.watched(f, 3);
        return;
      }
      case 'open': {
        const f = this.abs(e.folder, e.name);
        if (!existsSync(f) || this.open.has(f)) return;
        this.open.add(f);
        await this.client.open(f, readFileSync(f, 'utf8'));
        return;
      }
      case 'close': {
        const f = this.abs(e.folder, e.name);
        if (this.open.delete(f)) await this.client.close(f);
        return;
      }
      case 'type': {
        for (const [text, pause] of e.texts) {
          await new Promise((resolve) => setTimeout(resolve, pause));
          await this.client.change(this.anchor, text);
        }
        writeFileSync(this.anchor, e.texts.at(-1)?.[0] ?? '');
        return;
      }
      case 'kustomize': {
        const ns = e.namespace === undefined ? '' : `namespace: ${e.namespace}\n`;
        return this.writeWatched(
          this.abs(e.folder, 'kustomization.yaml'),
          `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${ns}resources:\n${e.resources.map((r) => `  - ${r}\n`).join('')}`,
        );
      }
      case 'config': {
        const f = path.join(this.dir, '.kubewire.yaml');
        if (e.text !== undefined) return this.writeWatched(f, e.text);
        if (!existsSync(f)) return;
        rmSync(f);
        await this.watched(f, 3);
        return;
      }
    }
  }
}

describe('language server diagnostics equal an analysis from scratch after every edit', () => {
  it('on random edit sequences of a generated workspace (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(file, fileText), { minLength: 2, maxLength: 6 }),
        fc.array(edit, { minLength: 1, maxLength: 8 }),
        async (initial, edits) => {
          const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-lsp-diff-'));
          const client = await LspClient.start({
            folders: [dir],
            pull: true,
            initializationOptions: { debounceMs: 5 },
            env: { KUBEWIRE_LSP_TEST_HOOKS: '1' },
          });
          // Lints reply 20 ms late: edits made meanwhile (see 'type') make their replies stale.
          await client.connection.sendNotification('kubewire/test/replyDelay', 20);
          try {
            const ws = new Workspace(dir, client);
            for (const [f, text] of initial) {
              mkdirSync(path.join(dir, f.folder), { recursive: true });
              writeFileSync(ws.abs(f.folder, f.name), text);
            }
            mkdirSync(path.dirname(ws.anchor), { recursive: true });
            writeFileSync(ws.anchor, render({ kind: 'Service', name: 'web', namespace: undefined, typo: false }));
            await client.open(ws.anchor, readFileSync(ws.anchor, 'utf8'));
            await assertSame(client, dir, 'opening the workspace');
            for (const [i, e] of edits.entries()) {
              await ws.apply(e);
              await assertSame(client, dir, `edit ${String(i)} ${JSON.stringify(e)}`);
            }
          } finally {
            client.kill();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it(
    'on ../shared/corpus/real: a broken selector, a comment, a renamed Service, the file emptied and restored',
    { skip: !existsSync(REAL) },
    async () => {
      const app = path.join(REAL, 'GoogleCloudPlatform__microservices-demo', 'kubernetes-manifests');
      const service = path.join(app, 'cartservice.yaml');
      const text = readFileSync(service, 'utf8');
      // The corpus is not ours to edit: the buffer changes, the disk stays; the analysis from scratch reads
      // a copy of the corpus with the same change instead.
      const client = await LspClient.start({
        folders: [REAL],
        pull: true,
        initializationOptions: { debounceMs: 5 },
      });
      const copy = mkdtempSync(path.join(tmpdir(), 'kubewire-lsp-corpus-'));
      try {
        cpSync(REAL, copy, { recursive: true });
        const mirror = (f: string) => path.join(copy, path.relative(REAL, f));
        const compare = async (step: string) => {
          const expected = await fromScratch(copy);
          const actual = await fromServer(
            client,
            [...expected.keys()].map((f) => path.join(REAL, path.relative(copy, f))),
          );
          for (const [f, list] of expected) {
            const original = path.join(REAL, path.relative(copy, f));
            const mapped = (actual.get(original) ?? []).map((line) => line.replaceAll(REAL, copy));
            assert.deepEqual(mapped, list, `after ${step}: the diagnostics of ${path.relative(copy, f)}`);
          }
        };
        await client.open(service, text);
        await compare('opening the corpus');
        const steps: [string, string][] = [
          ['a broken selector', text.replace('    app: cartservice\n  ports:', '    app: cartservicx\n  ports:')],
          // The server reuses the findings of rules whose reads no edit touches (src/incremental.ts): a comment
          // moves what follows it in the Service's document, whose value stays the same.
          ['a comment in the Service', text.replace('kind: Service\n', 'kind: Service\n# a comment\n')],
          ['a renamed Service', text.replace('name: cartservice\n', 'name: cartservice2\n')],
          ['the Service removed', ''],
          ['the file restored', text],
        ];
        for (const [step, changed] of steps) {
          writeFileSync(mirror(service), changed);
          await client.change(service, changed);
          await compare(step);
        }
      } finally {
        client.kill();
        rmSync(copy, { recursive: true, force: true });
      }
    },
  );
});
