// The settings form (SettingsDraft, raw) <-> the core's SettingsInput (what sites store) <-> Settings.
import { DEFAULTS, type SettingsInput } from '../core/settings';
import type { SettingsDraft } from '../shared/ipc-contract';

export function defaultDraft(): SettingsDraft {
  return {
    displayName: DEFAULTS.displayName,
    signInAudience: DEFAULTS.signInAudience,
    hosts: [''],
    scopeValue: DEFAULTS.scopeValue,
    consent: DEFAULTS.consent,
    groupTypes: [...DEFAULTS.groupTypes],
    consentTexts: { ...DEFAULTS.consentTexts },
    cloud: { name: DEFAULTS.cloud },
  };
}

/** The draft as the core's raw input. Empty host rows are dropped (the form always shows one blank row). */
export function draftToInput(d: SettingsDraft): SettingsInput {
  const hosts = d.hosts.filter((h) => h.trim() !== '');
  const input: SettingsInput = {
    displayName: d.displayName,
    signInAudience: d.signInAudience,
    hosts,
    scopeValue: d.scopeValue,
    consent: d.consent,
    groupTypes: [...d.groupTypes],
    consentTexts: { ...d.consentTexts },
  };
  if (d.cloud.name === 'custom') {
    input.cloud = 'custom';
    input.loginUrl = d.cloud.loginUrl ?? '';
    input.graphUrl = d.cloud.graphUrl ?? '';
    if (d.cloud.portalUrl && d.cloud.portalUrl.trim() !== '') input.portalUrl = d.cloud.portalUrl;
  } else input.cloud = d.cloud.name;
  return input;
}

function str(v: unknown, dflt: string): string {
  return typeof v === 'string' ? v : dflt;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/** A stored SettingsInput (a site's `settings`, possibly hand-edited) as a form draft. Never throws. */
export function inputToDraft(raw: Record<string, unknown>): SettingsDraft {
  const d = defaultDraft();
  const texts = (raw.consentTexts && typeof raw.consentTexts === 'object' ? raw.consentTexts : {}) as Record<string, unknown>;
  const cloudRaw = raw.cloud;
  let cloud: SettingsDraft['cloud'] = d.cloud;
  if (typeof cloudRaw === 'object' && cloudRaw !== null) {
    const o = cloudRaw as Record<string, unknown>;
    cloud = { name: 'custom', loginUrl: str(o.loginUrl, ''), graphUrl: str(o.graphUrl, ''), portalUrl: str(o.portalUrl, '') };
  } else if (cloudRaw === 'custom' || (cloudRaw === undefined && raw.loginUrl !== undefined)) {
    cloud = { name: 'custom', loginUrl: str(raw.loginUrl, ''), graphUrl: str(raw.graphUrl, ''), portalUrl: str(raw.portalUrl, '') };
  } else if (cloudRaw === 'global' || cloudRaw === 'usgov' || cloudRaw === 'china') cloud = { name: cloudRaw };
  const hosts = list(raw.hosts);
  return {
    displayName: str(raw.displayName, d.displayName),
    signInAudience: str(raw.signInAudience, d.signInAudience),
    hosts: hosts.length ? hosts : [''],
    scopeValue: str(raw.scopeValue, d.scopeValue),
    consent: raw.consent === 'admins' ? 'admins' : 'users',
    groupTypes: raw.groupTypes === undefined ? d.groupTypes : list(raw.groupTypes),
    consentTexts: {
      adminConsentDisplayName: str(texts.adminConsentDisplayName, d.consentTexts.adminConsentDisplayName),
      adminConsentDescription: str(texts.adminConsentDescription, d.consentTexts.adminConsentDescription),
      userConsentDisplayName: str(texts.userConsentDisplayName, d.consentTexts.userConsentDisplayName),
      userConsentDescription: str(texts.userConsentDescription, d.consentTexts.userConsentDescription),
    },
    cloud,
  };
}
