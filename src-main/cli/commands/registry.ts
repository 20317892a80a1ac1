// Command name -> module. Each module exports `command: CliCommand`; modules load on demand so that
// `audit` never loads the sign-in or Graph stacks. To add a command: write commands/<name>.ts exporting
// `command`, and add one line below.
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

