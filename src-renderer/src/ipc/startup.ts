// Imported first by main.tsx, so it is evaluated before React's and Fluent's modules: it takes hold of the first
// screen's requests (./early), which the preload sent as the page started, and their answers are usually in by the
// first render.
import { requestStartup } from './early';

if (typeof window !== 'undefined' && window.iceApi) requestStartup();
