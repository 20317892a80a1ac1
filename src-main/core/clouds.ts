// The Microsoft clouds the assistant knows, and custom (air-gapped or test) clouds.
import type { Cloud } from './types';

export type NamedCloud = 'global' | 'usgov' | 'china';

export const CLOUDS: Record<NamedCloud, Cloud> = {
  global: {
    name: 'global',
    loginUrl: 'https://login.microsoftonline.com',
    graphUrl: 'https://graph.microsoft.com',
    portalUrl: 'https://portal.azure.com',
  },
  usgov: {
    name: 'usgov',
    loginUrl: 'https://login.microsoftonline.us',
    graphUrl: 'https://graph.microsoft.us',
    portalUrl: 'https://portal.azure.us',
  },
  china: {
    name: 'china',
    loginUrl: 'https://login.partner.microsoftonline.cn',
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
    portalUrl: 'https://portal.azure.cn',
  },
};

/** Removes trailing slashes: the base URLs in a Cloud never end with '/'. */
function trimBase(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * A custom cloud from its login and Graph base URLs (e.g. an emulator on loopback, or an air-gapped cloud).
 * The portal URL defaults to the global portal (only used for deep links). Validation is parseSettings's job.
 */
export function customCloud(loginUrl: string, graphUrl: string, portalUrl?: string): Cloud {
  return {
    name: 'custom',
    loginUrl: trimBase(loginUrl),
    graphUrl: trimBase(graphUrl),
    portalUrl: trimBase(portalUrl ?? CLOUDS.global.portalUrl),
  };
}

/** The host part of a cloud's login URL, e.g. login.microsoftonline.com. */
export function loginHost(cloud: Cloud): string {
  try {
    return new URL(cloud.loginUrl).host;
  } catch {
    return cloud.loginUrl.replace(/^https?:\/\//, '');
  }
}

/** The native-client redirect URI in a cloud: ICE's "Redirect URL". */
export function nativeClientRedirect(cloud: Cloud): string {
  return `${trimBase(cloud.loginUrl)}/common/oauth2/nativeclient`;
}
