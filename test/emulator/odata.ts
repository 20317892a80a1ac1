// The OData query subset the emulator understands: $filter (eq, ne, startswith, any-lambda on collections,
// and/or), $select, $top with paging ($skiptoken).
import type { Json } from './types';

export type Pred = (o: Json) => boolean;

export class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Tok = { t: 'id' | 'str' | 'op' | 'lp' | 'rp' | 'comma' | 'colon' | 'slash' | 'null' | 'bool' | 'num'; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new QueryError('BadRequest', `Invalid filter clause: unterminated string in '${s}'.`);
        if (s[i] === "'") {
          if (s[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += s[i];
        i++;
      }
      out.push({ t: 'str', v });
      continue;
    }
    if (c === '(') out.push({ t: 'lp', v: c });
    else if (c === ')') out.push({ t: 'rp', v: c });
    else if (c === ',') out.push({ t: 'comma', v: c });
    else if (c === ':') out.push({ t: 'colon', v: c });
    else if (c === '/') out.push({ t: 'slash', v: c });
    else {
      const m = /^[A-Za-z0-9_.@-]+/.exec(s.slice(i));
      if (!m) throw new QueryError('BadRequest', `Invalid filter clause: unexpected '${c}' in '${s}'.`);
      const w = m[0];
      const lw = w.toLowerCase();
      if (['eq', 'ne', 'and', 'or', 'not', 'gt', 'lt', 'ge', 'le', 'in'].includes(lw)) out.push({ t: 'op', v: lw });
      else if (lw === 'null') out.push({ t: 'null', v: w });
      else if (lw === 'true' || lw === 'false') out.push({ t: 'bool', v: lw });
      else if (/^-?\d+$/.test(w)) out.push({ t: 'num', v: w });
      else out.push({ t: 'id', v: w });
      i += w.length;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * Parses a $filter into a predicate. `props` = filterable scalar properties, `collections` = string collections
 * usable with any(). Anything else answers Request_UnsupportedQuery like Graph.
 */
export function parseFilter(
  filter: string,
  resource: string,
  props: string[],
  collections: string[],
  opts: { advancedOnly?: string[]; advanced?: boolean } = {},
): Pred {
  const toks = tokenize(filter);
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => {
    const t = toks[pos++];
    if (!t) throw new QueryError('BadRequest', `Invalid filter clause: '${filter}' ends unexpectedly.`);
    return t;
  };
  const expect = (t: Tok['t']) => {
    const x = next();
    if (x.t !== t) throw new QueryError('BadRequest', `Invalid filter clause: '${x.v}' unexpected in '${filter}'.`);
    return x;
  };
  const unsupported = (p: string) =>
    new QueryError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${p}' of resource '${resource}'.`);
  const literal = (): unknown => {
    const t = next();
    if (t.t === 'str') return t.v;
    if (t.t === 'null') return null;
    if (t.t === 'bool') return t.v === 'true';
    if (t.t === 'num') return Number(t.v);
    throw new QueryError('BadRequest', `Invalid filter clause: a literal was expected, found '${t.v}'.`);
  };
  const eqv = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : (a ?? null) === b);

  const primary = (): Pred => {
    const t = next();
    if (t.t === 'lp') {
      const p = orExpr();
      expect('rp');
      return p;
    }
    if (t.t === 'op' && t.v === 'not') {
      const p = primary();
      return (o) => !p(o);
    }
    if (t.t !== 'id') throw new QueryError('BadRequest', `Invalid filter clause: '${t.v}' unexpected in '${filter}'.`);
    if (t.v.toLowerCase() === 'startswith' && peek()?.t === 'lp') {
      expect('lp');
      const prop = expect('id').v;
      expect('comma');
      const v = literal();
      expect('rp');
      if (!props.includes(prop)) throw unsupported(prop);
      return (o) => typeof o[prop] === 'string' && typeof v === 'string' && (o[prop] as string).toLowerCase().startsWith(v.toLowerCase());
    }
    if (peek()?.t === 'slash') {
      // coll/any(x:x eq 'v'), also on a nested collection: spa/redirectUris/any(x:x eq 'v')
      let coll = t.v;
      expect('slash');
      let fn = expect('id').v;
      while (fn.toLowerCase() !== 'any' && peek()?.t === 'slash') {
        coll = `${coll}/${fn}`;
        expect('slash');
        fn = expect('id').v;
      }
      if (fn.toLowerCase() !== 'any') throw unsupported(`${coll}/${fn}`);
      if (!collections.includes(coll)) throw unsupported(coll.split('/').pop()!);
      // Some properties are filterable only as an advanced query (ConsistencyLevel: eventual + $count=true).
      if ((opts.advancedOnly ?? []).includes(coll) && !opts.advanced) throw unsupported(coll.split('/').pop()!);
      expect('lp');
      const varName = expect('id').v;
      expect('colon');
      const lhs = expect('id').v;
      if (lhs !== varName) throw new QueryError('BadRequest', `Invalid filter clause: '${lhs}' is not the lambda variable.`);
      const op = next();
      const v = literal();
      expect('rp');
      if (op.t !== 'op' || op.v !== 'eq') throw unsupported(coll);
      const at = (o: Json): unknown[] => {
        let cur: unknown = o;
        for (const k of coll.split('/')) cur = cur && typeof cur === 'object' ? (cur as Json)[k] : undefined;
        return Array.isArray(cur) ? cur : [];
      };
      return (o) => at(o).some((x) => eqv(x, v));
    }
    const prop = t.v;
    const op = next();
    if (op.t !== 'op' || !['eq', 'ne', 'in'].includes(op.v)) throw unsupported(prop);
    if (!props.includes(prop)) throw unsupported(prop);
    if (op.v === 'in') {
      expect('lp');
      const vals: unknown[] = [literal()];
      while (peek()?.t === 'comma') {
        next();
        vals.push(literal());
      }
      expect('rp');
      return (o) => vals.some((v) => eqv(o[prop], v));
    }
    const v = literal();
    return op.v === 'eq' ? (o) => eqv(o[prop], v) : (o) => !eqv(o[prop], v);
  };
  const andExpr = (): Pred => {
    let p = primary();
    while (peek()?.t === 'op' && peek()?.v === 'and') {
      next();
      const a = p;
      const b = primary();
      p = (o) => a(o) && b(o);
    }
    return p;
  };
  const orExpr = (): Pred => {
    let p = andExpr();
    while (peek()?.t === 'op' && peek()?.v === 'or') {
      next();
      const a = p;
      const b = andExpr();
      p = (o) => a(o) || b(o);
    }
    return p;
  };
  const p = orExpr();
  if (pos !== toks.length) throw new QueryError('BadRequest', `Invalid filter clause: '${toks[pos]?.v}' unexpected in '${filter}'.`);
  return p;
}

/** Applies $select (comma list); unknown properties are an error like Graph's. */
export function parseSelect(select: string | null, known: Set<string>, resource: string): string[] | undefined {
  if (select === null) return undefined;
  const props = select.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of props) {
    if (!known.has(p)) {
      throw new QueryError('BadRequest', `Could not find a property named '${p}' on type 'microsoft.graph.${resource}'.`);
    }
  }
  return props;
}

export function project(o: Json, select: string[] | undefined): Json {
  if (!select) return o;
  const out: Json = {};
  for (const k of select) if (k in o) out[k] = o[k];
  return out;
}
