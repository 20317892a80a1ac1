// Command name -> module. Each module exports `command: CliCommand`; modules load on demand so that
// `audit` never loads the sign-in or Graph stacks. To add a command: write commands/<name>.ts exporting
// `command`, and add one line below (and its one-line summary to SUMMARIES).
import type { CliCommand } from './types';

export type CommandLoader = () => Promise<CliCommand>;

export const COMMANDS: Record<string, CommandLoader> = {
  audit: async () => (await import('./audit')).command,
  plan: async () => (await import('./plan')).command,
  help: async () => (await import('./help')).command,
  verify: async () => (await import('./verify')).command,
  apply: async () => (await import('./apply')).command,
  'server-check': async () => (await import('./server-check')).command,
  signin: async () => (await import('./signin')).command,
  signout: async () => (await import('./signin')).signoutCommand,
  sites: async () => (await import('./sites')).command,
  bundle: async () => (await import('./bundle')).command,
  keys: async () => (await import('./bundle')).keysCommand,
};

/**
 * The command list's one-liners, so that `help` lists the commands without loading them (loading `verify`
 * would parse MSAL and the Graph client). Each equals its module's `summary` (test/cli/built.test.ts checks).
 */
export const SUMMARIES: Record<string, string> = {
  audit: 'check a saved app registration (JSON) against the ICE guide; nothing is sent',
  plan: 'print the Graph writes that would fix a saved app registration (or create one); nothing is sent',
  help: "show the commands, or one command's options",
  verify: 'sign in (read-only) and check the live app registration against the ICE guide',
  apply: 'sign in and create or repair the app registration, service principal (and admin consent) as the ICE guide asks',
  'server-check': "compare each ICE Server's public /sso-meta with the site's eight values (server.sso-meta); no sign-in",
  signin: 'sign in to a tenant and show the account, tenant id and permissions granted (no token is shown)',
  signout: "forget the saved sign-in (the token cache in the config folder); --tenant forgets one tenant's",
  sites: 'saved site configs: new, list, show, rename, duplicate, delete/trash/restore, import, export (offline)',
  bundle: 'export, verify and show the signed handoff bundle (<site>.icesso) for the ICE Server admin',
  keys: 'the bundle signing key (show, export, import an organisation key) and the keys you trust (trust, trusted, untrust)',
};
