// One output sanitiser for text that came from a file, a server or Microsoft Graph and is about to reach a
// terminal. Control characters (C0 but newline and tab, DEL, C1 including the 8-bit CSI U+009B), ESC, and the
// bidirectional formatting characters (U+202A-U+202E overrides and embeddings, U+2066-U+2069 isolates, and the
// LRM/RLM/ALM marks) are shown escaped as \uXXXX, so a hostile string can neither move the cursor, erase or
// recolour what the tool printed, nor reorder it on screen. \uXXXX inside a JSON string is the same character,
// so JSON output stays valid and means the same.

// eslint-disable-next-line no-control-regex
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function hex(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A foreign string for one line of output: every control (newline and tab too) and bidi character escaped. */
export function safeLine(s: unknown): string {
  return String(s).replace(UNSAFE_LINE, hex);
}

/** A foreign text block: as safeLine, but newlines and tabs are kept. */
export function safeText(s: unknown): string {
  return String(s).replace(UNSAFE_MULTILINE, hex);
}

/** True when the string holds a character safeLine would escape. */
export function hasUnsafeChars(s: string): boolean {
  UNSAFE_LINE.lastIndex = 0;
  const r = UNSAFE_LINE.test(s);
  UNSAFE_LINE.lastIndex = 0;
  return r;
}

/** The colour/bold sequences the CLI itself writes (render.ts paint()): nothing else from ESC passes. */
// eslint-disable-next-line no-control-regex
const OWN_SGR = /\u001b\[(?:0|1|31|32|33|36|90)m/g;

/**
 * Sanitises a chunk the CLI is about to write (the last line of defence: renderers also escape what they
 * interpolate). With `allowOwnColour`, the CLI's own few SGR sequences (reset, bold, red, green, yellow, cyan,
 * grey: none hides or moves text) pass; every other control is escaped.
 */
export function sanitizeTerminalOutput(chunk: string, opts: { allowOwnColour?: boolean } = {}): string {
  if (!opts.allowOwnColour) return safeText(chunk);
  let out = '';
  let last = 0;
  for (const m of chunk.matchAll(OWN_SGR)) {
    out += safeText(chunk.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + safeText(chunk.slice(last));
}
