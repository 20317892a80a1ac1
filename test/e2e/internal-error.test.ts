// An internal error in the main process reaches the renderer as code "internal" with the generic message: the
// page shows that message, never the exception text or a stack (the real dispatcher, the real built renderer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_MESSAGE } from '../../src-main/shared/errors';
import { chromiumOrSkipReason, shot, startHarness, type Harness } from './harness';

const skip = chromiumOrSkipReason();
if (skip) console.log(`skipped: ${skip}`);

const DETAIL = 'Cannot read properties of undefined (reading "sitesDir") at /home/fe/private/thing.ts:12';

describe.skipIf(!!skip)('internal errors in the UI', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  it('a bug behind sites.list shows the generic message on the Sites screen, nothing of the exception', async () => {
    // The services object is the one the dispatcher serves: make one handler fail as a bug would.
    h.services['sites.list'] = async () => {
      throw new TypeError(DETAIL);
    };
    await h.page.reload();
    await h.page.getByRole('heading', { name: 'Sites' }).waitFor();
    await h.page.getByText(INTERNAL_MESSAGE).first().waitFor();
    await shot(h.page, 'internal-error-sites');
    const text = await h.page.locator('body').innerText();
    expect(text).not.toContain('TypeError');
    expect(text).not.toContain('reading "sitesDir"');
    expect(text).not.toMatch(/\n\s+at /);
    expect(h.responses.filter((r) => r.channel === 'sites.list').at(-1)?.res).toEqual({ ok: false, code: 'internal', message: INTERNAL_MESSAGE });
  });
});
