/** The string formats of the Kubernetes schemas, as ajv format checks, and how to describe them. */
import type { Ajv, Format } from 'ajv';

/** Kubernetes quantity syntax: a signed decimal number with an optional SI, binary or exponent suffix. */
export const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
/** RFC 3339 date-time, as the API server parses metav1.Time (fractional seconds allowed). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Standard base64; Go's decoder skips line breaks, so they are allowed. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const INT32 = (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31;
const INT64 = (n: number) => Number.isInteger(n);

/**
 * Every format the bundled schemas and CRD schemas use, with a real check, as ajv format definitions. The
 * standalone validators generated at build time (scripts/gen-validators.ts) receive this object too.
 */
export const FORMATS: Readonly<Record<string, Format>> = {
  quantity: QUANTITY,
  'int-or-string': true,
  int32: { type: 'number', validate: INT32 },
  int64: { type: 'number', validate: INT64 },
  double: { type: 'number', validate: () => true },
  float: { type: 'number', validate: () => true },
  byte: { type: 'string', validate: (s: string) => BASE64.test(s.replace(/[\r\n]/g, '')) },
  'date-time': DATE_TIME,
  'date-time-micro': DATE_TIME,
  date: DATE,
};

/** Register every format of FORMATS with an ajv. */
export function addFormats(ajv: Ajv): void {
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
}

/** The same checks for the walker of CRD schemas: true when valid or when the format is not known. */
export function checkFormat(format: string, value: string | number): boolean {
  if (typeof value === 'number') {
    if (format === 'int32') return INT32(value);
    if (format === 'int64') return INT64(value);
    return true;
  }
  switch (format) {
    case 'quantity':
      return QUANTITY.test(value);
    case 'byte':
      return BASE64.test(value.replace(/[\r\n]/g, ''));
    case 'date-time':
    case 'date-time-micro':
      return DATE_TIME.test(value);
    case 'date':
      return DATE.test(value);
    default:
      return true;
  }
}

/** "must be …" for a value that fails a format. */
export function describeFormat(format: string): string {
  switch (format) {
    case 'quantity':
      return (
        'a quantity such as `500m`, `1.5`, `256Mi` or `2Gi` ' +
        '(a number with an optional suffix: m, k, M, G, Ki, Mi, Gi…)'
      );
    case 'int32':
      return 'a whole number between -2147483648 and 2147483647';
    case 'int64':
      return 'a whole number';
    case 'byte':
      return 'base64-encoded data';
    case 'date-time':
    case 'date-time-micro':
      return 'an RFC 3339 timestamp such as `2024-05-01T12:00:00Z`';
    case 'date':
      return 'a date such as `2024-05-01`';
    default:
      return `in format ${format}`;
  }
}
