import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumOrSkipReason, shot, startHarness, type Harness } from './harness';

const skip = chromiumOrSkipReason();
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(!!skip)('app shell', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  it('renders the sites screen with no console errors and no CSP violations', async () => {
    await h.page.getByRole('heading', { name: 'Sites' }).waitFor();
    await shot(h.page, 'smoke-sites');
    expect(h.consoleErrors).toEqual([]);
  });
});
