/**
 * Schema `pattern`s are evaluated the way the API server does: with RE2 semantics (Go's regexp), in time
 * linear in the input. A CRD in the input is untrusted: with a backtracking engine a pattern such as
 * `(a+)+$` and a matching value hang the run.
 */
import { createRequire } from 'node:module';
import type * as Re2Module from 're2js';

// Loaded on first use (module loading, not file access): only schemas with a `pattern` need it, which the
// bundled Kubernetes schemas have none of, and it is a quarter of a megabyte of code to start.
let re2: typeof Re2Module.RE2JS | undefined;
const engine = () => (re2 ??= (createRequire(import.meta.url)('re2js') as typeof Re2Module).RE2JS);

/** What ajv and the structural validator need of a regular expression. */
export interface PatternTester {
  test(value: string): boolean;
}

const cache = new Map<string, PatternTester | null>();

/** An RE2 matcher for a schema pattern (unanchored, like Go's MatchString), or null when RE2 cannot read it. */
export function schemaPattern(source: string): PatternTester | null {
  let tester = cache.get(source);
  if (tester === undefined) {
    try {
      const re = engine().compile(source);
      tester = { test: (value: string) => re.matcher(value).find() };
    } catch {
      tester = null; // a pattern the API server would reject too: the schema is reported elsewhere, not the value
    }
    cache.set(source, tester);
  }
  return tester;
}

/**
 * ajv's `code.regExp` engine: RE2 for every `pattern` (ajv passes the `u` flag, meaningless to RE2). The
 * build's standalone code gets it as a parameter (scripts/gen-validators.ts gives the code for that).
 */
export const re2RegExp = Object.assign(
  (source: string): PatternTester => {
    const tester = schemaPattern(source);
    if (tester === null) throw new Error(`pattern ${JSON.stringify(source)} is not valid RE2 syntax`);
    return tester;
  },
  { code: 're2RegExp' },
);
