// Opens the system browser on a URL with a fixed program and the URL as one argument: never a shell string.
import { spawn } from 'node:child_process';
import { SignInError } from './errors';

export function systemBrowserCommand(url: string, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  const u = new URL(url); // throws on anything that is not a URL
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`Refusing to open a non-web URL (${u.protocol}).`);
  if (platform === 'darwin') return { command: 'open', args: [u.href] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', u.href] };
  return { command: 'xdg-open', args: [u.href] };
}

export async function openSystemBrowser(url: string): Promise<void> {
  const { command, args } = systemBrowserCommand(url);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false });
    child.once('error', (e) => reject(new SignInError('failed', `Could not start the browser (${command}): ${e.message}. Use --device-code instead.`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
