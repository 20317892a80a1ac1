// Which network an IP address belongs to: the /sso-meta check refuses to be steered (by a redirect or by DNS)
// to this computer or to a private network unless the configured ICE host itself is there (a lab).
// Ranges: RFC 1122 (loopback, "this network"), RFC 1918 (private), RFC 3927 (IPv4 link-local), RFC 6598 (CGNAT),
// RFC 4291 (::1, ::, IPv4-mapped), RFC 4193 (unique-local fc00::/7), RFC 4291 link-local fe80::/10.
import { isIP } from 'node:net';

export type AddressClass = 'loopback' | 'private' | 'link-local' | 'unique-local' | 'unspecified' | 'public';

function v4Class(a: string): AddressClass {
  const p = a.split('.').map(Number);
  const [x, y] = [p[0]!, p[1]!];
  if (x === 127) return 'loopback';
  if (x === 0) return 'unspecified';
  if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127)) return 'private';
  if (x === 169 && y === 254) return 'link-local';
  return 'public';
}

function expandV6(a: string): number[] | null {
  let s = a.toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  // A trailing dotted IPv4 (::ffff:127.0.0.1) becomes two groups.
  const m = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) {
    const p = m[1]!.split('.').map(Number);
    s = s.slice(0, -m[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isFinite(g)) ? groups : null;
}

/** The class of an IP address (v4 or v6, brackets allowed); 'public' for anything that is not an IP. */
export function addressClass(address: string): AddressClass {
  const a = address.replace(/^\[|\]$/g, '');
  const kind = isIP(a.replace(/%.*$/, ''));
  if (kind === 4) return v4Class(a);
  if (kind !== 6) return 'public';
  const g = expandV6(a);
  if (!g) return 'public';
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible form: the embedded IPv4 address decides.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    return v4Class(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`);
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  return 'public';
}

/** Loopback, private, link-local, unique-local or unspecified: not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  return addressClass(address) !== 'public';
}

/** A host name that always means this computer (RFC 6761). */
export function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}
