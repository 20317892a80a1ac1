// Where things are, for every test: the repository root, the Graph fixtures, the emulator's test CA.
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const GRAPH_FIXTURES_DIR = path.join(ROOT, 'test/fixtures/graph');
/** The emulator's test CA (npm test sets NODE_EXTRA_CA_CERTS to it). */
export const EMULATOR_CA = path.join(ROOT, 'test/emulator/tls/ca.pem');
