// `plan`: the Graph writes that would bring the saved registration to the guide; nothing is sent.
import { randomUUID } from 'node:crypto';
import { plan } from '../../core/plan';
import { isGuid } from '../../shared/ids';
import { flag, noPositionals, parseArgs, str } from '../args';
import { UsageError } from '../errors';
import { useColour } from '../io';
import { OBSERVED_OPTIONS, observedFromOptions } from '../observed-options';
import { appLabel, renderPlan } from '../render';
import { SETTINGS_OPTIONS, settingsFromOptions } from '../settings-options';
import type { CliCommand } from './types';

const OPTIONS = [
  ...OBSERVED_OPTIONS,
  ...SETTINGS_OPTIONS,
  { name: 'scope-id', kind: 'string' as const, valueName: 'GUID', description: 'id for a scope that has to be created (default: a new random GUID)' },
  { name: 'unique-name', kind: 'string' as const, valueName: 'NAME', description: 'uniqueName for the idempotent create (default: ice-sso-<first host>)' },
  { name: 'json', kind: 'flag' as const, description: 'print {"writes":[...]}' },
];

/** The default uniqueName: stable per site, so a re-run finds the app it made. */
export function defaultUniqueName(firstHostUri: string): string {
  const host = firstHostUri.replace(/^https?:\/\//, '').replace(/\/sso$/, '');
  return `ice-sso-${host.replace(/[^A-Za-z0-9.-]/g, '-')}`.slice(0, 120);
}

export const command: CliCommand = {
  name: 'plan',
  usage:
    'plan [--app FILE] [--service-principal FILE] [--grants FILE] [--host H]... [--scope S] [--consent users|admins]\n' +
    '     [--groups T,T] [--audience A] [--scope-id GUID] [--unique-name NAME] [--json]',
  options: OPTIONS,
  details: 'Without --app the plan creates a new registration. Exit code: 0, or 2 for bad input or usage.',
  async run(argv, io) {
    const p = parseArgs(argv, OPTIONS, 'plan');
    noPositionals(p, 'plan', '--app');
    const settings = settingsFromOptions(p);
    const observed = await observedFromOptions(p, io, false);
    const scopeId = str(p, 'scope-id') ?? randomUUID();
    if (!isGuid(scopeId)) throw new UsageError(`--scope-id ${JSON.stringify(scopeId)}: a scope id is a GUID, e.g. ${randomUUID()}.`);
    const uniqueName = str(p, 'unique-name') ?? defaultUniqueName(settings.hosts[0] ?? 'app');
    if (uniqueName.trim() === '' || uniqueName.length > 120 || /\s/.test(uniqueName)) {
      throw new UsageError(`--unique-name ${JSON.stringify(uniqueName)}: give 1-120 characters without spaces, e.g. ice-sso-test.icnow.app.`);
    }
    const result = plan(observed, settings, { newScopeId: scopeId.toLowerCase(), uniqueName });
    if (flag(p, 'json')) io.stdout.write(`${JSON.stringify({ writes: result.writes }, null, 2)}\n`);
    else {
      const note = observed.application
        ? `Plan for ${appLabel(observed.application)}.`
        : 'No --app given: planning a new app registration.';
      io.stdout.write(renderPlan(result, useColour(io), note));
    }
    return 0;
  },
};
