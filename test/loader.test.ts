/**
 * The loader and the engine on bad input: every problem with a file or a document becomes one
 * finding at an exact position, nothing throws, and the documents that can be read are still
 * linted. Then the CLI shell: flags, exit codes, file discovery, configuration and colour.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { readSourceSync } from '../src/cli/files.js';
import { main } from '../src/cli/main.js';
import { VERSION } from '../src/cli/version.js';
import { lint } from '../src/engine.js';
import { formatRulesJson } from '../src/format/rules.js';
import { createSource } from '../src/load/source.js';
import type { SourceOptions } from '../src/load/source.js';
import { parseEqualitySelector } from '../src/resolve/selectors.js';
import type { Finding, KObject, Source } from '../src/types.js';

interface Linted {
  source: Source;
  findings: Finding[];
  objects: readonly KObject[];
  /** `rule severity line:column-endLine:endColumn message` of every finding. */
  all: string[];
  /** The same, for the findings of the syntax category (yaml-syntax, manifest-shape, file-unreadable, helm-template). */
  syntax: string[];
}

function brief(f: Finding): string {
  return `${f.ruleId} ${f.severity} ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}`;
}

/** Lint one file with every rule; no rule may fail. */
function lintOne(content: string | Uint8Array, file = 'test.yaml', options: SourceOptions = {}): Linted {
  const source = createSource(file, content, options);
  const result = lint([source], { rules });
  assert.deepEqual(result.ruleFailures, [], 'no rule may throw');
  return {
    source,
    findings: result.findings,
    objects: result.graph.objects,
    all: result.findings.map(brief),
    syntax: result.findings.filter((f) => f.category === 'syntax').map(brief),
  };
}

/** Duplicate-key findings (the rule may name the key in its message), checking that every finding is one. */
function duplicates(l: Linted): string[] {
  for (const f of l.findings)
    assert.match(f.message, /^duplicate key\b.*: the later value silently replaces the earlier one/);
  return l.findings.map((f) => `${f.ruleId} ${f.severity} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`);
}

const names = (objects: readonly KObject[]) => objects.map((o) => `${o.kind}/${o.name}`);
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

const CONFIGMAP_BAD_NS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: 5\n';
const BAD_NS_AT_5_14 =
  'manifest-shape error 5:14-5:15 `metadata.namespace` must be a string, got the number 5; quote it';
const YAML_QUOTE =
  'YAML syntax error: quoted string is not closed, or one of its continuation lines is indented no deeper than its key (YAML 1.2 requires indenting continuation lines)';

describe('loader: unreadable content', () => {
  it('reports a binary file once, at 1:1, and builds nothing', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const l = lintOne(png, 'logo.yaml');
    assert.equal(l.source.skipped?.reason, 'binary');
    assert.deepEqual(l.all, [
      'file-unreadable error 1:1-1:1 file contains NUL bytes: it looks binary, not YAML or JSON',
    ]);
    assert.equal(l.objects.length, 0);
  });

  it('finds a NUL byte past the sniffed head of the file, at its line', () => {
    const l = lintOne(bytes('a: 1\n'.repeat(2000), '\0\n'));
    assert.equal(l.source.skipped?.reason, 'binary');
    assert.deepEqual(l.all, [
      'file-unreadable error 2001:1-2001:1 file contains NUL bytes: it looks binary, not YAML or JSON',
    ]);
  });

  it('reports UTF-16 with a byte order mark, little and big endian', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CONFIGMAP_BAD_NS, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CONFIGMAP_BAD_NS, 'utf16le').swap16()]);
    for (const content of [le, be]) {
      const l = lintOne(content);
      assert.equal(l.source.skipped?.reason, 'encoding');
      assert.deepEqual(l.all, ['file-unreadable error 1:1-1:1 file is UTF-16 encoded; convert it to UTF-8']);
      assert.equal(l.objects.length, 0);
    }
  });

  it('reports invalid UTF-8 in the middle of a file with its byte offset, on the right line', () => {
    // 13 bytes of valid multi-byte text on line 1, then the Latin-1 é of "café" (0xe9) on line 5:
    // 13 + 15 + 16 + 10 + 11 bytes precede it.
    const content = bytes('# naïve ✓\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf', [0xe9], '\n');
    const l = lintOne(content);
    assert.equal(l.source.skipped?.reason, 'encoding');
    assert.deepEqual(l.all, [
      'file-unreadable error 5:12-5:12 file is not valid UTF-8 (byte 0xe9 at offset 65); re-save it as UTF-8',
    ]);
    assert.equal(content[65], 0xe9);
  });

  it('reports a truncated multi-byte sequence at the end of a file', () => {
    const l = lintOne(bytes('apiVersion: v1\nkind: ConfigMap\n# ', [0xe2, 0x9c]));
    assert.deepEqual(l.all, [
      'file-unreadable error 3:3-3:3 file is not valid UTF-8 (byte 0xe2 at offset 33); re-save it as UTF-8',
    ]);
  });

  it('lints a file with a UTF-8 byte order mark normally, with unshifted positions', () => {
    const l = lintOne(bytes([0xef, 0xbb, 0xbf], CONFIGMAP_BAD_NS));
    assert.equal(l.source.skipped, undefined);
    assert.deepEqual(l.all, [BAD_NS_AT_5_14]);
    assert.equal(l.objects[0]?.apiVersion, 'v1', 'the BOM is not part of the first key');
    assert.deepEqual(names(l.objects), ['ConfigMap/x']);
    // The same text handed over as a string (the language server) behaves the same.
    assert.deepEqual(lintOne(`\uFEFF${CONFIGMAP_BAD_NS}`).all, [BAD_NS_AT_5_14]);
  });

  it('skips a file over the size limit without parsing it', () => {
    const big = Array.from({ length: 200 }, (_, i) => `key${String(i).padStart(4, '0')}: 1\n`).join(''); // 2,200 bytes
    for (const content of [big, Buffer.from(big)]) {
      const l = lintOne(content, 'big.yaml', { maxBytes: 1024 });
      assert.equal(l.source.skipped?.reason, 'too-large');
      assert.equal(l.source.documents.length, 0);
      assert.deepEqual(l.all, [
        'file-unreadable error 1:1-1:1 file is 2.1 KiB, over the 1.0 KiB limit; split it, or raise the limit with --max-file-size',
      ]);
    }
    assert.deepEqual(lintOne(big, 'big.yaml', { maxBytes: 2200 }).all, [], 'a file exactly at the limit is read');
  });

  it('turns a file that cannot be read into a file-unreadable finding (a directory named like a manifest)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubewire-read-'));
    try {
      mkdirSync(path.join(dir, 'folder.yaml'));
      const source = readSourceSync(dir, 'folder.yaml');
      const result = lint([source], { rules });
      assert.deepEqual(result.findings.map(brief), [
        'file-unreadable error 1:1-1:1 cannot read file: it is a directory',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loader: YAML syntax', () => {
  it('keeps positions right with CRLF line endings', () => {
    const l = lintOne(CONFIGMAP_BAD_NS.replaceAll('\n', '\r\n'));
    assert.deepEqual(l.all, [BAD_NS_AT_5_14]);
    assert.equal(l.objects[0]?.name, 'x', 'no carriage return in values');
    const dup = lintOne('apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n  name: y\r\n');
    assert.deepEqual(duplicates(dup), ['yaml-syntax error 5:3-5:4']);
  });

  it('reports a tab used as indentation at the tab, and does not lint that document', () => {
    const l = lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n');
    assert.deepEqual(l.all, [
      'yaml-syntax error 4:1-4:2 YAML syntax error: tab character used for indentation; YAML allows only spaces',
    ]);
    assert.equal(l.objects.length, 0);
  });

  it('accepts tabs after a key and inside strings', () => {
    const l = lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name:\tx\ndata:\n  a: "t\tb"\n');
    assert.deepEqual(l.all, []);
    assert.deepEqual(names(l.objects), ['ConfigMap/x']);
  });

  it('reports each duplicate key and still builds the object, with the later value', () => {
    const l = lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\ndata:\n  a: "1"\n  a: "2"\n');
    assert.deepEqual(duplicates(l), ['yaml-syntax error 5:3-5:4', 'yaml-syntax error 8:3-8:4']);
    assert.deepEqual(names(l.objects), ['ConfigMap/y']);
    assert.deepEqual(l.objects[0]?.raw.data, { a: '2' });
  });

  it('points findings about a duplicated key at the value that wins (the later one)', () => {
    const l = lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: 5\n  namespace: 6\n');
    assert.deepEqual(duplicates({ ...l, findings: l.findings.filter((f) => f.ruleId === 'yaml-syntax') }), [
      'yaml-syntax error 6:3-6:4',
    ]);
    assert.deepEqual(
      l.all.filter((f) => f.startsWith('manifest-shape')),
      ['manifest-shape error 6:14-6:15 `metadata.namespace` must be a string, got the number 6; quote it'],
    );
  });

  it('reports bad indentation at the misplaced key, once', () => {
    assert.deepEqual(lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: x\n  labels: {}\n').all, [
      'yaml-syntax error 5:3-5:4 YAML syntax error: all mapping items must start at the same column',
    ]);
    assert.deepEqual(
      lintOne('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: x\n   image: y\n').all,
      ['yaml-syntax error 8:4-8:5 YAML syntax error: sequence item without - indicator'],
    );
    assert.deepEqual(
      lintOne('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: x\n     image: y\n')
        .all,
      ['yaml-syntax error 7:11-7:12 YAML syntax error: nested mappings are not allowed in compact mappings'],
    );
  });

  it('reports an unterminated flow collection at its opening bracket', () => {
    assert.deepEqual(lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n').all, [
      'yaml-syntax error 3:11-3:12 YAML syntax error: flow map in block collection must be sufficiently indented and end with a }',
    ]);
    assert.deepEqual(
      lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {app: a, tier: [b, c\nspec: {}\n').all,
      [
        'yaml-syntax error 5:26-5:27 YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    );
    // A document that is a flow collection itself: the parser notices at the next `---`.
    const root = lintOne(`[nginx, web\n---\n${CONFIGMAP_BAD_NS}`);
    assert.deepEqual(root.all, [
      'yaml-syntax error 1:1-1:2 YAML syntax error: flow sequence must end with a ]',
      BAD_NS_AT_5_14.replace('5:14-5:15', '7:14-7:15'),
    ]);
    assert.deepEqual(names(root.objects), ['ConfigMap/x']);
  });

  it('reports an unterminated quote at the opening quote, even when the string runs to the end of the file', () => {
    const tail = 'data:\n  a: b\n  c: d\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: next\n';
    assert.deepEqual(lintOne(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "x\n${tail}`).all, [
      `yaml-syntax error 4:9-4:10 ${YAML_QUOTE}`,
    ]);
    assert.deepEqual(lintOne(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'it''s\n${tail}`).all, [
      `yaml-syntax error 4:9-4:10 ${YAML_QUOTE}`,
    ]);
    assert.deepEqual(lintOne('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "one\n  two"\n').all, [
      `yaml-syntax error 4:6-4:7 ${YAML_QUOTE}`,
    ]);
  });

  it('lints documents 1 and 3 of a file whose document 2 is broken', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: three\n  namespace: 5\n',
    ].join('---\n');
    const l = lintOne(text);
    assert.deepEqual(l.all, [
      'yaml-syntax error 8:11-8:12 YAML syntax error: flow map in block collection must be sufficiently indented and end with a }',
      'manifest-shape error 14:14-14:15 `metadata.namespace` must be a string, got the number 5; quote it',
    ]);
    assert.deepEqual(names(l.objects), ['ConfigMap/one', 'ConfigMap/three']);
  });

  it('keeps the lines of later documents right after a stray closing bracket', () => {
    // The YAML parser drops the newline after a stray `]` or `}` while recovering; positions must not shift.
    for (const stray of [']', '}}']) {
      const l = lintOne(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n${stray}\n---\n${CONFIGMAP_BAD_NS}`);
      assert.equal(l.all.length, 2, stray);
      assert.match(l.all[0] ?? '', /^yaml-syntax error 5:1-5:2 YAML syntax error: unexpected flow-(seq|map)-end token/);
      assert.equal(l.all[1], BAD_NS_AT_5_14.replace('5:14-5:15', '11:14-11:15'));
    }
  });

  it('stops an alias bomb (billion laughs) with one finding, and lints harmless aliases', () => {
    const levels = 'abcdefghi'.split('');
    const bomb = levels
      .map((name, i) => {
        const prev = levels[i - 1];
        const items = prev === undefined ? Array<string>(9).fill('"lol"') : Array<string>(9).fill(`*${prev}`);
        return `  ${name}: &${name} [${items.join(', ')}]\n`;
      })
      .join('');
    const l = lintOne(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n${bomb}`);
    assert.deepEqual(l.all, [
      'manifest-shape error 12:14-12:16 aliases expand this document to more than 1,000,000 values (an alias bomb?); the document was not linted',
    ]);
    assert.equal(l.objects.length, 0);

    // Bounded by what the aliases cost, not by how often they are used.
    const many = Array.from({ length: 1500 }, (_, i) => `  k${i}: *v\n`).join('');
    const cheap = lintOne(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n  base: &v value\n${many}`);
    assert.deepEqual(cheap.all, []);
    assert.equal(cheap.objects.length, 1);
  });

  it('reads 130,000 empty documents without depending on the stack', () => {
    const source = createSource('many.yaml', '---\n'.repeat(130_000));
    assert.equal(source.skipped, undefined);
    assert.equal(source.documents.length, 130_000);
  });

  it('names an alias without its anchor, before its anchor, or inside it, instead of calling it a bomb', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n';
    assert.deepEqual(lintOne(`${cm}  other: *nowhere\n`).all, [
      'manifest-shape error 6:10-6:18 alias `*nowhere` refers to an undefined anchor `&nowhere`; the document was not linted',
    ]);
    assert.deepEqual(lintOne(`${cm}  first: *later\n  second: &later v\n`).all, [
      'manifest-shape error 6:10-6:16 alias `*later` comes before its anchor `&later`; YAML reads anchors in order, so move the anchor up; the document was not linted',
    ]);
    assert.match(lintOne(`${cm}  loop: &x [*x]\n`).all.join(), /inside its own anchor `&x`/);

    const aliases = lintOne(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: &labels {app: web}\nspec:\n  selector:\n    matchLabels: *labels\n  template:\n    metadata:\n      labels: *labels\n    spec:\n      containers: [{name: web, image: nginx}]\n',
    );
    assert.deepEqual(aliases.syntax, []);
    assert.deepEqual(aliases.objects[0]?.podTemplate?.labels, { app: 'web' });
  });

  it('never prints: a collection used as a mapping key raises no process warning', async () => {
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listener);
    try {
      const l = lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ? [a, b]\n  : c\n');
      assert.deepEqual(names(l.objects), ['ConfigMap/x']);
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
    } finally {
      process.off('warning', listener);
    }
    assert.deepEqual(warnings, []);
  });

  it('reports nothing for empty, whitespace-only, comment-only and separator-only files', () => {
    for (const text of [
      '',
      '   \n\n  \t\n',
      '# just a comment\n---\n# another\n',
      '---\n---\n---\n',
      '--- # c\n...\n---\n',
    ]) {
      const l = lintOne(text);
      assert.deepEqual(l.all, [], JSON.stringify(text));
      assert.equal(l.objects.length, 0);
      assert.equal(l.source.skipped, undefined);
    }
  });
});

describe('loader: document shapes', () => {
  it('reports `kind: 5` at the value', () => {
    assert.deepEqual(lintOne('apiVersion: v1\nkind: 5\nmetadata:\n  name: x\n').all, [
      'manifest-shape error 2:7-2:8 `kind` must be a non-empty string, got the number 5',
    ]);
  });

  it('reports `apiVersion: null` on its own line, with the apiVersion to add', () => {
    assert.deepEqual(lintOne('apiVersion: null\nkind: ConfigMap\nmetadata:\n  name: x\n').all, [
      'manifest-shape error 1:13-1:17 document has `kind` but no `apiVersion`; add `apiVersion: v1`',
    ]);
    assert.deepEqual(lintOne('apiVersion:\nkind: ConfigMap\nmetadata:\n  name: x\n').all, [
      'manifest-shape error 1:1-1:11 document has `kind` but no `apiVersion`; add `apiVersion: v1`',
    ]);
    assert.deepEqual(lintOne('kind: Deployment\nmetadata:\n  name: x\n').all, [
      'manifest-shape error 1:7-1:17 document has `kind` but no `apiVersion`; add `apiVersion: apps/v1`',
    ]);
  });

  it('skips top-level lists and scalars quietly', () => {
    for (const text of ['- a\n- b\n', 'just a string\n', '42\n', '[1, 2]\n', 'null\n']) {
      const l = lintOne(text);
      assert.deepEqual(l.all, [], text);
      assert.equal(l.objects.length, 0);
    }
  });

  it('unpacks `kind: List`: items are objects with their own base path, findings point into the items', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata:',
      '      name: a',
      '      namespace: 5',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata:',
      '      name: b',
      '    spec:',
      '      selector: {app: nothing}',
      '      ports: [{port: 80}]',
      '  - 7',
      '  - {data: {}}',
      '',
    ].join('\n');
    const l = lintOne(text);
    assert.deepEqual(names(l.objects), ['ConfigMap/a', 'Service/b']);
    assert.deepEqual(
      l.objects.map((o) => o.basePath),
      [
        ['items', 0],
        ['items', 1],
      ],
    );
    assert.deepEqual(l.syntax, [
      'manifest-shape error 8:18-8:19 `metadata.namespace` must be a string, got the number 5; quote it',
      'manifest-shape error 16:5-16:6 item 2 of the List must be a mapping (an object), got the number 7',
      'manifest-shape error 17:5-17:6 list item has no `apiVersion` and no `kind`: it is not a Kubernetes object',
    ]);
    // A rule's finding about item 1 lands on item 1's lines.
    const selector = l.findings.find((f) => f.ruleId === 'service-selector-no-pods');
    assert.equal(selector?.line, 14);
    assert.equal(selector.column, 7);
    assert.deepEqual(selector.object, { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'b' });
  });

  it('unpacks typed lists (ConfigMapList)', () => {
    const l = lintOne(
      'apiVersion: v1\nkind: ConfigMapList\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n      namespace: 7\n',
    );
    assert.deepEqual(names(l.objects), ['ConfigMap/a', 'ConfigMap/b']);
    assert.deepEqual(l.objects[1]?.basePath, ['items', 1]);
    assert.deepEqual(l.all, [
      'manifest-shape error 12:18-12:19 `metadata.namespace` must be a string, got the number 7; quote it',
    ]);
  });

  it('reads JSON manifests with exact positions', () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "x", "namespace": 5}\n}\n';
    const l = lintOne(text, 'cm.json');
    assert.deepEqual(names(l.objects), ['ConfigMap/x']);
    const column = (text.split('\n')[3] ?? '').indexOf('5') + 1;
    assert.equal(column, 42);
    assert.deepEqual(l.all, [
      'manifest-shape error 4:42-4:43 `metadata.namespace` must be a string, got the number 5; quote it',
    ]);
    assert.deepEqual(
      lintOne('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"\n}\n', 'cm.json').all,
      ['yaml-syntax error 1:1-1:2 YAML syntax error: flow map must end with a }'],
      'a broken manifest in JSON is reported, at the brace left open',
    );
    assert.deepEqual(
      lintOne('{\n  // comment\n  "compilerOptions": {}\n}\n', 'settings.json').all,
      [],
      'a JSON file that is not a manifest is skipped',
    );
  });

  it('skips a document with only `apiVersion` in Chart.yaml (and values files) quietly', () => {
    const chart = 'apiVersion: v2\nname: mychart\nversion: 1.0.0\n';
    assert.deepEqual(lintOne(chart, 'charts/mychart/Chart.yaml').all, []);
    assert.deepEqual(lintOne(chart, 'Chart.yaml').all, []);
    assert.deepEqual(lintOne('apiVersion: v1\nimage: nginx\n', 'values.prod.yaml').all, []);
    // The same document anywhere else is a manifest missing its kind.
    assert.deepEqual(lintOne(chart, 'deploy.yaml').all, [
      'manifest-shape error 1:13-1:15 document has `apiVersion` but no `kind`; add `kind:` (e.g. `kind: Deployment`)',
    ]);
  });
});

describe('loader: templates', () => {
  const HELM =
    'file contains Go/Helm template syntax ({{ … }}) outside of strings: render it first (`helm template … | kubewire -`) and lint the output';

  it('skips a file with {{ … }} in a structural position, with one info finding at the braces', () => {
    const l = lintOne('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n');
    assert.equal(l.source.skipped?.reason, 'template');
    assert.deepEqual(l.all, [`helm-template info 4:9-4:11 ${HELM}`]);
    assert.equal(l.objects.length, 0);
    assert.deepEqual(lintOne('{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n').all, [
      `helm-template info 1:1-1:3 ${HELM}`,
    ]);
    assert.deepEqual(lintOne('apiVersion: v1\nkind: Pod\nspec:\n  args: [{{.Values.arg}}]\n').all, [
      `helm-template info 4:10-4:12 ${HELM}`,
    ]);
    assert.deepEqual(lintOne('metadata:\n  labels:\n    {{- include "labels" . | nindent 4 }}\n').all, [
      `helm-template info 3:5-3:7 ${HELM}`,
    ]);
  });

  it('lints {{ … }} inside quoted, block and plain scalars and comments as data', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: alerts # {{ not a template }}',
      'data:',
      '  a: "{{ $labels.instance }} is down"',
      "  b: '{{ .x }}'",
      '  c: value {{ .x }} mid-string',
      '  d: |',
      '    {{ range .Alerts }}{{ .Annotations.summary }}{{ end }}',
      '# {{ trailing comment }}',
      '',
    ].join('\n');
    const l = lintOne(text);
    assert.equal(l.source.skipped, undefined);
    assert.deepEqual(l.all, []);
    assert.deepEqual(names(l.objects), ['ConfigMap/alerts']);
    assert.equal(
      l.objects[0]?.raw.data && (l.objects[0].raw.data as Record<string, string>).c,
      'value {{ .x }} mid-string',
    );
  });
});

describe('loader: object model', () => {
  it('defaults the namespace of namespaced kinds to `default`, and leaves cluster-scoped kinds without one', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: placed\n  namespace: shop\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blank\n  namespace: ""\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: shop\nrules: []\n',
    ].join('---\n');
    const l = lintOne(text);
    assert.deepEqual(
      l.objects.map((o) => [o.name, o.namespace, o.namespaceExplicit]),
      [
        ['plain', 'default', false],
        ['placed', 'shop', true],
        ['blank', 'default', false],
        ['shop', null, false],
        ['reader', null, true],
      ],
    );
    assert.deepEqual(l.syntax, [
      'manifest-shape info 27:14-27:18 ClusterRole is cluster-scoped, so `metadata.namespace` is ignored; remove it',
    ]);
  });

  it('takes the scope of custom resources from a CustomResourceDefinition in the input, in any file', () => {
    const crd = (kind: string, scope: string) =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${kind.toLowerCase()}s.example.com\nspec:\n  group: example.com\n  scope: ${scope}\n  names: {kind: ${kind}, plural: ${kind.toLowerCase()}s}\n  versions: []\n`;
    const cr = (kind: string, name: string) =>
      `apiVersion: example.com/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
    const crs = createSource('crs.yaml', [cr('Tenant', 't'), cr('Widget', 'w'), cr('Gadget', 'g')].join('---\n'));
    const crds = createSource('crds.yaml', [crd('Tenant', 'Cluster'), crd('Widget', 'Namespaced')].join('---\n'));
    const result = lint([crs, crds], { rules });
    assert.deepEqual(result.ruleFailures, []);
    const scope = Object.fromEntries(result.graph.objects.map((o) => [`${o.kind}/${o.name}`, o.namespace]));
    assert.equal(scope['Tenant/t'], null, 'Cluster scope from the CRD');
    assert.equal(scope['Widget/w'], 'default', 'Namespaced scope from the CRD');
    assert.equal(scope['Gadget/g'], 'default', 'no CRD in the input: taken as namespaced');
    assert.equal(scope['CustomResourceDefinition/tenants.example.com'], null);
  });

  it('gives Job pods the job-name labels the controller adds', () => {
    const l = lintOne(
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    metadata:\n      labels: {app: db, job-name: other}\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: migrate}]\n',
    );
    const template = l.objects[0]?.podTemplate;
    assert.ok(template);
    assert.deepEqual(template.labels, { app: 'db', 'job-name': 'migrate', 'batch.kubernetes.io/job-name': 'migrate' });
    assert.equal(template.generatedLabels['controller-uid'], null);
    assert.equal(template.longRunning, false);
    const graph = lint([l.source], { rules: [] }).graph;
    const select = (labels: Record<string, string>) =>
      graph.selectPods('default', parseEqualitySelector(labels) ?? assert.fail()).map((o) => o.name);
    assert.deepEqual(select({ 'job-name': 'migrate' }), ['migrate']);
    assert.deepEqual(select({ 'job-name': 'other' }), []);
  });

  it('defaults restartPolicy to Always for every pod spec, Jobs included, as SetDefaults_PodSpec does', () => {
    const job = (policy: string) =>
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n${policy}      containers: [{name: m, image: migrate}]\n`;
    const unset = lintOne(job('')).objects[0];
    assert.equal(unset?.podTemplate?.restartPolicy, 'Always', 'the server stores Always, which Job validation refuses');
    assert.equal(unset.podTemplate.longRunning, false, 'a Job still runs to completion');
    assert.match(JSON.stringify(unset.raw), /"restartPolicy":"Always"/, 'defaulted in the stored object');
    assert.doesNotMatch(JSON.stringify(unset.written), /restartPolicy/, 'not in the object as written');
    assert.equal(lintOne(job('      restartPolicy: Never\n')).objects[0]?.podTemplate?.restartPolicy, 'Never');
    assert.equal(lintOne(job('      restartPolicy: ""\n')).objects[0]?.podTemplate?.restartPolicy, 'Always');
  });

  it('gives StatefulSet pods their generated pod-name and pod-index labels', () => {
    const sts = (replicas: string, extra = '') =>
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n${replicas}${extra}  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: postgres}]\n`;
    const generated = (text: string) => lintOne(text).objects[0]?.podTemplate?.generatedLabels ?? assert.fail();
    const three = generated(sts('  replicas: 3\n'));
    assert.deepEqual(three['statefulset.kubernetes.io/pod-name'], ['db-0', 'db-1', 'db-2']);
    assert.deepEqual(three['apps.kubernetes.io/pod-index'], ['0', '1', '2']);
    assert.equal(three['controller-revision-hash'], null);
    assert.deepEqual(generated(sts(''))['statefulset.kubernetes.io/pod-name'], ['db-0'], 'replicas defaults to 1');
    assert.deepEqual(
      generated(sts('  replicas: 2\n', '  ordinals: {start: 5}\n'))['statefulset.kubernetes.io/pod-name'],
      ['db-5', 'db-6'],
    );
    assert.deepEqual(
      generated(sts('  replicas: many\n'))['statefulset.kubernetes.io/pod-name'],
      ['db-0'],
      'an unreadable count falls back to 1',
    );

    const graph = lint([createSource('sts.yaml', sts('  replicas: 3\n'))], { rules: [] }).graph;
    const select = (labels: Record<string, string>) =>
      graph.selectPods('default', parseEqualitySelector(labels) ?? assert.fail()).map((o) => o.name);
    assert.deepEqual(select({ 'statefulset.kubernetes.io/pod-name': 'db-2' }), ['db']);
    assert.deepEqual(select({ 'statefulset.kubernetes.io/pod-name': 'db-3' }), []);
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  isTTY?: boolean;
  stdin?: string;
}

async function cli(args: string[], options: RunOptions): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: { write: (s: string) => (stdout += s), isTTY: options.isTTY ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(Buffer.from(options.stdin ?? '')),
  });
  return { code, stdout, stderr };
}

interface JsonReport {
  version: number;
  findings: { ruleId: string; severity: string; file: string; line: number; column: number; message: string }[];
  summary: { files: number; objects: number; errors: number; warnings: number; infos: number };
}

function report(run: Run): JsonReport {
  return JSON.parse(run.stdout) as JsonReport;
}

const temps: string[] = [];
after(() => {
  for (const dir of temps) {
    try {
      chmodSync(path.join(dir, 'locked.yaml'), 0o644);
    } catch {
      // not every folder has one
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A temporary folder with the given files. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubewire-cli-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

const ERROR_DOC = CONFIGMAP_BAD_NS;
/** A manifest whose only finding is a warning. */
/** One warning: a misspelt metadata field (unknown-field), at role.yaml:5:3. */
const WARNING_DOC = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: reader\n  namespaec: shop\ndata: {}\n';
const CLEAN_DOC = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clean\ndata:\n  a: b\n';
/** The escape that starts every colour sequence. */
const ESC = '\u001b[';

describe('cli', () => {
  it('exits 2 for an unknown flag', async () => {
    const r = await cli(['--bogus'], { cwd: folder({ 'a.yaml': CLEAN_DOC }) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--bogus'/);
    assert.equal(r.stdout, '');
  });

  it('exits 2 for a path that does not exist, and for a glob that matches nothing', async () => {
    const cwd = folder({ 'a.yaml': CLEAN_DOC });
    const missing = await cli(['nope.yaml'], { cwd });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'kubewire: no such file or directory: nope.yaml\n');
    const glob = await cli(['deploy/**/*.yaml'], { cwd });
    assert.equal(glob.code, 2);
    assert.equal(glob.stderr, 'kubewire: no files match the pattern "deploy/**/*.yaml"\n');
  });

  it('exits 2 for an invalid .kubewire.yaml, naming file:line:column', async () => {
    const unknownRule = await cli(['.'], {
      cwd: folder({ 'a.yaml': CLEAN_DOC, '.kubewire.yaml': 'rules:\n  liveness-probe-mising: off\n' }),
    });
    assert.equal(unknownRule.code, 2);
    assert.match(
      unknownRule.stderr,
      /^kubewire: \.kubewire\.yaml:2:3: unknown rule `liveness-probe-mising`; did you mean `liveness-probe-missing`\?/,
    );
    const syntax = await cli(['.'], {
      cwd: folder({ 'a.yaml': CLEAN_DOC, '.kubewire.yaml': 'rules:\n\tyaml-syntax: off\n' }),
    });
    assert.equal(syntax.code, 2);
    assert.match(syntax.stderr, /^kubewire: \.kubewire\.yaml:2:1: YAML: tab character used for indentation/);
    const explicit = await cli(['.', '--config', 'missing.yaml'], { cwd: folder({ 'a.yaml': CLEAN_DOC }) });
    assert.equal(explicit.code, 2);
    assert.match(explicit.stderr, /cannot read configuration file missing\.yaml: no such file/);
  });

  it('exits 2 for an alias bomb in .kubewire.yaml, as a configuration error', async () => {
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
    const r = await cli(['.'], { cwd: folder({ 'a.yaml': CLEAN_DOC, '.kubewire.yaml': bomb }) });
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.match(r.stderr, /^kubewire: \.kubewire\.yaml:\d+:\d+: /);
  });

  it('exits 0 with warnings only, 1 with --max-warnings 0, and 2 for a bad count', async () => {
    const cwd = folder({ 'role.yaml': WARNING_DOC });
    const plain = await cli(['.', '-f', 'json'], { cwd });
    assert.equal(plain.code, 0);
    assert.deepEqual(
      report(plain).findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column}`),
      ['unknown-field warning role.yaml:5:3'],
    );
    const strict = await cli(['.', '--max-warnings', '0'], { cwd });
    assert.equal(strict.code, 1);
    assert.equal(strict.stderr, 'kubewire: 1 warning exceeds the maximum of 0 (--max-warnings)\n');
    assert.equal((await cli(['.', '--max-warnings', '1'], { cwd })).code, 0);
    const bad = await cli(['.', '--max-warnings', 'many'], { cwd });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-warnings needs a whole number, got "many"/);
  });

  it('exits 1 for errors; --quiet hides warnings but keeps errors', async () => {
    const cwd = folder({ 'role.yaml': WARNING_DOC, 'cm.yaml': ERROR_DOC });
    const all = await cli(['.', '--no-color'], { cwd });
    assert.equal(all.code, 1);
    assert.match(all.stdout, /warning/);
    const quiet = await cli(['.', '--quiet', '--no-color'], { cwd });
    assert.equal(quiet.code, 1);
    assert.doesNotMatch(quiet.stdout, /role\.yaml|warning {2}/);
    assert.match(quiet.stdout, /cm\.yaml:5:14 {2}error/);
    const json = report(await cli(['.', '-q', '-f', 'json'], { cwd }));
    assert.deepEqual(
      json.findings.map((f) => f.severity),
      ['error'],
    );
    const onlyWarnings = await cli(['role.yaml', '--quiet', '--max-warnings', '0'], { cwd });
    assert.equal(onlyWarnings.code, 0, '--quiet drops warnings before --max-warnings counts them');
  });

  it('reads standard input for `-`, named by --stdin-filename', async () => {
    const cwd = folder({});
    const named = await cli(['-', '--stdin-filename', 'chart.yaml', '-f', 'json'], { cwd, stdin: ERROR_DOC });
    assert.equal(named.code, 1);
    assert.deepEqual(
      report(named).findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`),
      ['chart.yaml:5:14 manifest-shape'],
    );
    const unnamed = await cli(['-', '-f', 'json'], { cwd, stdin: ERROR_DOC });
    assert.deepEqual(
      report(unnamed).findings.map((f) => f.file),
      ['<stdin>'],
    );
    const empty = await cli(['-', '-f', 'json'], { cwd, stdin: '' });
    assert.equal(empty.code, 0);
    assert.equal(report(empty).summary.files, 1);
  });

  it('skips .gitignored files and node_modules when expanding folders', async () => {
    const cwd = folder({
      '.git/HEAD': 'ref: refs/heads/main\n', // a repository root: its .gitignore applies to every folder below
      '.gitignore': 'generated/\n*.local.yaml\n',
      'deploy/app.yaml': ERROR_DOC,
      'deploy/dev.local.yaml': ERROR_DOC,
      'generated/out.yaml': ERROR_DOC,
      'node_modules/pkg/manifest.yaml': ERROR_DOC,
      'deploy/node_modules/x/y.yaml': ERROR_DOC,
      'package.json': '{"name": "x"}',
    });
    const r = report(await cli(['.', '-f', 'json'], { cwd }));
    assert.deepEqual([...new Set(r.findings.map((f) => f.file))], ['deploy/app.yaml']);
    assert.equal(r.summary.files, 1);
    const deploy = report(await cli(['deploy', '-f', 'json'], { cwd }));
    assert.deepEqual([...new Set(deploy.findings.map((f) => f.file))], ['deploy/app.yaml']);
  });

  it('honours `ignore:` globs of the configuration, relative to its folder', async () => {
    const cwd = folder({
      '.kubewire.yaml': 'ignore:\n  - "vendor/**"\n  - "**/*.generated.yaml"\n',
      'app.yaml': ERROR_DOC,
      'vendor/lib.yaml': ERROR_DOC,
      'sub/x.generated.yaml': ERROR_DOC,
      'sub/y.yaml': ERROR_DOC,
    });
    const r = report(await cli(['.', '-f', 'json'], { cwd }));
    assert.deepEqual([...new Set(r.findings.map((f) => f.file))], ['app.yaml', 'sub/y.yaml']);
    // From a sub-folder, the globs still apply relative to the configuration file.
    const fromSub = report(await cli(['.', '../vendor', '-f', 'json'], { cwd: path.join(cwd, 'sub') }));
    assert.deepEqual([...new Set(fromSub.findings.map((f) => f.file))], ['y.yaml']);
  });

  it(
    'reports an unreadable file as a file-unreadable finding',
    { skip: process.getuid?.() === 0 && 'running as root: every file is readable' },
    async () => {
      const cwd = folder({ 'locked.yaml': ERROR_DOC, 'ok.yaml': CLEAN_DOC });
      chmodSync(path.join(cwd, 'locked.yaml'), 0o000);
      const r = await cli(['.', '-f', 'json'], { cwd });
      assert.equal(r.code, 1);
      assert.deepEqual(
        report(r).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.message}`),
        ['file-unreadable locked.yaml:1:1 cannot read file: permission denied'],
      );
    },
  );

  it('writes the report to --output-file, creating folders, without colour', async () => {
    const cwd = folder({ 'cm.yaml': ERROR_DOC });
    const json = await cli(['.', '-f', 'json', '-o', 'reports/out.json'], { cwd });
    assert.equal(json.code, 1);
    assert.equal(json.stdout, '');
    assert.equal(
      report({ ...json, stdout: readFileSync(path.join(cwd, 'reports/out.json'), 'utf8') }).findings.length,
      1,
    );
    const text = await cli(['.', '-o', 'out.txt'], { cwd, isTTY: true });
    assert.equal(text.stdout, '');
    const written = readFileSync(path.join(cwd, 'out.txt'), 'utf8');
    assert.match(written, /cm\.yaml:5:14/);
    assert.ok(!written.includes(ESC));
  });

  const checkRuleList = (stdout: string) => {
    const list = JSON.parse(stdout) as {
      id: string;
      category: string;
      severity: string;
      preset: string;
      severityWhenOn: string;
      description: string;
    }[];
    assert.deepEqual(
      list.map((x) => x.id),
      rules.map((x) => x.id),
    );
    for (const entry of list) {
      assert.ok(
        entry.description.length > 0 &&
          entry.category.length > 0 &&
          ['error', 'warning', 'info', 'off'].includes(entry.severity) &&
          ['error', 'warning', 'info'].includes(entry.severityWhenOn) &&
          ['recommended', 'strict', 'all'].includes(entry.preset) &&
          (entry.severity === 'off') === (entry.preset !== 'recommended'),
        entry.id,
      );
    }
  };

  it('lists every rule with `rules --format json`', async () => {
    const r = await cli(['rules', '--format', 'json'], { cwd: folder({}) });
    assert.equal(r.code, 0);
    checkRuleList(r.stdout);
  });

  it('shows the severities the configuration gives in `rules`, beside the defaults', async () => {
    const cwd = folder({
      '.kubewire.yaml': 'extends: kubewire:strict\nrules:\n  pdb-missing: off\n  replicas-single: warning\n',
    });
    const table = await cli(['rules'], { cwd });
    assert.equal(table.code, 0);
    const row = (id: string) => table.stdout.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
    assert.match(row('pdb-missing'), /\soff \(default info\)\s/);
    assert.match(row('replicas-single'), /\swarning \(default info\)\s/);
    // Strict turns on a rule that is off by default, and raises another to its strict severity.
    assert.match(row('container-readonly-rootfs-missing'), /\swarning \(default off\)\s/);
    assert.match(row('image-tag-mutable'), /\swarning \(default info\)\s/);
    assert.match(row('api-removed'), /\serror\s+recommended/);
    assert.match(table.stdout, /severities as configured by \.kubewire\.yaml\n$/);
    const json = JSON.parse((await cli(['rules', '-f', 'json'], { cwd })).stdout) as {
      id: string;
      severity: string;
      configured: string;
    }[];
    const entry = (id: string) => json.find((e) => e.id === id);
    assert.deepEqual([entry('pdb-missing')?.severity, entry('pdb-missing')?.configured], ['info', 'off']);
    assert.equal(entry('container-readonly-rootfs-missing')?.configured, 'warning');
    // Without a configuration, no `configured` field and no footer.
    const plain = await cli(['rules', '-f', 'json'], { cwd: folder({}) });
    assert.ok((JSON.parse(plain.stdout) as object[]).every((e) => !('configured' in e)));
    const broken = await cli(['rules', '-c', 'missing.yaml'], { cwd });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /cannot read configuration file missing\.yaml/);
  });

  it('lists every rule in the rule list JSON', () => {
    checkRuleList(formatRulesJson(rules));
  });

  it('prints --version and --help and exits 0', async () => {
    const cwd = folder({});
    const version = await cli(['--version'], { cwd });
    assert.deepEqual(version, { code: 0, stdout: `${VERSION}\n`, stderr: '' });
    assert.equal((await cli(['-v'], { cwd })).stdout, `${VERSION}\n`);
    const help = await cli(['--help'], { cwd });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: kubewire/);
    assert.match(help.stdout, /Exit codes:/);
    assert.equal((await cli(['rules', '--help'], { cwd })).code, 0);
  });

  it('decides colour from --color/--no-color, then FORCE_COLOR and NO_COLOR, then the terminal', async () => {
    const cwd = folder({ 'cm.yaml': ERROR_DOC });
    const coloured = async (args: string[], env: Record<string, string>, isTTY: boolean) =>
      (await cli(['.', ...args], { cwd, env, isTTY })).stdout.includes(ESC);
    assert.equal(await coloured([], {}, true), true, 'a terminal gets colour');
    assert.equal(await coloured([], {}, false), false, 'a pipe does not');
    assert.equal(await coloured([], { TERM: 'dumb' }, true), false);
    assert.equal(await coloured([], { NO_COLOR: '1' }, true), false);
    assert.equal(await coloured([], { NO_COLOR: '' }, true), true, 'an empty NO_COLOR is unset');
    assert.equal(await coloured([], { FORCE_COLOR: '1' }, false), true);
    assert.equal(await coloured([], { FORCE_COLOR: '0' }, true), false);
    assert.equal(
      await coloured([], { FORCE_COLOR: '1', NO_COLOR: '1' }, false),
      true,
      'FORCE_COLOR wins over NO_COLOR',
    );
    assert.equal(await coloured(['--color'], { NO_COLOR: '1' }, false), true, '--color wins over the environment');
    assert.equal(
      await coloured(['--no-color'], { FORCE_COLOR: '1' }, true),
      false,
      '--no-color wins over the environment',
    );
    assert.equal(await coloured(['-f', 'json'], { FORCE_COLOR: '1' }, true), false, 'JSON is never coloured');
  });
});
