import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { podDnsNamesUsed, type PodDnsQuery } from '../rules/statefulset-service.js';

/** The definition the one-pass search must agree with: one regular expression per query, over every text. */
function oracle(texts: readonly string[], query: PodDnsQuery): boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`\\b${escape(query.name)}-(\\d+|\\$\\(?\\w+\\)?)\\.${escape(query.service)}\\b`);
  return texts.some((text) => pattern.test(text));
}

// Small alphabets, so that names, ordinals and boundaries collide often.
const word = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '_', '0'), minLength: 1, maxLength: 4 });
const piece = fc.oneof(
  word,
  fc.constantFrom('-0.', '-12.', '-$(ORDINAL).', '-$ORD.', '-$(X.', ' ', ':', '\n', '-', '.', '$', '('),
);
const text = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(''));

describe('statefulset-service: pod DNS names written in the input', () => {
  it('agrees with a regular expression per query on generated texts', () => {
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 3 }),
        fc.array(fc.record({ name: word, service: word }), { maxLength: 6 }),
        (texts, queries) => {
          const used = podDnsNamesUsed(texts, queries);
          for (const query of queries) assert.equal(used.has(query), oracle(texts, query), JSON.stringify(query));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds names next to punctuation, in variables and at the ends of a text', () => {
    const queries = [
      { name: 'zk', service: 'zk' },
      { name: 'web', service: 'web-headless' },
      { name: 'db', service: 'db' },
      { name: 'kafka', service: 'kafka' },
    ];
    const texts = ['value: zk-0.zk.billing.svc:2181', 'x: web-$(ORDINAL).web-headless', 'mydb-0.dbx kafka-1.kafka'];
    const used = podDnsNamesUsed(texts, queries);
    assert.deepEqual(
      queries.filter((q) => used.has(q)).map((q) => q.name),
      ['zk', 'web', 'kafka'],
    );
  });
});
