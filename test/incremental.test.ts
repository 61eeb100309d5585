/**
 * The language server's incremental lint (src/incremental.ts: the findings of each rule whose reads no
 * change touches are taken over from the previous lint) must equal a lint from scratch. Every file of
 * every fixture folder, and a few files of ../shared/corpus/real when it is present, is edited in ways that
 * touch what rules read (a label, a name, a namespace, a kind, positions, a document removed or repeated,
 * the file emptied); after each edit, and after undoing it, the incremental result must equal a full lint.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine.js';
import type { LintOptions, LintResult } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import { effectiveRuleSettings } from '../src/presets.js';
import type { Source } from '../src/types.js';
import { FIXTURES, ROOT, SHARED, listFiles } from './helpers.js';

const REAL = path.join(SHARED, 'corpus', 'real');

/** Every rule on, the off-by-default ones too: each must be exact when reused. */
const OPTIONS: LintOptions = { rules, ruleSettings: effectiveRuleSettings(rules, 'all', {}) };

/** The manifests under a folder, as paths relative to it with `/`. */
function filesUnder(dir: string): string[] {
  return listFiles(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => f.split(path.sep).join('/'));
}

/** Edits of a file's text, each meant to change what some rule reads. */
const EDITS: [string, (text: string) => string][] = [
  ['a label value', (t) => t.replace(/(\b(?:app|name|tier|component)(?:\.kubernetes\.io\/name)?: *)([\w-]+)/, '$1$2x')],
  ['a renamed object', (t) => t.replace(/(\n {2}name: *)([\w-]+)/, '$1$2z')],
  [
    'another namespace',
    (t) =>
      t
        .replace(/(\n {2}namespace: *)([\w-]+)/, '$1other-ns')
        .replace(/(\n {2}name: [^\n]*)/, '$1\n  namespace: edited'),
  ],
  [
    'another kind',
    (t) =>
      t.replace(
        /\bkind: (Deployment|Service|ConfigMap|StatefulSet)\b/,
        (_, k: string) => `kind: ${k === 'Deployment' ? 'StatefulSet' : k === 'Service' ? 'ConfigMap' : 'Deployment'}`,
      ),
  ],
  ['positions moved', (t) => `# a comment\n\n${t}`],
  // Nothing an object's value shows changes, but the positions of what follows in its document do.
  ['a comment inside a document', (t) => t.replace(/\nmetadata:\n/, '\nmetadata:\n  # a comment\n')],
  [
    'the last document removed',
    (t) =>
      t
        .split(/^---\s*$/m)
        .slice(0, -1)
        .join('---\n'),
  ],
  ['the first document repeated', (t) => `${t}\n---\n${t.split(/^---\s*$/m)[0] ?? ''}`],
  ['the file emptied', () => ''],
];

function same(actual: LintResult, expected: LintResult, step: string): void {
  assert.equal(JSON.stringify(actual.findings), JSON.stringify(expected.findings), `${step}: the findings`);
  assert.deepEqual(
    actual.ruleFailures.map((f) => f.ruleId),
    expected.ruleFailures.map((f) => f.ruleId),
    `${step}: the rule failures`,
  );
}

/** Apply edits to the files at `pick` of the folder `dir` one at a time, comparing with lints from scratch. */
function check(dir: string, pick: (files: string[]) => { file: string; edits: number[] }[]): number {
  const files = filesUnder(dir);
  const bytes = files.map((f) => readFileSync(path.join(dir, f)));
  const original: Source[] = files.map((f, i) => createSource(f, bytes[i] ?? ''));
  const scratch = lint(original, OPTIONS);
  let previous = lint(original, { ...OPTIONS, incremental: true });
  same(previous, scratch, `${dir}: the first lint`);
  let reused = 0;
  for (const { file, edits } of pick(files)) {
    const i = files.indexOf(file);
    const source = original[i];
    if (source === undefined) continue;
    for (const e of edits) {
      const entry = EDITS[e % EDITS.length];
      if (entry === undefined) continue;
      const [name, edit] = entry;
      const text = edit(source.text);
      if (text === source.text) continue;
      const changed = original.slice();
      changed[i] = createSource(file, text);
      const step = `${path.relative(ROOT, dir)}/${file}, ${name}`;
      const incremental = lint(changed, { ...OPTIONS, incremental: true, previous });
      same(incremental, lint(changed, OPTIONS), step);
      reused += incremental.reused;
      // And back (a new source of the original content, as an editor's undo gives).
      previous = lint([...original.slice(0, i), createSource(file, bytes[i] ?? ''), ...original.slice(i + 1)], {
        ...OPTIONS,
        incremental: true,
        previous: incremental,
      });
      same(previous, scratch, `${step}, undone`);
      reused += previous.reused;
    }
  }
  return reused;
}

describe('an incremental lint equals a lint from scratch', () => {
  it('after edits of every file of every fixture folder', () => {
    let reused = 0;
    const folders = readdirSync(path.join(FIXTURES, 'rules'))
      .map((d) => path.join(FIXTURES, 'rules', d))
      .concat(['graph', 'context', 'peers', 'demo', 'lsp'].map((d) => path.join(FIXTURES, d)))
      .filter((d) => existsSync(d) && statSync(d).isDirectory());
    for (const dir of folders) {
      // Three edits per file, a different three for each file, so that every kind of edit meets every folder.
      reused += check(dir, (files) => files.map((file, n) => ({ file, edits: [n, n + 3, n + 6] })));
    }
    // The test would prove nothing if no rule were ever reused.
    assert.ok(reused > 0, 'no rule was reused');
  });

  /** Lint `before` incrementally, then `after` with it as the previous lint, and compare with a full lint. */
  function step(before: Source[], after: Source[], what: string): void {
    const previous = lint(before, { ...OPTIONS, incremental: true });
    same(lint(after, { ...OPTIONS, incremental: true, previous }), lint(after, OPTIONS), what);
  }

  it('when a remembered answer of the near-miss index depends on which files are variants', () => {
    // a.yaml and b.yaml define the same two ConfigMaps, so they are variants (never applied together) and the
    // Deployment of b.yaml is no evidence for the selectors of a.yaml. Renaming one ConfigMap ends that: the
    // budget's "no pods" becomes a warning. The network policy asks the same question first, so the budget's
    // rule gets the remembered answer, which must still count as reading the files' identities.
    const configMap = (name: string) =>
      `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: x\n`;
    const selecting = (kind: string, apiVersion: string, spec: string) =>
      `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: p\n  namespace: x\nspec:\n${spec}`;
    const a =
      selecting('NetworkPolicy', 'networking.k8s.io/v1', '  podSelector:\n    matchLabels:\n      app: zzz\n') +
      '---\n' +
      selecting(
        'PodDisruptionBudget',
        'policy/v1',
        '  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: zzz\n',
      ) +
      configMap('c1') +
      configMap('c2');
    const b =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: x\nspec:\n  selector:\n' +
      '    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n' +
      '      containers:\n        - name: web\n          image: nginx:1.25\n' +
      configMap('c1') +
      configMap('c2');
    const before = [createSource('app/a.yaml', a), createSource('app/b.yaml', b)];
    step(before, [createSource('app/a.yaml', a.replace('name: c2', 'name: c3')), before[1] as Source], 'c2 renamed');
  });

  it('when the same files come in another order', () => {
    // Which of two Namespaces of one name `find` gives first follows the input order, and with it the Pod
    // Security level the Deployment is judged against.
    const namespace = (level: string) =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;
    const a = createSource('a/ns.yaml', namespace('restricted'));
    const b = createSource('b/ns.yaml', namespace('privileged'));
    const deployment = createSource(
      'app/dep.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: x\nspec:\n  selector:\n' +
        '    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n' +
        '      hostNetwork: true\n      containers:\n        - name: web\n          image: nginx:1.25\n' +
        '          securityContext:\n            privileged: true\n',
    );
    step([a, b, deployment], [b, a, deployment], 'the two Namespace files swapped');
  });

  it('after edits of files of ../shared/corpus/real', { skip: !existsSync(REAL) }, () => {
    const reused = check(REAL, () =>
      [
        'GoogleCloudPlatform__microservices-demo/kubernetes-manifests/cartservice.yaml',
        'GoogleCloudPlatform__microservices-demo/kubernetes-manifests/frontend.yaml',
      ]
        .map((file) => ({ file, edits: [0, 1, 2, 3, 4, 5, 6, 7] }))
        // A kustomization's namespace moves its resources: every rule runs again.
        .concat([
          { file: 'GoogleCloudPlatform__microservices-demo/kubernetes-manifests/kustomization.yaml', edits: [2, 4] },
        ]),
    );
    assert.ok(reused > 0, 'no rule was reused');
  });
});
