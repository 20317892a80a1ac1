// The command list: name -> one-line summary and a loader. Summaries live here so `help` lists every command
// without importing any of them; a command's module (and its heavy dependencies: MSAL, the Graph client, jose)
// loads only when that command runs. To add a command: write commands/<name>.ts exporting `command`, add one
// entry below. `help` is built in (../help.ts), so nothing here imports the help text (no import cycle).
import type { CliCommand } from './types';

export interface CommandEntry {
  summary: string;
  load: (() => Promise<CliCommand>) | null;
}

export const COMMANDS = {
  audit: {
    summary: 'check a saved app registration (JSON) against the ICE guide; nothing is sent',
    load: async () => (await import('./audit')).command,
  },
  plan: {
    summary: 'print the Graph writes that would fix a saved app registration (or create one); nothing is sent',
    load: async () => (await import('./plan')).command,
  },
  /** Built in: main runs ../help.ts itself (it reads this list; this list never loads it). */
  help: { summary: "show the commands, or one command's options", load: null },
  verify: {
    summary: 'sign in (read-only) and check the live app registration against the ICE guide',
    load: async () => (await import('./verify')).command,
  },
  apply: {
    summary: 'sign in and create or repair the app registration, service principal (and admin consent) as the ICE guide asks',
    load: async () => (await import('./apply')).command,
  },
  'server-check': {
    summary: "compare each ICE Server's public /sso-meta with the site's eight values (server.sso-meta); no sign-in",
    load: async () => (await import('./server-check')).command,
  },
  signin: {
    summary: 'sign in to a tenant and show the account, tenant id and permissions granted (no token is shown)',
    load: async () => (await import('./signin')).command,
  },
  signout: {
    summary: "forget the saved sign-in (the token cache in the config folder); --tenant forgets one tenant's",
    load: async () => (await import('./signin')).signoutCommand,
  },
  sites: {
    summary: 'saved site configs: new, list, show, rename, duplicate, delete/trash/restore, import, export (offline)',
    load: async () => (await import('./sites')).command,
  },
  bundle: {
    summary: 'export, verify and show the signed handoff bundle (<site>.icesso) for the ICE Server admin',
    load: async () => (await import('./bundle')).command,
  },
  keys: {
    summary: 'the bundle signing key (show, export, import an organisation key) and the keys you trust (trust, trusted, untrust)',
    load: async () => (await import('./bundle')).keysCommand,
  },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

export type LoadableName = { [K in CommandName]: (typeof COMMANDS)[K]['load'] extends null ? never : K }[CommandName];

export function loadCommand(name: LoadableName): Promise<CliCommand> {
  return COMMANDS[name].load();
}
