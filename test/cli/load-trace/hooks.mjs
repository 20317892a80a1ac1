// Module customization hooks (Node's module.register): append each loaded URL to ICE_LOAD_TRACE.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.ICE_LOAD_TRACE) appendFileSync(process.env.ICE_LOAD_TRACE, `${url}\n`);
  return nextLoad(url, context);
}
