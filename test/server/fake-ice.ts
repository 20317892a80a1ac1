// A loopback fake ICE Server over HTTPS with the emulator's test CA (test/emulator/tls): routes answer as
// the test sets them. Trusted through NODE_EXTRA_CA_CERTS (npm test sets it).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import path from 'node:path';

const TLS = path.resolve(import.meta.dirname, '../emulator/tls');

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FakeIce {
  /** https://127.0.0.1:PORT */
  base: string;
  /** 127.0.0.1:PORT, as a field engineer would type the ICE host. */
  host: string;
  handler: Handler;
  /** Requests received (method, url, whether they carried cookies or credentials). */
  seen: Array<{ method: string; url: string; cookie?: string; authorization?: string }>;
  close(): Promise<void>;
}

export function json(body: unknown, status = 200): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

export async function startFakeIce(handler: Handler = json({})): Promise<FakeIce> {
  const sockets = new Set<import('node:net').Socket>();
  const fake = { handler, seen: [] } as unknown as FakeIce;
  const server: Server = createServer({ cert: readFileSync(path.join(TLS, 'server.pem')), key: readFileSync(path.join(TLS, 'server-key.pem')) }, (req, res) => {
    fake.seen.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    fake.handler(req, res);
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  fake.host = `127.0.0.1:${addr.port}`;
  fake.base = `https://${fake.host}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fake;
}
