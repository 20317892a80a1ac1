// The loopback Entra/Graph emulator as the integration tests use it: started fast (device codes approved at
// once), settings pointing at it, a signed-in session through MSAL, the CLI's cloud arguments.
import { customCloud } from '../../src-main/core/clouds';
import { parseSettings, type SettingsInput } from '../../src-main/core/settings';
import type { Settings } from '../../src-main/core/types';
import { openSession, type Session } from '../../src-main/ops/session';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index';

export type { Emulator };
export const HOSTS = ['dc1.example.com', 'https://dc2.example.com/sso'];
/** HOSTS as CLI options (`--host h` for each). */
export const HOST_ARGS: string[] = HOSTS.flatMap((h) => ['--host', h]);

export async function emulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ deviceCodeIntervalSec: 0.05, autoApproveDeviceCodeAfterMs: 0, ...opts });
}

export function settingsFor(emu: Emulator, extra: SettingsInput = {}): Settings {
  const r = parseSettings({ hosts: HOSTS, cloud: 'custom', loginUrl: emu.loginUrl, graphUrl: emu.graphUrl, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.settings;
}

type SessionOptions = Parameters<typeof openSession>[0];

export async function session(emu: Emulator, purpose: SessionOptions['purpose'], extra: Partial<SessionOptions> = {}): Promise<Session> {
  return openSession({
    cloud: customCloud(emu.loginUrl, emu.graphUrl),
    tenant: emu.tenantDomain,
    purpose,
    method: 'device-code',
    retry: { throttleBaseMs: 200, lagBaseMs: 200 },
    ...extra,
  });
}

export function cliCloudArgs(emu: Emulator): string[] {
  return ['--tenant', emu.tenantDomain, '--device-code', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl, '--cloud', 'custom'];
}

/** Steps that must pass after a full apply (the rest are info, or unknown without a proof/server). */
export const NOT_PASS_OK: Record<string, string[]> = {
  'auth.public-client-flows': ['info'],
  'consent.admin-grant': ['info', 'pass'],
  'proof.token': ['unknown'],
  'server.sso-meta': ['unknown'],
};

export function badSteps(steps: Array<{ id: string; status: string; found: string }>): string[] {
  return steps.filter((s) => s.status !== 'pass' && !(NOT_PASS_OK[s.id] ?? []).includes(s.status)).map((s) => `${s.id}=${s.status} (${s.found})`);
}

/** Anything that looks like a JWT or an emulator refresh token / device code / auth code. */
export const SECRET_RE = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]*|emu-(rt|dc|ac)\.[\w-]{10,}/;
