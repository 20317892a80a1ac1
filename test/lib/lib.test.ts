// Issue 8: the reusable pieces under src-main/lib: terminal sanitiser, safe file names, input limits, address classes.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasUnsafeChars, safeLine, safeText, sanitizeTerminalOutput } from '../../src-main/lib/terminal-text';
import { isReservedWindowsName, safeFileName, safeFileNameWithExt } from '../../src-main/lib/safe-file-name';
import { checkJsonDepth, InputLimitError, jsonDepth, MAX_INPUT_BYTES, parseJsonWithinLimits, readFileWithinLimit } from '../../src-main/lib/input-limits';
import { addressClass, isNonPublicAddress } from '../../src-main/lib/private-address';
import { tmpDir } from '../support/tmp';

describe('terminal sanitiser', () => {
  it('escapes C0 (but newline and tab in text), DEL, C1, ESC and the bidi controls; leaves other text alone', () => {
    expect(safeLine('a\u001b[2Kb')).toBe('a\\u001b[2Kb');
    expect(safeLine('x\ry\nz\t')).toBe('x\\u000dy\\u000az\\u0009');
    expect(safeText('x\ry\nz\t')).toBe('x\\u000dy\nz\t');
    expect(safeLine('\u009b2A\u0085\u007f')).toBe('\\u009b2A\\u0085\\u007f');
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(safeLine(`a${c}b`)).toBe(`a\\u${c.charCodeAt(0).toString(16)}b`);
      expect(hasUnsafeChars(c)).toBe(true);
    }
    expect(safeLine('Contoso – DC1 ✔ “ok” 東京 مرحبا')).toBe('Contoso – DC1 ✔ “ok” 東京 مرحبا');
    expect(hasUnsafeChars('plain')).toBe(false);
  });

  it('the CLI writer lets its own colours through only when colour is on, and never anything else', () => {
    const own = '\u001b[32m✔ PASS\u001b[0m';
    expect(sanitizeTerminalOutput(own, { allowOwnColour: true })).toBe(own);
    expect(sanitizeTerminalOutput(own)).toBe('\\u001b[32m✔ PASS\\u001b[0m');
    expect(sanitizeTerminalOutput('\u001b[8mhidden\u001b[1A\u001b[2K', { allowOwnColour: true })).toBe('\\u001b[8mhidden\\u001b[1A\\u001b[2K');
    // JSON stays JSON, meaning the same characters.
    const j = JSON.stringify({ k: 'a\u202eb\u009bc' });
    expect(JSON.parse(sanitizeTerminalOutput(j))).toEqual({ k: 'a\u202eb\u009bc' });
  });
});

describe('safe file names (every OS)', () => {
  it.each([
    ['CON', 'CON_'],
    ['nul', 'nul_'],
    ['COM1', 'COM1_'],
    ['lpt9', 'lpt9_'],
    ['COM¹', 'COM¹_'],
    ['CON.txt', 'CON_.txt'],
    ['aux.tar.gz', 'aux_.tar.gz'],
    ['Contoso.', 'Contoso'],
    ['Contoso . .', 'Contoso'],
    ['a<b>c:d"e/f\\g|h?i*j', 'a-b-c-d-e-f-g-h-i-j'],
    ['...', 'file'],
    ['', 'file'],
    ['CONSOLE', 'CONSOLE'],
    ['Contoso HQ', 'Contoso HQ'],
  ])('%j -> %j', (input, out) => {
    expect(safeFileName(input)).toBe(out);
    expect(isReservedWindowsName(safeFileName(input))).toBe(false);
  });
  it('with an extension', () => {
    expect(safeFileNameWithExt('NUL', '.icesso')).toBe('NUL_.icesso');
    expect(safeFileNameWithExt('site. ', '.json')).toBe('site.json');
    expect(safeFileNameWithExt('x'.repeat(300), '.json').length).toBeLessThanOrEqual(120);
  });
});

describe('input limits', () => {
  it('JSON depth is measured without recursion; brackets in strings do not count', () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{\\"[["}')).toBe(1);
    expect(jsonDepth('['.repeat(100_000) + ']'.repeat(100_000), 64)).toBe(65);
    expect(() => checkJsonDepth('['.repeat(65) + ']'.repeat(65), 'x.json')).toThrow(/x\.json: the JSON nests more than 64 levels/);
    expect(() => checkJsonDepth('['.repeat(64) + ']'.repeat(64), 'x.json')).not.toThrow();
    expect(() => parseJsonWithinLimits(`"${'a'.repeat(MAX_INPUT_BYTES)}"`, 'big.json')).toThrow(InputLimitError);
  });
  it('a file over 5 MB is refused from its size, naming the file and the limit', async () => {
    const dir = await tmpDir('limits');
    const f = path.join(dir, 'big.json');
    await fsp.writeFile(f, Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20));
    await expect(readFileWithinLimit(f, 'big.json')).rejects.toThrow(/big\.json: 5,242,881 bytes, the limit of 5 MB \(5,242,880 bytes\)/);
    await fsp.writeFile(f, '{}');
    expect((await readFileWithinLimit(f)).toString()).toBe('{}');
    await expect(readFileWithinLimit(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('address classes', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00::2', 'unique-local'],
    ['fc12::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['172.32.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['ice.contoso.com', 'public'],
  ])('%s is %s', (a, c) => {
    expect(addressClass(a)).toBe(c);
    expect(isNonPublicAddress(a)).toBe(c !== 'public');
  });
});
