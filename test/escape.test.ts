/** Display safety of the human-readable formats: control characters escaped, long lines windowed. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { escapeBytes, escapeControl, lineWindow } from '../src/format/escape.js';
import { formatStylish } from '../src/format/stylish.js';
import type { Finding } from '../src/types.js';
import { runCliIn } from './helpers.js';

const finding = (over: Partial<Finding>): Finding =>
  ({
    ruleId: 'schema-invalid',
    category: 'schema',
    severity: 'error',
    message: 'm',
    file: 'a.yaml',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    object: undefined,
    related: [],
    ...over,
  }) as Finding;

describe('escaping display text', () => {
  it('escapes C0, C1, DEL, bidirectional overrides and line separators', () => {
    assert.equal(escapeControl('a\u001b[2Jb\u009b\u007f\u202ec\n'), 'a\\x1b[2Jb\\x9b\\x7f\\u202ec\\n');
    assert.equal(escapeControl('plain ünïcode ✓'), 'plain ünïcode ✓');
  });

  it('shows a window of a long line around the column, with the marked range inside it', () => {
    const line = `${'a'.repeat(10_000)}BAD${'z'.repeat(10_000)}`;
    const w = lineWindow(line, 10_001, 10_004);
    assert.ok(w.text.length < 200);
    assert.equal(w.text.slice(w.column - 1, w.endColumn - 1), 'BAD');
    assert.ok(w.text.startsWith('…') && w.text.endsWith('…'));
    const short = lineWindow('name: \u001bx', 7, 9);
    assert.equal(short.text, 'name: \\x1bx');
    assert.equal(short.text.slice(short.column - 1, short.endColumn - 1), '\\x1bx');
  });

  it('stylish output carries no control character from a manifest', () => {
    const text = `metadata:\n  name: "e\u001b[2J\u001b]0;x\u0007"\n`;
    const out = formatStylish(
      {
        findings: [
          finding({ file: 'odd\nname.yaml', message: 'name `e\u001b[2J` is bad', line: 2, column: 9, endColumn: 20 }),
        ],
        summary: { files: 1, objects: 1, errors: 1, warnings: 0, infos: 0 },
        texts: new Map([['odd\nname.yaml', text]]),
      },
      { color: false },
    );
    // eslint-disable-next-line no-control-regex -- looking for control characters
    assert.doesNotMatch(out.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
    assert.match(out, /odd\\nname\.yaml:2:9/);
    assert.match(out, /name: "e\\x1b\[2J\\x1b\]0;x\\x07"/);
  });
});

describe('file names that are not valid UTF-8', () => {
  it('escape the bytes that are not UTF-8 as \\xNN and keep the rest', () => {
    assert.equal(escapeBytes(Buffer.from('plain-ünï.yaml')), 'plain-ünï.yaml');
    assert.equal(escapeBytes(Buffer.from([0x61, 0xff, 0x62, 0xfe])), 'a\\xffb\\xfe');
    // An overlong slash, a UTF-16 surrogate, a truncated sequence and a code point past U+10FFFF.
    assert.equal(escapeBytes(Buffer.from([0xc0, 0xaf])), '\\xc0\\xaf');
    assert.equal(escapeBytes(Buffer.from([0xed, 0xa0, 0x80])), '\\xed\\xa0\\x80');
    assert.equal(escapeBytes(Buffer.from([0xe2, 0x82, 0x2e])), '\\xe2\\x82.');
    assert.equal(escapeBytes(Buffer.from([0xf4, 0x90, 0x80, 0x80])), '\\xf4\\x90\\x80\\x80');
    assert.equal(escapeBytes(Buffer.from([0xf0, 0x9f, 0x98, 0x80])), '😀');
  });

  it('show a backslash that spells out an escape as \\x5c, so that no two names are shown alike', () => {
    assert.equal(escapeBytes(Buffer.from('a\\xff.yaml')), 'a\\x5cxff.yaml');
    assert.equal(escapeBytes(Buffer.from([0x61, 0xff, 0x2e])), 'a\\xff.');
    assert.equal(escapeBytes(Buffer.from('a\\xFF\\x4')), 'a\\x5cxFF\\x4');
    assert.equal(escapeBytes(Buffer.from([0x5c, 0xff])), '\\\\xff');
    assert.equal(escapeBytes(Buffer.from('back\\slash\\')), 'back\\slash\\');
  });

  it('are linted by their bytes and reported escaped, also in folders of such names', async (t) => {
    if (process.platform === 'win32') {
      t.skip('file names are UTF-16 on Windows');
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-names-'));
    const bytes = (...parts: (string | number[])[]) =>
      Buffer.concat([Buffer.from(dir), ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))]);
    try {
      mkdirSync(bytes('/app/dir-', [0xfe]), { recursive: true });
      const map = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: NAME\ndata:\n  k: 5\n';
      // Two names that Node decodes alike (bad-\uFFFD.yaml), a file with a literal U+FFFD, and one in a folder.
      writeFileSync(bytes('/app/bad-', [0xff], '.yaml'), map.replace('NAME', 'ff'));
      writeFileSync(bytes('/app/bad-', [0xfe], '.yaml'), map.replace('NAME', 'fe'));
      writeFileSync(bytes('/app/real-\ufffd.yaml'), map.replace('NAME', 'replacement'));
      writeFileSync(bytes('/app/dir-', [0xfe], '/x.yaml'), map.replace('NAME', 'below'));
      writeFileSync(bytes('/app/ok.yaml'), map.replace('NAME', 'ok'));
      const json = await runCliIn(dir, ['app', '--format', 'json']);
      assert.equal(json.stderr, '');
      const report = JSON.parse(json.stdout) as { findings: { file: string; line: number }[] };
      assert.deepEqual([...new Set(report.findings.map((f) => `${f.file}:${String(f.line)}`))].sort(), [
        'app/bad-\\xfe.yaml:6',
        'app/bad-\\xff.yaml:6',
        'app/dir-\\xfe/x.yaml:6',
        'app/ok.yaml:6',
        'app/real-\ufffd.yaml:6',
      ]);
      const stylish = await runCliIn(dir, ['app']);
      assert.match(stylish.stdout, /^app\/bad-\\xff\.yaml$/m);
      assert.doesNotMatch(stylish.stdout, /bad-\ufffd/);
      assert.doesNotMatch(stylish.stdout, /file-unreadable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
