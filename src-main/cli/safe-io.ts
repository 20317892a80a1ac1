// Everything the CLI writes passes through one sanitiser (src-main/lib/terminal-text): strings from files,
// servers and Graph cannot drive the terminal. The CLI's own colours pass only when colour is on.
import { sanitizeTerminalOutput } from '../lib/terminal-text';
import { useColour, type CliIO, type CliWriter } from './io';

const WRAPPED = Symbol('sanitised');

function wrap(w: CliWriter, allowOwnColour: boolean): CliWriter {
  if ((w as { [WRAPPED]?: boolean })[WRAPPED]) return w;
  const out: CliWriter & { [WRAPPED]: boolean } = {
    write: (chunk: string) => w.write(sanitizeTerminalOutput(String(chunk), { allowOwnColour })),
    [WRAPPED]: true,
  };
  if (w.isTTY !== undefined) out.isTTY = w.isTTY;
  return out;
}

/** The same CliIO with stdout and stderr sanitised. */
export function sanitisedIO(io: CliIO): CliIO {
  const colour = useColour(io);
  return { ...io, stdout: wrap(io.stdout, colour), stderr: wrap(io.stderr, colour && io.stderr.isTTY === true) };
}

/**
 * A closed pipe on stdout (`sites list | head -1`) ends the CLI quietly: no EPIPE stack trace; later writes
 * are dropped and the exit code is the command's (or 0). Other stream errors are reported in one line.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream, onClosed: () => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') onClosed();
    else {
      try {
        process.stderr.write(`error: cannot write the output (${e.code ?? e.message}).\n`);
      } catch {
        /* stderr is gone too */
      }
      onClosed();
    }
  });
}
