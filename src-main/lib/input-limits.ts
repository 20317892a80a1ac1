// Limits on every file the tool reads (site files, bundles, application/service-principal/grant JSON): a size
// cap checked before the bytes are read, and a JSON nesting cap checked before JSON.parse (so a hostile file can
// neither exhaust memory nor the stack of any recursive code after it). Refusals name the file and the limit.
import * as fsp from 'node:fs/promises';
import { AppError } from './errors';

/** 5 MiB: a site with years of history is well under 1 MiB, a bundle under 100 KiB. */
export const MAX_INPUT_BYTES = 5 * 1024 * 1024;
/** Our own documents nest under 12 levels; Graph applications under 8. */
export const MAX_JSON_DEPTH = 64;

export type InputLimit = 'too-large' | 'too-deep';

export class InputLimitError extends AppError {
  override name = 'InputLimitError';
  constructor(
    readonly file: string,
    readonly limit: InputLimit,
    /** The problem without the file name. */
    readonly detail: string,
  ) {
    super(limit === 'too-large' ? 'file.too-large' : 'file.too-deep', `${file}: ${detail}`);
  }
}

export function isInputLimitError(e: unknown): e is InputLimitError {
  return e instanceof InputLimitError || (e instanceof Error && e.name === 'InputLimitError');
}

function mib(n: number): string {
  return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
}

export function sizeDetail(size: number | undefined, max: number): string {
  return `${size === undefined ? 'more than' : `${size.toLocaleString('en-US')} bytes,`} the limit of ${mib(max)} (${max.toLocaleString('en-US')} bytes) for a file this tool reads: check that it is the right file`.replace(/^more than the limit/, 'larger than the limit');
}

/** Throws when `size` is over the limit. */
export function checkSize(size: number, file: string, max = MAX_INPUT_BYTES): void {
  if (size > max) throw new InputLimitError(file, 'too-large', sizeDetail(size, max));
}

/**
 * The deepest nesting of objects/arrays in a JSON text, scanning (not parsing, no recursion); stops counting
 * once `stopAt` is passed. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Throws when the JSON text nests deeper than the limit. */
export function checkJsonDepth(text: string, file: string, maxDepth = MAX_JSON_DEPTH): void {
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new InputLimitError(file, 'too-deep', `the JSON nests more than ${maxDepth} levels deep, the limit for a file this tool reads: it is not a file this tool (or Microsoft Graph) wrote`);
  }
}

/** Checks size and depth, then JSON.parse (which may still throw SyntaxError for text that is not JSON). */
export function parseJsonWithinLimits(text: string, file: string, opts: { maxBytes?: number; maxDepth?: number } = {}): unknown {
  checkSize(Buffer.byteLength(text, 'utf8'), file, opts.maxBytes ?? MAX_INPUT_BYTES);
  checkJsonDepth(text, file, opts.maxDepth ?? MAX_JSON_DEPTH);
  return JSON.parse(text);
}

/**
 * Reads a file of at most `maxBytes`: refused from its size before reading, and never more than the limit read
 * even if the file grows meanwhile. File-system errors propagate unchanged (ENOENT, EISDIR...).
 */
export async function readFileWithinLimit(file: string, label: string = file, maxBytes = MAX_INPUT_BYTES): Promise<Buffer> {
  const h = await fsp.open(file, 'r');
  try {
    const st = await h.stat();
    if (st.isDirectory()) {
      const e = new Error(`EISDIR: illegal operation on a directory, read`) as NodeJS.ErrnoException;
      e.code = 'EISDIR';
      throw e;
    }
    if (st.isFile()) checkSize(st.size, label, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await h.read(buf, 0, buf.length, null);
      if (!bytesRead) break;
      total += bytesRead;
      if (total > maxBytes) throw new InputLimitError(label, 'too-large', sizeDetail(undefined, maxBytes));
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await h.close();
  }
}
