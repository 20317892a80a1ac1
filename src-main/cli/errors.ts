// Errors the CLI turns into exit codes.

/** Bad input or usage: the CLI prints the message (what is wrong, what to do) and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
  }
}

export function isUsageError(e: unknown): e is UsageError {
  return e instanceof UsageError || (e instanceof Error && e.name === 'UsageError');
}
