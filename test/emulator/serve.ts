// Runs the emulator standalone for manual CLI trials:
//   npx tsx test/emulator/serve.ts [--port 8443] [--latency 100] [--auto-approve-ms 2000] [--as admin]
// then, in another shell (the CLI must trust the test CA):
//   NODE_EXTRA_CA_CERTS=test/emulator/tls/ca.pem npm run --silent cli -- verify --tenant <domain> \
//     --login-url <loginUrl> --graph-url <graphUrl> --device-code
// Device codes are approved automatically (after --auto-approve-ms, default 1500) or by typing the user code here.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CA_PATH, startEmulator } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    latency: { type: 'string' },
    'auto-approve-ms': { type: 'string' },
    as: { type: 'string' },
    'tenant-domain': { type: 'string' },
    'tenant-id': { type: 'string' },
    'interval-sec': { type: 'string' },
  },
});
const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} wants a number >= 0, got '${v}'.`);
    process.exit(2);
  }
  return n;
};

const emu = await startEmulator({
  port: num(values.port, 'port'),
  latencyMs: num(values.latency, 'latency'),
  tenantDomain: values['tenant-domain'],
  tenantId: values['tenant-id'],
  autoApproveDeviceCodeAfterMs: num(values['auto-approve-ms'], 'auto-approve-ms') ?? 1500,
  autoApproveAs: values.as,
  deviceCodeIntervalSec: num(values['interval-sec'], 'interval-sec') ?? 1,
  warnIfUntrusted: false,
});

console.log(`Entra ID / Graph emulator
  login URL   ${emu.loginUrl}
  graph URL   ${emu.graphUrl}
  tenant      ${emu.tenantId}  (${emu.tenantDomain})
  authority   ${emu.authority}
  users       ${emu.state.users.map((u) => `${u.userPrincipalName} [${u.roles.join(', ') || 'no role'}]`).join('\n              ')}
  trust       NODE_EXTRA_CA_CERTS=${CA_PATH}
Type a user code (optionally followed by a user) to approve it, 'stats' for counters, Ctrl-C to stop.`);

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, user] = line.trim().split(/\s+/);
  if (!cmd) return;
  try {
    if (cmd === 'stats') {
      const { log: _log, ...counters } = emu.stats;
      console.log(JSON.stringify(counters));
      return;
    }
    const d = emu.approveDeviceCode(cmd.toUpperCase(), user);
    console.log(`approved ${d.userCode} as ${d.userId}`);
  } catch (e) {
    console.log(e instanceof Error ? e.message : String(e));
  }
});
process.on('SIGINT', () => {
  rl.close();
  void emu.stop().then(() => process.exit(0));
});
