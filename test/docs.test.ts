/** Rule metadata is the single source of truth: docs and README must not drift from it. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { formatRulesJson, formatRulesTable } from '../src/format/rules.js';
import { RULE_DOC_END, renderReadme, renderRuleDoc, replaceBetween } from '../src/format/rule-docs.js';
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
