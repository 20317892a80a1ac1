// Child process for the crash test: saves a new version of a site (argv[2]) with a new name (argv[3]).
// With ICE_SSO_TEST_PAUSE_BEFORE_RENAME=1 the save stops after fsync of the temp file, before the rename,
// and the test kills it there.
import { loadSite, saveSite } from '../../src-main/sites/store';

const [file, name] = process.argv.slice(2) as [string, string];
const { site } = await loadSite(file);
await saveSite(file, { ...site, name });
process.stdout.write('saved\n');
