// The packaging config: valid for electron-builder, with the fuses and targets the security review asks for.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const file = path.resolve(import.meta.dirname, '../../build/electron-builder.yml');
// js-yaml ships no types: load it untyped (it is electron-builder's own YAML reader).
const { load } = (await import('js-yaml' as string)) as { load(text: string): unknown };
const config = load(readFileSync(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('build/electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js' as string)) as {
      validateConfiguration(c: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = (await import('builder-util' as string)) as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config as never, new DebugLogger(false))).resolves.toBeUndefined();
  });
  it('flips the fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
  it('targets AppImage + deb, NSIS and DMG, packs into an asar with only the built app', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**');
    expect(config.files.some((f: string) => /src|test/.test(f) && !f.startsWith('!'))).toBe(false);
    expect(config.files).toEqual(expect.arrayContaining(['package.json', '!**/*.map']));
  });
  it('is what `npm run dist` packages with, after a build', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string>; main: string };
    expect(pkg.scripts.dist).toMatch(/^electron-vite build && electron-builder --config build\/electron-builder\.yml$/);
    // The packaged entry is inside the packed files.
    expect(pkg.main.replace(/^\.\//, '')).toMatch(/^out\//);
  });
});
