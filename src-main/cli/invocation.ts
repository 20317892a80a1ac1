// How the user started the CLI, for the usage lines and hints it prints: `npm run --silent cli --` from a checkout
// (npm sets npm_lifecycle_event for our `cli` script), else the installed command `ice-sso` (package.json "bin").
export function cliCommand(env: Record<string, string | undefined> = process.env): string {
  return env.npm_lifecycle_event === 'cli' ? 'npm run --silent cli --' : 'ice-sso';
}
