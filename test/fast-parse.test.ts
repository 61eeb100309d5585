/**
 * The fast parse path (src/load/fast.ts) against the `yaml` package it stands in for: wherever it reads a
 * text, it must give the same documents, values, positions, syntax findings (none) and API-server view as
 * the `yaml` Document; and the JSON report over every fixture and the whole shared corpus (skipped when
 * absent) must be byte-identical with the fast path on and off.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { isMap, isSeq, stringify } from 'yaml';
import type { Document } from 'yaml';
import { runCaptured } from '../src/cli/capture.js';
import { documentData } from '../src/load/data.js';
import { fastDocuments, resolveCore, setPieceLength } from '../src/load/fast.js';
import type { FastDocument } from '../src/load/fast.js';
import { packPositions, positionsOf } from '../src/load/positions.js';
import { parseYaml, useFastParse } from '../src/load/source.js';
import { serverView } from '../src/model/decode.js';
import type { KObject } from '../src/types.js';
import { FIXTURES, SHARED, listFiles } from './helpers.js';

const CORPUS = path.join(SHARED, 'corpus', 'real');

after(() => {
  useFastParse(true);
});

/** The server view of a whole document, through the decoder of `yaml` nodes or the fast path's. */
function wholeView(document: Document.Parsed | FastDocument) {
  const fake = {
    basePath: [],
    written: {},
    document: {
      derived: new Map(),
      yaml: () => document,
      serverView: 'server' in document ? () => document.server : undefined,
    },
  } as unknown as KObject;
  return serverView(fake);
}

/** Whether the fast path read the text, and if so, that it read it exactly as the `yaml` package does. */
function compare(text: string, label: string): boolean {
  const fast = fastDocuments(text);
  if (fast === undefined) return false;
  const parsed = parseYaml(text);
  const documents = 'empty' in parsed ? [] : (parsed as Document.Parsed[]);
  assert.equal(fast.length, documents.length, `${label}: number of documents`);
  documents.forEach((document, i) => {
    const at = `${label}, document ${String(i)}`;
    const mine = fast[i];
    assert.ok(mine);
    assert.deepEqual(
      [...document.errors, ...document.warnings].map((e) => e.message),
      [],
      `${at}: the fast path read a text the yaml package finds problems in`,
    );
    assert.equal(mine.start, document.contents?.range[0] ?? 0, `${at}: start`);
    assert.equal(mine.isMap, isMap(document.contents), `${at}: isMap`);
    assert.equal(mine.isSeq, isSeq(document.contents), `${at}: isSeq`);
    const data = documentData(document);
    assert.ok(data.ok, `${at}: the yaml package could not build the value`);
    assert.deepStrictEqual(mine.value, data.value, `${at}: value`);
    assert.deepStrictEqual(mine.positions, packPositions(positionsOf(document)), `${at}: positions`);
    if (mine.isMap) assert.deepStrictEqual(wholeView(mine), wholeView(document), `${at}: API server view`);
  });
  return true;
}

function manifests(dir: string): string[] {
  return listFiles(dir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .map((f) => path.join(dir, f));
}

function compareFiles(files: readonly string[]): { fast: number; all: number } {
  let fast = 0;
  for (const file of files) if (compare(readFileSync(file, 'utf8'), file)) fast++;
  return { fast, all: files.length };
}

function report(cwd: string) {
  return runCaptured(['.', '-f', 'json'], cwd, { KUBEWIRE_TIMING: '' });
}

async function assertSameReport(cwd: string): Promise<void> {
  useFastParse(false);
  const reference = await report(cwd);
  useFastParse(true);
  const fast = await report(cwd);
  assert.equal(fast.stdout, reference.stdout, 'the JSON report is byte-identical with and without the fast path');
  assert.deepEqual([fast.code, fast.stderr], [reference.code, reference.stderr]);
}

describe('core schema resolution', () => {
  it('resolves plain scalars as the yaml package does', () => {
    const cases = ['', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'yes', 'on', 'off', 'y'];
    cases.push('0', '-0', '+1', '0755', '0o755', '0o8', '0x1F', '0X1F', '0b101', '1_000', '1e3', '1E-3', '.5', '5.');
    cases.push('.inf', '-.Inf', '+.INF', '.nan', '.NaN', 'nan', '1.0e', '12:30', '2024-05-01', '9007199254740993');
    for (const s of cases) {
      const parsed = parseYaml(`v: ${s}\n`) as Document.Parsed[];
      const expected = (parsed[0]?.toJS() as { v: unknown }).v;
      assert.deepStrictEqual(resolveCore(s), expected, s);
    }
  });
});

/** The fast path's reading of a text parsed a piece at a time, every document marker ending a piece. */
function inPieces(text: string): FastDocument[] | undefined {
  const length = setPieceLength(1);
  try {
    return fastDocuments(text);
  } finally {
    setPieceLength(length);
  }
}

describe('the fast parse path read in pieces (every document marker ends one) agrees with the yaml package', () => {
  let length = 0;
  before(() => {
    length = setPieceLength(1);
  });
  after(() => {
    setPieceLength(length);
  });
  agreesOnFixturesAndCorpus();
});

/** The fast path and the yaml package agree on every fixture and every corpus file, and the fast path is taken. */
function agreesOnFixturesAndCorpus(): void {
  it('on every fixture', () => {
    const { fast, all } = compareFiles(manifests(FIXTURES));
    // Most fixtures are ordinary YAML: the fast path must actually be taken, not fall back everywhere.
    assert.ok(fast > all * 0.85, `${String(fast)} of ${String(all)} fixtures read by the fast path`);
  });

  it('on every file of the shared corpus', { skip: !existsSync(CORPUS) && 'shared corpus absent' }, () => {
    const { fast, all } = compareFiles(manifests(CORPUS));
    assert.ok(fast > all * 0.95, `${String(fast)} of ${String(all)} corpus files read by the fast path`);
  });
}

describe('the fast parse path agrees with the yaml package', () => {
  agreesOnFixturesAndCorpus();

  it('on hand-picked corners', () => {
    const texts = [
      'a: 1\nb:\n# c1\n# c2\n',
      'a:\n  b: 1\n  # c\nd: 2\n',
      'a:\n  - b: 1\n    # c\n  # d\ne: 1\n',
      'a:\n  b: 1\n\n  # c\n\n',
      'a:\n  b: 1\n # c\n',
      'a:\n  b: 1\n   # c\n   # d\n\n    # e\nf: 1\n',
      'a:\n- b\n# c\n',
      'a: &x 1\nb: *x\nc: &m\n  d: e\nf: &n [1]\ng: *m\n',
      'a: |-\n  x\n\n  y\n\n\nb: >+ # c|\n  z\n\n\nc: |\nd: "q\n  r"\ne: p\n  q\nf: [a,\n b ]  # x\n',
      '"k|>": |\n  x\n',
      '---\n# c\n---\na: b\n...\n---\n',
      '- \n- a\n-\n',
      'a: {b: [1, {c: d}], e: "f"}\n',
      '{"apiVersion": "v1", "kind": "List", "items": [{"a": 0644, "b": yes}]}',
      'a: 0644\nb: yes\nON: 1\n0x1F: x\nc: 1_000\nd: [on, 08]\n',
      'a: 1\r\nb:\r\n  - x\r\n  # c\r\n',
      'constructor: 1\ntoString: x\n',
      'a:\n  b: &a\n    c: 0644\n  d: *a\n',
    ];
    for (const text of texts) compare(text, JSON.stringify(text));
  });

  it('on block scalars with an explicit indentation indicator below the top level', () => {
    const texts = [
      'a:\n  b: |2-\n      x\n    y\n',
      'a:\n  b: |2\n    y\n  c: 1\n',
      'a:\n  - |2\n    y\n  - z\n',
      'a:\n  - b: |1\n      y\n     z\n',
      'a:\n  b: >2\n      x\n     y\n\n     z\n',
      'a:\n  b: |2+\n    x\n\n\n  c: 1\n',
      'a:\n  b: |2\n  c: 1\n',
      'a:\n  b: |2\n    x\n   # c\n  d: 1\n',
      'a:\n  b:\n    c: |4-\n          x\n        y\n    d: 1\n',
      'a:\n  b: |2\r\n    x\r\n  c: 1\r\n',
    ];
    // Each is read by the fast path (the istio CRDs of the corpus have such scalars), and read as `yaml` reads it.
    for (const text of texts) assert.ok(compare(text, JSON.stringify(text)), `${JSON.stringify(text)} fell back`);
  });

  it('decodes documents with more than 1,000 aliases fully, both ways', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: many}', 'data:', '  base: &v value'];
    for (let i = 0; i < 1500; i++) lines.push(`  k${String(i)}: *v`);
    const text = `${lines.join('\n')}\n`;
    assert.ok(compare(text, 'aliases'), 'the fast path reads it');
    const [document] = parseYaml(text) as Document.Parsed[];
    assert.ok(document);
    const data = (wholeView(document).value as { data: Record<string, unknown> }).data;
    assert.equal(data.k1499, 'value', 'the 1,500th alias is read, not cut to null');
  });

  it('on generated YAML (fast-check)', () => {
    const scalar = fc.oneof(
      fc.constantFrom('yes', 'no', 'on', '0644', '0o17', '0x1F', '1_000', '.inf', '~', 'null', '1e3', '-0', '08', ''),
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.boolean(),
      fc.constant(null),
    );
    const key = fc.oneof(
      fc.constantFrom('a', 'b', 'on', '0644', 'x y', 'k:v', '#', '- z'),
      fc.string({ maxLength: 8 }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq')),
      map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
      seq: fc.array(tie('node'), { maxLength: 5 }),
    })).node;
    const options = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      indentSeq: fc.boolean(),
      indent: fc.integer({ min: 1, max: 4 }),
      lineWidth: fc.constantFrom(0, 20, 80),
    });
    // Comment and blank lines at random places and indentations, and shared (anchored) parts.
    const comments = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.boolean()), { maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 3 }),
        options,
        comments,
        fc.boolean(),
        (docs, opts, extra, shared) => {
          const texts = docs.map((d) => {
            const v: unknown = shared && d !== null && typeof d === 'object' ? { one: d, two: d } : d;
            return stringify(v, { ...opts, defaultKeyType: opts.defaultKeyType as 'PLAIN' | null } as never);
          });
          const lines = texts.join('---\n').split('\n');
          for (const [at, indent, blank] of extra)
            lines.splice(at % (lines.length + 1), 0, blank ? '' : `${' '.repeat(indent)}# note`);
          const text = lines.join('\n');
          compare(text, JSON.stringify(text));
          assert.deepStrictEqual(inPieces(text), fastDocuments(text), `${JSON.stringify(text)}: read in pieces`);
        },
      ),
      { numRuns: 400, verbose: fc.VerbosityLevel.Verbose },
    );
  });
});

describe('the JSON report with and without the fast path', () => {
  it('is byte-identical on the fixtures', async () => {
    await assertSameReport(FIXTURES);
  });

  it('is byte-identical on the shared corpus', { skip: !existsSync(CORPUS) && 'shared corpus absent' }, async () => {
    await assertSameReport(CORPUS);
  });
});
