/**
 * From an editor's `file:` URI to a path as discovery names files (src/cli/files.ts): a URI is
 * percent-encoded bytes, and a file name need not be valid UTF-8. Such names are shown with the bytes
 * escaped as `\xNN` (see escapeBytes) and read by their bytes; fileURLToPath() rejects them.
 */
import { fileURLToPath } from 'node:url';
import { escapeBytes, looksEscaped } from '../format/escape.js';

/**
 * The path of a `file:` URI (from an editor), as discovery names files: percent-encoded bytes that are
 * not valid UTF-8 (which fileURLToPath rejects) are escaped as `\xNN` (see rawPaths in src/cli/files.ts).
 * Undefined for another scheme, a remote host or an encoded `/`.
 */
export function uriPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    const file = fileURLToPath(uri);
    // A path shown escaped although it is valid UTF-8 (a backslash before `xNN`): as discovery shows it.
    if (!looksEscaped(file)) return file;
  } catch {
    // Not valid UTF-8 once decoded, or not a file path at all.
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if ((url.hostname !== '' && url.hostname !== 'localhost') || process.platform === 'win32') return undefined;
  const bytes: number[] = [];
  const text = url.pathname;
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '%' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      const byte = parseInt(hex, 16);
      if (byte === 0x2f || byte === 0) return undefined;
      bytes.push(byte);
      i += 2;
    } else bytes.push(...Buffer.from(text[i] ?? ''));
  }
  return escapeBytes(Buffer.from(bytes));
}
