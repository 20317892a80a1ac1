// A minimal, strict ZIP writer/reader for the bundle: stored (uncompressed) entries only, flat names,
// no extra fields, no comments, no data descriptors, no ZIP64. The writer produces exactly what the
// reader accepts, and the reader accounts for every byte of the archive: each header field is either
// a fixed value or cross-checked (local header vs central directory, offsets contiguous), so a
// flipped byte anywhere is either a header mismatch or a content (CRC / SHA-256) mismatch.
// Windows Explorer, macOS Archive Utility, unzip and 7-Zip open such archives natively.
import { crc32 } from 'node:zlib';

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const VERSION = 20; // 2.0: stored entries
const FLAG_UTF8 = 0x0800;
const LOCAL_LEN = 30;
const CENTRAL_LEN = 46;
const EOCD_LEN = 22;
const MAX_ENTRIES = 64;
/** Where the fields a local header shares with its central directory entry start in each. */
const LOCAL_SHARED_AT = 4;
const CENTRAL_SHARED_AT = 6;

/**
 * The fields a local header repeats from its central directory entry, in order ("version needed" to
 * "file name length"): the writer writes them once for both, the reader cross-checks them byte for byte.
 */
const SHARED_FIELDS: ReadonlyArray<{ at: number; size: 2 | 4; what: string }> = [
  { at: 0, size: 2, what: 'version needed' },
  { at: 2, size: 2, what: 'flags' },
  { at: 4, size: 2, what: 'compression method' },
  { at: 6, size: 2, what: 'time' },
  { at: 8, size: 2, what: 'date' },
  { at: 10, size: 4, what: 'CRC-32' },
  { at: 14, size: 4, what: 'compressed size' },
  { at: 18, size: 4, what: 'size' },
  { at: 22, size: 2, what: 'name length' },
];

function readField(buf: Buffer, offset: number, size: 2 | 4): number {
  return size === 2 ? buf.readUInt16LE(offset) : buf.readUInt32LE(offset);
}

export interface ZipEntryInput {
  name: string;
  data: Uint8Array;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Offset of the local header in the archive. */
  offset: number;
  crcOk: boolean;
}

export type ZipProblem = 'truncated' | 'not-zip' | 'bad-header';

export class ZipError extends Error {
  constructor(
    readonly problem: ZipProblem,
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'ZipError';
  }
}

/** DOS date/time (local fields, but we write UTC: the archive carries no time zone). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export function validEntryName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) && !name.includes('..');
}

export function writeZip(entries: ZipEntryInput[], when: Date = new Date()): Buffer {
  if (entries.length > MAX_ENTRIES) throw new Error(`too many entries (${entries.length})`);
  const { time, date } = dosDateTime(when);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const e of entries) {
    if (!validEntryName(e.name)) throw new Error(`invalid entry name ${JSON.stringify(e.name)}`);
    if (seen.has(e.name)) throw new Error(`duplicate entry ${e.name}`);
    seen.add(e.name);
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data) >>> 0;
    // Stored entry: compression method 0, compressed size = size.
    const shared = [VERSION, FLAG_UTF8, 0, time, date, crc, e.data.length, e.data.length, name.length];
    const lh = Buffer.alloc(LOCAL_LEN); // extra field length (28): zero
    lh.writeUInt32LE(LOCAL_SIG, 0);
    const ch = Buffer.alloc(CENTRAL_LEN); // extra, comment length, disk start, internal and external attributes: zero
    ch.writeUInt32LE(CENTRAL_SIG, 0);
    ch.writeUInt16LE(VERSION, 4); // version made by
    SHARED_FIELDS.forEach((f, i) => {
      for (const [buf, at] of [[lh, LOCAL_SHARED_AT], [ch, CENTRAL_SHARED_AT]] as const) {
        if (f.size === 2) buf.writeUInt16LE(shared[i]!, at + f.at);
        else buf.writeUInt32LE(shared[i]!, at + f.at);
      }
    });
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength));
    centrals.push(ch, name);
    offset += LOCAL_LEN + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(EOCD_LEN);
  eocd.writeUInt32LE(EOCD_SIG, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

function findEocdBackwards(buf: Buffer): number {
  const start = Math.max(0, buf.length - EOCD_LEN - 0xffff);
  for (let i = buf.length - 4; i >= start; i--) if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  return -1;
}

/** Read a bundle archive strictly. Throws ZipError for structural damage; content damage shows as crcOk=false. */
export function readZip(buf: Buffer): ZipEntry[] {
  const startsLikeZip = buf.length >= 4 && buf.readUInt32LE(0) === LOCAL_SIG;
  if (buf.length < EOCD_LEN || buf.readUInt32LE(buf.length - EOCD_LEN) !== EOCD_SIG) {
    const at = buf.length >= 4 ? findEocdBackwards(buf) : -1;
    if (at > buf.length - EOCD_LEN && startsLikeZip) {
      throw new ZipError('truncated', `truncated archive: the end-of-archive record is cut short (the file is ${buf.length} bytes; copy it again)`);
    }
    if (at >= 0) throw new ZipError('bad-header', `bad archive: ${buf.length - at - EOCD_LEN} unexpected byte(s) after the end-of-archive record`);
    if (startsLikeZip) throw new ZipError('truncated', `truncated archive: the end-of-archive record is missing (the file is ${buf.length} bytes; it was cut short, copy it again)`);
    throw new ZipError('not-zip', 'not a bundle: the file is not a ZIP archive');
  }
  const eocd = buf.length - EOCD_LEN;
  const n = buf.readUInt16LE(eocd + 8);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) throw new ZipError('bad-header', 'bad archive: end-of-archive record names a multi-disk archive');
  if (buf.readUInt16LE(eocd + 10) !== n) throw new ZipError('bad-header', 'bad archive: end-of-archive record entry counts disagree');
  if (buf.readUInt16LE(eocd + 20) !== 0) throw new ZipError('bad-header', 'bad archive: end-of-archive record has a comment');
  if (n === 0 || n > MAX_ENTRIES) throw new ZipError('bad-header', `bad archive: implausible entry count ${n}`);
  if (cdOffset + cdSize !== eocd) {
    if (cdOffset + cdSize > eocd && startsLikeZip) {
      throw new ZipError('truncated', `truncated archive: the central directory should end at byte ${cdOffset + cdSize} but the file ends at ${buf.length}`);
    }
    throw new ZipError('bad-header', 'bad archive: the central directory is not where the end-of-archive record says');
  }
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let p = cdOffset;
  let expectedLocal = 0;
  for (let i = 0; i < n; i++) {
    if (p + CENTRAL_LEN > eocd || buf.readUInt32LE(p) !== CENTRAL_SIG) throw new ZipError('bad-header', `bad archive: central directory entry ${i + 1} is damaged (bad signature)`);
    const nameLen = buf.readUInt16LE(p + 28);
    if (p + CENTRAL_LEN + nameLen > eocd) throw new ZipError('bad-header', `bad archive: central directory entry ${i + 1} overruns the directory`);
    const name = buf.subarray(p + CENTRAL_LEN, p + CENTRAL_LEN + nameLen).toString('utf8');
    const label = validEntryName(name) ? name : `entry ${i + 1}`;
    const fixed: Array<[number, 2 | 4, number, string]> = [
      [4, 2, VERSION, 'version made by'],
      [6, 2, VERSION, 'version needed'],
      [8, 2, FLAG_UTF8, 'flags'],
      [10, 2, 0, 'compression method (only stored entries are allowed)'],
      [30, 2, 0, 'extra field length'],
      [32, 2, 0, 'comment length'],
      [34, 2, 0, 'disk number'],
      [36, 2, 0, 'internal attributes'],
      [38, 4, 0, 'external attributes'],
    ];
    for (const [off, len, want, what] of fixed) {
      if (readField(buf, p + off, len) !== want) throw new ZipError('bad-header', `bad header: central directory entry for ${label} has an unexpected ${what}`, label);
    }
    if (!validEntryName(name)) throw new ZipError('bad-header', `bad header: entry ${i + 1} has an invalid name ${JSON.stringify(name)}`);
    if (seen.has(name)) throw new ZipError('bad-header', `bad header: entry ${name} appears twice`, name);
    seen.add(name);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const local = buf.readUInt32LE(p + 42);
    if (csize !== usize) throw new ZipError('bad-header', `bad header: sizes of ${name} disagree (stored entries must be equal)`, name);
    if (local !== expectedLocal) throw new ZipError('bad-header', `bad header: ${name} is not where the central directory says (offset ${local}, expected ${expectedLocal})`, name);
    const dataStart = local + LOCAL_LEN + nameLen;
    if (dataStart + csize > cdOffset) throw new ZipError('bad-header', `bad header: ${name} overruns the central directory`, name);
    if (buf.readUInt32LE(local) !== LOCAL_SIG) throw new ZipError('bad-header', `bad header: local header of ${name} is damaged (bad signature)`, name);
    // The local header must repeat the central directory's fields byte for byte.
    for (const { at, size, what } of SHARED_FIELDS) {
      if (readField(buf, local + LOCAL_SHARED_AT + at, size) !== readField(buf, p + CENTRAL_SHARED_AT + at, size)) {
        throw new ZipError('bad-header', `bad header: local header of ${name} disagrees with the central directory (${what})`, name);
      }
    }
    if (buf.readUInt16LE(local + 28) !== 0) throw new ZipError('bad-header', `bad header: local header of ${name} has an extra field`, name);
    if (!buf.subarray(local + LOCAL_LEN, dataStart).equals(buf.subarray(p + CENTRAL_LEN, p + CENTRAL_LEN + nameLen))) {
      throw new ZipError('bad-header', `bad header: local header of ${name} names a different file`, name);
    }
    const data = buf.subarray(dataStart, dataStart + csize);
    entries.push({ name, data, offset: local, crcOk: (crc32(data) >>> 0) === crc });
    expectedLocal = dataStart + csize;
    p += CENTRAL_LEN + nameLen;
  }
  if (p !== eocd) throw new ZipError('bad-header', 'bad archive: unexpected bytes after the central directory');
  if (expectedLocal !== cdOffset) throw new ZipError('bad-header', `bad archive: ${cdOffset - expectedLocal} unexplained byte(s) before the central directory`);
  return entries;
}
