// Switchable faults: matched per request (inner $batch requests included), each firing at most `count` times.
import type { FaultHandle, FaultMatch, FaultSpec } from './types';

export interface RequestInfo {
  host: 'login' | 'graph';
  method: string;
  /** See FaultMatch.path. */
  path: string;
  inner: boolean;
}

class Handle implements FaultHandle {
  fired = 0;
  constructor(
    readonly spec: FaultSpec,
    private readonly owner: Faults,
  ) {}
  remove(): void {
    this.owner.remove(this);
  }
  get exhausted(): boolean {
    return this.spec.count !== undefined && this.fired >= this.spec.count;
  }
}

function matches(m: FaultMatch, r: RequestInfo): boolean {
  if (m.host && m.host !== r.host) return false;
  if (m.method && m.method.toUpperCase() !== r.method.toUpperCase()) return false;
  const where = m.where ?? 'both';
  if (where === 'inner' && !r.inner) return false;
  if (where === 'outer' && r.inner) return false;
  if (m.path !== undefined) {
    if (typeof m.path === 'string') {
      if (!r.path.toLowerCase().startsWith(m.path.toLowerCase())) return false;
    } else if (!m.path.test(r.path)) return false;
  }
  return true;
}

export class Faults {
  private handles: Handle[] = [];

  /** Adds a fault; returns a handle (fired count, remove()). */
  add(spec: FaultSpec): FaultHandle {
    const h = new Handle(spec, this);
    this.handles.push(h);
    return h;
  }
  remove(h: FaultHandle): void {
    this.handles = this.handles.filter((x) => x !== h);
  }
  clear(): void {
    this.handles = [];
  }
  list(): FaultHandle[] {
    return [...this.handles];
  }

  // Shorthands.
  latency(ms: number, match: FaultMatch & { phase?: 'before' | 'after' } = {}): FaultHandle {
    return this.add({ kind: 'latency', ms, ...match });
  }
  /** 429 with Retry-After (seconds; fractions and 0 allowed for fast tests). Default count 1. */
  throttle(retryAfter: number | string = 1, match: FaultMatch = {}): FaultHandle {
    return this.add({ kind: 'throttle', retryAfter, count: 1, ...match });
  }
  /** 5xx (default 503), default count 1. */
  error(status = 503, match: FaultMatch & { retryAfter?: number | string } = {}): FaultHandle {
    return this.add({ kind: 'error', status, count: 1, ...match });
  }
  /** 403 Authorization_RequestDenied regardless of the user's roles. Default count unlimited. */
  forbidden(match: FaultMatch = {}): FaultHandle {
    return this.add({ kind: 'forbidden', ...match });
  }
  /** Socket destroyed after the request headers were read. Default count 1. */
  drop(match: FaultMatch & { phase?: 'before' | 'after' } = {}): FaultHandle {
    return this.add({ kind: 'drop', count: 1, ...match });
  }
  /** Objects created while active are invisible for `ms` milliseconds or the next `requests` requests that look for them. */
  replicationLag(lag: { ms?: number; requests?: number }, match: FaultMatch = {}): FaultHandle {
    return this.add({ kind: 'replicationLag', ...lag, ...match });
  }

  /** Total latency of the matching latency faults (each firing counted). */
  takeLatency(r: RequestInfo, phase: 'before' | 'after' = 'before'): number {
    let ms = 0;
    for (const h of this.handles) {
      if (h.spec.kind === 'latency' && (h.spec.phase ?? 'before') === phase && !h.exhausted && matches(h.spec, r)) {
        h.fired++;
        ms += h.spec.ms;
      }
    }
    return ms;
  }

  /** The first matching fault of the given kinds that still fires (its count consumed). */
  take(r: RequestInfo, kinds: FaultSpec['kind'][]): FaultSpec | undefined {
    for (const h of this.handles) {
      if (kinds.includes(h.spec.kind) && !h.exhausted && matches(h.spec, r)) {
        h.fired++;
        return h.spec;
      }
    }
    return undefined;
  }

  /** The lag to give an object created now by request r (does not consume counts unless it applies). */
  lagFor(r: RequestInfo): { ms?: number; requests?: number } | undefined {
    const spec = this.take(r, ['replicationLag']);
    if (spec?.kind !== 'replicationLag') return undefined;
    return { ms: spec.ms, requests: spec.requests };
  }
}
