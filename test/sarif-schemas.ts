/**
 * The SARIF 2.1.0 JSON schemas the SARIF output is validated against, with ajv. Both are read from npm
 * packages on disk, never fetched at test time.
 *
 * - **The final OASIS schema** (`sarif-schema-2.1.0.json`, draft-07, `$id`
 *   https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json) as
 *   shipped in `dist/json-schema/` of the npm package @datadog/datadog-ci-plugin-sarif 5.11.0 (Apache-2.0
 *   licence; the last release that ships the schema as a file, later ones bundle it into JavaScript). It
 *   is a test-only project of its own (its one erratum, `state` for the suppression's `status`, is
 *   corrected: see correctSuppressionStatus), `scripts/sarif-schema/` (`npm run sarif-schema`, which .ci/run
 *   runs), so that the GitHub Action's and the pre-commit hook's installs of kubewire do not fetch it.
 *   Without it, the tests that need it skip and say how to install it.
 * - **The rtm.5 draft** (`sarif-2.1.0-rtm.5.json`, draft-04) as shipped in @microsoft/jest-sarif (MIT
 *   licence, Microsoft's sarif-js-sdk; a devDependency), always present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv07 from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ROOT } from './helpers.js';

const require = createRequire(import.meta.url);

export const FINAL_SCHEMA_FILE = path.join(
  ROOT,
  'scripts/sarif-schema/node_modules/@datadog/datadog-ci-plugin-sarif/dist/json-schema/sarif-schema-2.1.0.json',
);

/** Why the final schema's tests skip, or false when it is installed. */
export const FINAL_SCHEMA_MISSING: string | false = existsSync(FINAL_SCHEMA_FILE)
  ? false
  : 'the final SARIF 2.1.0 schema is not installed: run `npm run sarif-schema`';

type Validate = (log: unknown) => string | undefined;

/** An ajv instance's validation of `schema`, as one message or undefined. */
function validator(ajv: Pick<InstanceType<typeof Ajv07.default>, 'compile' | 'errorsText'>, schema: object): Validate {
  const validate = ajv.compile(schema);
  return (log) => (validate(log) ? undefined : ajv.errorsText(validate.errors));
}

interface SchemaWithSuppression {
  definitions: { suppression: { properties: Record<string, unknown> } };
}

/**
 * The one known erratum of the OASIS schema file: it names the suppression's review status `state`,
 * where the specification (SARIF 2.1.0 §3.35.3, the `status` property) and its consumers (GitHub code
 * scanning, GitLab, @types/sarif, Microsoft's sarif-sdk, which fixed its copy) say `status`. Reported
 * upstream as oasis-tcs/sarif-spec#449. The rename is checked, so that a copy without the erratum fails
 * here and the correction can be removed.
 */
export function correctSuppressionStatus(schema: SchemaWithSuppression): SchemaWithSuppression {
  const properties = schema.definitions.suppression.properties;
  if (!('state' in properties) || 'status' in properties)
    throw new Error('the SARIF schema no longer has the `state` erratum: remove correctSuppressionStatus');
  const { state, ...rest } = properties;
  schema.definitions.suppression.properties = { ...rest, status: state };
  return schema;
}

function finalValidator(): Validate | undefined {
  if (FINAL_SCHEMA_MISSING !== false) return undefined;
  const schema = JSON.parse(readFileSync(FINAL_SCHEMA_FILE, 'utf8')) as SchemaWithSuppression;
  const ajv = new Ajv07.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return validator(ajv, correctSuppressionStatus(schema));
}

function draftValidator(): Validate {
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  ) as object;
  // unicodeRegExp off: the draft's `language` pattern has a stray `]` that only non-unicode regular expressions accept.
  const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return validator(ajv, schema);
}

export const validateFinal = finalValidator();
export const validateDraft = draftValidator();

/** The schema errors of a SARIF log against every installed schema, or [] when it is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  const out: string[] = [];
  const draft = validateDraft(log);
  if (draft !== undefined) out.push(`rtm.5 draft schema: ${draft}`);
  const final = validateFinal?.(log);
  if (final !== undefined) out.push(`final OASIS schema: ${final}`);
  return out;
}
