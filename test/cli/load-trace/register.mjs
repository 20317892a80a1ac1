// `node --import ./register.mjs out/cli/ice-sso.mjs ...`: records every ES module the process loads (one URL a
// line) in the file named by ICE_LOAD_TRACE. Used by test/cli/built.test.ts to see what each command parses.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
