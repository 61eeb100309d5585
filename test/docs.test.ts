/** Rule metadata is the single source of truth: docs and README must not drift from it. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { formatRulesJson, formatRulesTable } from '../src/format/rules.js';
import { RULE_DOC_END, renderReadme, renderRuleDoc, replaceBetween } from '../src/format/rule-docs.js';
import { REPOSITORY_URL, VERSION, ruleDocsUrl } from '../src/cli/version.js';
import { githubSlug, pointAtRepository, repositoryWebUrl } from '../src/format/repository.js';
import { repositoryReferencingFiles } from '../scripts/repository-files.js';
import { ROOT } from './helpers.js';

describe('rule metadata', () => {
  it('rules are sorted by id and ids are unique kebab-case file names', () => {
    const ids = rules.map((r) => r.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
    const files = readdirSync(path.join(ROOT, 'rules'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(files, [...ids].sort());
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('every rule has a description, a rationale and messages', () => {
    for (const r of rules) {
      assert.ok(r.description.length > 10 && !r.description.endsWith('.'), `${r.id}: description`);
      assert.ok(r.rationale.length > 40, `${r.id}: rationale`);
      assert.ok(Object.keys(r.messages).length > 0, `${r.id}: messages`);
    }
  });

  it('`kubewire rules` lists every rule', () => {
    const table = formatRulesTable(rules);
    for (const r of rules) assert.ok(table.includes(r.id));
    const json = JSON.parse(formatRulesJson(rules)) as { id: string }[];
    assert.deepEqual(
      json.map((r) => r.id),
      rules.map((r) => r.id),
    );
  });
});

describe('generated docs', () => {
  for (const rule of rules) {
    it(`docs/rules/${rule.id}.md is up to date (npm run docs)`, () => {
      const file = path.join(ROOT, 'docs', 'rules', `${rule.id}.md`);
      assert.ok(existsSync(file), `missing ${file}`);
      const text = readFileSync(file, 'utf8');
      assert.equal(
        text,
        renderRuleDoc(rule, text),
        'the generated header drifted from the rule metadata: run `npm run docs`',
      );
      const body = text.slice(text.indexOf(RULE_DOC_END) + RULE_DOC_END.length);
      assert.ok(body.trim().length > 200, 'the hand-written part of the page is missing');
    });
  }

  it('README rule table is up to date (npm run docs)', () => {
    const text = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.equal(text, renderReadme(rules, text), 'the README rule table drifted: run `npm run docs`');
  });

  it('replaceBetween keeps what surrounds the markers', () => {
    assert.equal(replaceBetween('a\n<s>\nold\n<e>\nb', '<s>', '<e>', 'new'), 'a\n<s>\nnew\n<e>\nb');
    assert.equal(replaceBetween('body', '<s>', '<e>', 'new'), '<s>\nnew\n<e>\n\nbody');
  });
});

describe("kubewire's repository address: written once, in package.json", () => {
  const ref = { url: REPOSITORY_URL, version: VERSION };

  it('package.json names a GitHub repository, from which the rule links derive', () => {
    const slug = githubSlug(REPOSITORY_URL);
    assert.ok(slug !== undefined, `repository in package.json must be a GitHub repository, got ${REPOSITORY_URL}`);
    assert.equal(ruleDocsUrl('duplicate-object'), `${REPOSITORY_URL}/blob/v${VERSION}/docs/rules/duplicate-object.md`);
  });

  for (const file of repositoryReferencingFiles(ROOT))
    it(`${path.relative(ROOT, file)} points at the repository and version of package.json (npm run docs)`, () => {
      const text = readFileSync(file, 'utf8');
      assert.equal(text, pointAtRepository(text, ref), 'a reference to the repository drifted: run `npm run docs`');
    });

  it('no other file writes the address', () => {
    const slug = githubSlug(REPOSITORY_URL) ?? REPOSITORY_URL;
    const allowed = new Set([path.join(ROOT, 'package.json'), ...repositoryReferencingFiles(ROOT)]);
    const skipped = new Set(['node_modules', 'dist', '.git', 'golden']);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!skipped.has(entry.name)) walk(full);
        } else if (!allowed.has(full) && /\.(ts|js|json|ya?ml|md|sh)$|^run$/.test(entry.name)) {
          if (readFileSync(full, 'utf8').toLowerCase().includes(slug.toLowerCase()))
            offenders.push(path.relative(ROOT, full));
        }
      }
    };
    walk(ROOT);
    assert.deepEqual(offenders, [], `derive the address from package.json instead (src/format/repository.ts)`);
  });

  it('reads the forms package.json allows', () => {
    for (const field of [
      'github:acme/kw',
      'acme/kw',
      'git+https://github.com/acme/kw.git',
      'git@github.com:acme/kw.git',
      { type: 'git', url: 'https://github.com/acme/kw' },
    ])
      assert.equal(repositoryWebUrl(field), 'https://github.com/acme/kw', JSON.stringify(field));
    assert.equal(repositoryWebUrl(undefined), undefined);
  });

  it('rewrites kubewire references only', () => {
    const before = [
      '      - uses: actions/checkout@v4',
      '      - uses: old/name@v0.0.1',
      '      - uses: github/codeql-action/upload-sarif@v3',
      '      - run: git clone --depth 1 --branch v0.0.1 https://github.com/old/name /tmp/kubewire',
      '  - repo: https://github.com/old/name',
      '    rev: v0.0.1',
      'See https://github.com/stackrox/kube-linter for the peer.',
      '  "$id": "https://example.org/schemas/kubewire-config.schema.json",',
    ].join('\n');
    assert.equal(
      pointAtRepository(before, { url: 'https://github.com/acme/kw', version: '2.3.4' }),
      [
        '      - uses: actions/checkout@v4',
        '      - uses: acme/kw@v2.3.4',
        '      - uses: github/codeql-action/upload-sarif@v3',
        '      - run: git clone --depth 1 --branch v2.3.4 https://github.com/acme/kw /tmp/kubewire',
        '  - repo: https://github.com/acme/kw',
        '    rev: v2.3.4',
        'See https://github.com/stackrox/kube-linter for the peer.',
        '  "$id": "https://raw.githubusercontent.com/acme/kw/v2.3.4/schemas/kubewire-config.schema.json",',
      ].join('\n'),
    );
  });
});
