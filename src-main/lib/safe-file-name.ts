// File names made from names people (or files from elsewhere) chose: safe on Windows, macOS and Linux alike,
// whatever OS the tool runs on, because the file travels (USB stick, handoff).
// Windows refuses or silently redirects: the device names CON, PRN, AUX, NUL, COM0-9, LPT0-9 (also with any
// extension, and the superscript-digit forms), CONIN$/CONOUT$; names ending in a dot or a space; the characters
// < > : " / \ | ? * and controls. https://learn.microsoft.com/windows/win32/fileio/naming-a-file

const RESERVED = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)$/i;
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** True when Windows treats the name (its part before the first dot) as a device. */
export function isReservedWindowsName(name: string): boolean {
  const stem = name.split('.')[0]!.replace(/[ .]+$/, '');
  return RESERVED.test(stem);
}

/**
 * A safe file name: forbidden characters become '-', trailing dots and spaces are dropped, a reserved device
 * name gets a '_' suffix on its stem (NUL.icesso -> NUL_.icesso), at most `maxLength` characters; never empty.
 */
export function safeFileName(name: string, opts: { fallback?: string; maxLength?: number } = {}): string {
  const fallback = opts.fallback ?? 'file';
  const max = opts.maxLength ?? 120;
  let s = name.normalize('NFC').replace(BAD_CHARS, '-').replace(/^[ .]+/, '');
  if (s.length > max) s = s.slice(0, max);
  s = s.replace(/[ .]+$/, '');
  if (!s || s === '-') return fallback;
  if (isReservedWindowsName(s)) {
    const dot = s.indexOf('.');
    s = dot < 0 ? `${s}_` : `${s.slice(0, dot).replace(/[ .]+$/, '')}_${s.slice(dot)}`;
  }
  return s;
}

/** A safe stem plus an extension (given with its dot, e.g. ".icesso"): the stem is made safe, then the extension added. */
export function safeFileNameWithExt(stem: string, ext: string, opts: { fallback?: string; maxLength?: number } = {}): string {
  const safe = safeFileName(stem, { ...opts, maxLength: (opts.maxLength ?? 120) - ext.length });
  // "CON" + ".json": the device check is on the stem before the first dot, so check the joined name again.
  const joined = `${safe}${ext}`;
  return isReservedWindowsName(joined) ? `${safe}_${ext}` : joined;
}
