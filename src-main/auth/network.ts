// MSAL's HTTP client, plus one thing MSAL drops: Entra's answer when it refuses the device code request
// (unknown client id, invalid scope, unknown tenant). MSAL then polls with no device code and reports only
// "invalid_grant"; we keep the refusal (its error, AADSTS code and description) to tell the user what to do.
// Same behaviour as MSAL's own fetch client otherwise: GET/POST, headers, JSON body, status.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface EntraRefusal {
  error: string;
  /** e.g. AADSTS700016 */
  aadsts: string;
  description: string;
}

export class RecordingNetworkClient implements INetworkModule {
  /** The last refusal of a device code request (cleared when one succeeds). */
  deviceCodeRefusal: EntraRefusal | null = null;

  async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options, timeout);
  }

  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options);
  }

  private async send<T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const ac = new AbortController();
    const timer = timeout ? setTimeout(() => ac.abort(), timeout) : null;
    try {
      const res = await fetch(url, { method, headers: options?.headers ?? {}, ...(method === 'POST' ? { body: options?.body ?? '' } : {}), signal: ac.signal });
      const text = await res.text();
      let body: unknown = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = {};
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      if (method === 'POST' && /\/oauth2\/v2\.0\/devicecode(\?|$)/.test(url)) {
        this.deviceCodeRefusal = res.status >= 400 ? refusalOf(body) : null;
      }
      return { headers, body: body as T, status: res.status };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

/** Entra's OAuth error body → error, AADSTS code, first sentence of the description. */
export function refusalOf(body: unknown): EntraRefusal {
  const b = (body ?? {}) as { error?: unknown; error_description?: unknown; error_codes?: unknown };
  const description = typeof b.error_description === 'string' ? b.error_description : '';
  const codes = Array.isArray(b.error_codes) ? b.error_codes : [];
  const fromText = /AADSTS\d+/.exec(description)?.[0];
  const aadsts = fromText ?? (codes.length ? `AADSTS${String(codes[0])}` : '');
  const firstLine = description.split(/\r?\n/)[0]!.replace(/^AADSTS\d+:\s*/, '').replace(/\s*Trace ID:.*$/i, '').trim();
  return { error: typeof b.error === 'string' ? b.error : 'error', aadsts, description: firstLine };
}
