/**
 * Examples that cannot drift: the YAML examples of every docs/rules/<id>.md are linted with that rule
 * alone. A block marked `broken` must produce a finding of the rule in that block, the `fixed` blocks
 * of the same example must produce none; `context` blocks are linted with both, a `config` block is
 * the example's .kubewire.yaml. The convention is written down in docs/writing-rules.md.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { exampleOutput, fixedByConfig, lintExample } from '../src/doc-examples.js';
import { replaceExampleOutputs, ruleDocExamples } from '../src/format/rule-docs.js';
import type { Finding } from '../src/types.js';
import { ROOT } from './helpers.js';

const ruleIds = rules.map((r) => r.id);
const describeFinding = (f: Finding) => `${f.file}:${String(f.line)}:${String(f.column)} ${f.message}`;

describe('rule docs examples', () => {
  for (const rule of rules) {
    const page = `docs/rules/${rule.id}.md`;
    describe(page, () => {
      const markdown = readFileSync(path.join(ROOT, page), 'utf8');
      const { examples, unmarked } = ruleDocExamples(markdown);
      const blocks = examples.flatMap((e) => e.blocks);

      it('marks every example, with at least one broken and one fixed', () => {
        assert.deepEqual(
          unmarked.map((line) => `${page}:${String(line)}`),
          [],
          'a YAML block under ## Examples has no role (```yaml broken, fixed, context or config)',
        );
        assert.ok(
          blocks.some((b) => b.role === 'broken'),
          `${page}: no example marked broken`,
        );
        assert.ok(
          blocks.some((b) => b.role === 'fixed' || (b.role === 'config' && b.fixedOnly)),
          `${page}: no example marked fixed`,
        );
      });

      for (const example of examples) {
        const broken = example.blocks.filter((b) => b.role === 'broken');
        if (broken.length > 0) {
          it(`${example.heading}: the broken example produces ${rule.id}`, () => {
            const run = lintExample(rule, example, 'broken', ruleIds);
            assert.deepEqual(run.errors, [], page);
            for (const b of broken) {
              assert.ok(
                run.findings.some((f) => f.file === b.file),
                `${page}:${String(b.line)}: the example marked broken (${b.file}) produces no ${rule.id} finding`,
              );
            }
          });
        }
        if (example.blocks.some((b) => b.role === 'fixed') || fixedByConfig(example)) {
          it(`${example.heading}: the fixed example is clean`, () => {
            const run = lintExample(rule, example, 'fixed', ruleIds);
            assert.deepEqual(run.errors, [], page);
            const first = example.blocks.find((b) => b.role === 'fixed' || b.role === 'config');
            assert.deepEqual(
              run.findings.map(describeFinding),
              [],
              `${page}:${String(first?.line ?? 0)}: the example marked fixed still produces ${rule.id}`,
            );
          });
        }
      }

      it('shows what kubewire reports for each broken example (npm run docs)', () => {
        assert.equal(
          markdown,
          replaceExampleOutputs(markdown, (example) => exampleOutput(rule, example, ruleIds)),
          `${page}: an output block differs from what kubewire reports: run \`npm run docs\``,
        );
      });
    });
  }
});

describe('rule docs example parsing', () => {
  it('reads roles, file names, headings and unmarked blocks of ## Examples only', () => {
    const page = [
      '## Examples',
      '',
      '### A typo (error)',
      '',
      '`web.yaml`:',
      '',
      '```yaml broken',
      'kind: A',
      '```',
      '',
      '```text',
      'output',
      '```',
      '',
      'Fixed:',
      '',
      '```yaml fixed',
      'kind: B',
      '```',
      '',
      '```yaml',
      'kind: C',
      '```',
      '',
      '## Configuration',
      '',
      '```yaml',
      'rules: {}',
      '```',
    ].join('\n');
    const { examples, unmarked } = ruleDocExamples(page);
    assert.deepEqual(
      examples.map((e) => [
        e.heading,
        e.blocks.map((b) => [b.role, b.file, b.text, b.line, b.endLine, b.fixedOnly, b.latin1]),
      ]),
      [
        [
          'A typo (error)',
          [
            ['broken', 'web.yaml', 'kind: A\n', 7, 9, false, false],
            ['fixed', 'example.yaml', 'kind: B\n', 17, 19, false, false],
          ],
        ],
      ],
    );
    assert.deepEqual(unmarked, [21]);
  });
});
