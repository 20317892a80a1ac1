// `server-check --site FILE`: compare every ICE host's public GET https://<host>/sso-meta with the eight values
// of the site's latest run (server.sso-meta), and record the result in the site so the next bundle carries it.
// No sign-in: /sso-meta is unauthenticated.
import { AppError } from '../../lib/errors';
import { checkServers } from '../../ops/server-check';
import { openSite } from '../../ops/site';
import { flag, parseArgs, str, type OptionDef } from '../args';
import { EXIT } from '../exit-codes';
import { UsageError } from '../errors';
import { resolvePath, useColour } from '../io';
import { renderSsoMetaHosts, renderStep } from '../render';
import type { CliCommand } from './types';

const OPTIONS: OptionDef[] = [
  { name: 'site', kind: 'string', valueName: 'FILE', description: 'saved site: its ICE hosts and the values of its latest verify/apply; the result is recorded in it' },
  { name: 'timeout', kind: 'string', valueName: 'SECONDS', description: 'per host (default 10)' },
  { name: 'json', kind: 'flag', description: 'print {"step":{id,status,title,found,expected,fix},"hosts":[{host,url,status,summary,differences,extra,problem}]}' },
];

export const command: CliCommand = {
  name: 'server-check',
  usage: 'server-check --site FILE [--timeout SECONDS] [--json]',
  options: OPTIONS,
  details:
    'For every ICE host of the site (https://<host>/sso), GETs https://<host>/sso-meta (https only, no credentials, ' +
    'at most 3 redirects within https) and compares provider and the eight documented keys; other keys are listed as extra. ' +
    'Needs network access to the ICE Server; a private CA: NODE_EXTRA_CA_CERTS=/path/ca.pem.\n' +
    `Exit code: 0 every host matches, 1 a host differs or answers wrongly, 2 bad input or usage, ${EXIT.service} a host could not be reached (unknown).`,
  async run(argv, io) {
    const p = parseArgs(argv, OPTIONS, 'server-check');
    if (p.positionals.length) throw new UsageError(`server-check takes no positional arguments (got ${p.positionals.map((x) => JSON.stringify(x)).join(' ')}); give --site FILE.`);
    const site = str(p, 'site');
    if (!site) throw new UsageError('--site is missing: give the saved site whose ICE hosts and values to check, e.g. --site contoso.site.json (run `verify --site FILE` first).');
    const t = str(p, 'timeout');
    const seconds = t === undefined ? 10 : Number(t);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300) throw new UsageError(`--timeout ${JSON.stringify(t)}: give a number of seconds between 0 and 300, e.g. --timeout 10.`);
    let r;
    try {
      r = await checkServers(await openSite(resolvePath(io, site)), { timeoutMs: seconds * 1000 });
    } catch (e) {
      if (e instanceof AppError && e.code.startsWith('site.')) throw e.prefixed(`--site ${site}: `);
      throw e;
    }
    if (flag(p, 'json')) {
      io.stdout.write(`${JSON.stringify({ step: r.step, hosts: r.hosts }, null, 2)}\n`);
    } else {
      const colour = useColour(io);
      io.stdout.write(renderSsoMetaHosts(r, colour));
      io.stdout.write(`\n${renderStep(r.step, colour)}\n`);
      io.stderr.write(`Recorded in site "${r.siteName}".\n`);
    }
    return r.step.status === 'pass' ? EXIT.ok : r.step.status === 'fail' ? EXIT.failed : EXIT.service;
  },
};
