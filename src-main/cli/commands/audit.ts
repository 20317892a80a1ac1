// `audit`: read saved Graph objects, check them against the guide, print the checklist and the eight values.
import { audit, auditExitCode } from '../../core/audit';
import { flag, noPositionals, parseArgs } from '../args';
import { useColour } from '../io';
import { OBSERVED_OPTIONS, observedFromOptions } from '../observed-options';
import { appLabel, auditJson, renderAudit } from '../render';
import { SETTINGS_OPTIONS, settingsFromOptions } from '../settings-options';
import type { CliCommand } from './types';

const OPTIONS = [
  ...OBSERVED_OPTIONS,
  ...SETTINGS_OPTIONS,
  { name: 'json', kind: 'flag' as const, description: 'print {"steps":[...],"values":{...}} instead of the checklist' },
];

export const command: CliCommand = {
  name: 'audit',
  usage:
    'audit --app FILE [--service-principal FILE] [--grants FILE] [--host H]... [--scope S] [--consent users|admins]\n' +
    '      [--groups T,T] [--audience A] [--tenant T] [--json]',
  options: OPTIONS,
  details: 'Exit code: 0 when no step fails, 1 when any step fails, 2 for bad input or usage.',
  async run(argv, io) {
    const p = parseArgs(argv, OPTIONS, 'audit');
    noPositionals(p, 'audit', '--app');
    const settings = settingsFromOptions(p);
    const observed = await observedFromOptions(p, io, true);
    const result = audit(observed, settings);
    if (flag(p, 'json')) io.stdout.write(`${JSON.stringify(auditJson(result), null, 2)}\n`);
    else {
      const app = observed.application;
      const heading = app ? `ICE SSO checklist for ${appLabel(app)}` : 'ICE SSO checklist';
      io.stdout.write(renderAudit(result, useColour(io), heading));
    }
    return auditExitCode(result);
  },
};
