/** metadata-invalid measures annotations and objects in UTF-8 bytes without encoding them: as TextEncoder does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { utf8Length } from '../rules/metadata-invalid.js';

const encoded = (text: string) => new TextEncoder().encode(text).length;

describe('utf8Length', () => {
  it('counts what TextEncoder writes, lone surrogates (U+FFFD) included', () => {
    for (const text of ['', 'a', 'é', '€', '😀', 'a😀b', '\ud800', '\udc00', '\ud800a', 'x\udbff', '\udc00\ud800'])
      assert.equal(utf8Length(text), encoded(text), JSON.stringify(text));
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === encoded(text)),
      { numRuns: 2000 },
    );
  });
});
