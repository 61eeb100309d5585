/** Display safety of the human-readable formats: control characters escaped, long lines windowed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeControl, lineWindow } from '../src/format/escape.js';
import { formatStylish } from '../src/format/stylish.js';
import type { Finding } from '../src/types.js';

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
