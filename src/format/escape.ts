/**
 * Text from the manifests (names, label values, code-frame lines, file names) reaches terminals and CI
 * logs through the human-readable formats: control characters are shown escaped, never sent raw, so a
 * manifest cannot move the cursor, rewrite the screen, hide findings or reverse text (bidirectional
 * overrides, "Trojan Source").
 */

// C0 and C1 control characters, DEL, line/paragraph separators and bidirectional formatting characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of display text with every control character escaped (`\x1b`, `\n`, `\u202e`). */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** The most characters of a source line shown in a code frame; longer lines show a window around the column. */
export const FRAME_WIDTH = 160;

/**
 * A window of a long line around a column (1-based), escaped, with where the column and the end column
 * (exclusive, clipped to the window) fall in the result. Minified JSON puts a whole file on one line:
 * printing it once per finding produced gigabytes.
 */
export function lineWindow(
  line: string,
  column: number,
  endColumn = column + 1,
  width = FRAME_WIDTH,
): { text: string; column: number; endColumn: number } {
  let start = 0;
  let end = line.length;
  if (line.length > width) {
    start = Math.max(0, Math.min(column - 1 - Math.floor(width / 3), line.length - width));
    end = start + width;
  }
  const at = Math.min(Math.max(start, column - 1), end);
  const stop = Math.min(Math.max(at, endColumn - 1), end);
  const before = `${start > 0 ? '…' : ''}${escapeControl(line.slice(start, at))}`;
  const marked = escapeControl(line.slice(at, stop));
  const after = `${escapeControl(line.slice(stop, end))}${end < line.length ? '…' : ''}`;
  return {
    text: `${before}${marked}${after}`,
    column: before.length + 1,
    endColumn: before.length + marked.length + 1,
  };
}

/**
 * A file name as the file system gives it (bytes), for display: its valid UTF-8 as text, every byte that
 * is not part of valid UTF-8 as `\xNN`. Node decodes such names with U+FFFD, which names no file (and
 * several names alike), so kubewire reads them by their bytes and shows them this way. A backslash
 * followed by text that reads as such an escape (`a\xff.yaml` written out) is itself shown as `\x5c`, so
 * that no two names are shown alike (see looksEscaped).
 */
export function escapeBytes(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0 || (bytes[i] === 0x5c && looksEscaped(String.fromCharCode(...bytes.subarray(i, i + 4))))) {
      out += `\\x${(bytes[i] ?? 0).toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += decoder.decode(bytes.subarray(i, i + length));
      i += length;
    }
  }
  return out;
}

/**
 * Whether a path that is valid UTF-8 holds a backslash that escapeBytes would show escaped: such a path is
 * shown, and then read, by its bytes, like a name that is not valid UTF-8.
 */
export function looksEscaped(text: string): boolean {
  return /\\x[0-9a-fA-F]{2}/.test(text);
}

/** The length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or code points past U+10FFFF), or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** A path's bytes percent-encoded for a URI: unreserved characters and `/` as they are, every other byte as `%XX`. */
export function uriEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~/]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
