// Bad input or usage: the CLI prints the message (what is wrong, what to do) and exits with 2 (see exit-codes.ts).
import { AppError } from '../lib/errors';

export class UsageError extends AppError {
  override name = 'UsageError';
  constructor(message: string) {
    super('usage', message);
  }
}
