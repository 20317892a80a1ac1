// Imported first by main.tsx: evaluated before React's and Fluent's modules, so main starts answering the first
// screen's requests (./early) while the renderer's JavaScript is still being evaluated.
import { requestStartup } from './early';

if (typeof window !== 'undefined' && window.iceApi) requestStartup();
