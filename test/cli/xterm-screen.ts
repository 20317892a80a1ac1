// What a terminal shows for some output: @xterm/headless (xterm.js without a DOM) interprets every control
// sequence exactly as the terminal emulator would, and we read back the visible screen lines.
import xterm from '@xterm/headless';

/** The screen (and scroll-back) after writing `text`, one string per logical line (wrapped lines joined). */
export async function screenOf(text: string, opts: { cols?: number; rows?: number } = {}): Promise<string> {
  const term = new xterm.Terminal({ cols: opts.cols ?? 220, rows: opts.rows ?? 60, scrollback: 1000, allowProposedApi: true, convertEol: true });
  try {
    await new Promise<void>((resolve) => term.write(text, resolve));
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) {
      const line = buf.getLine(i);
      const t = line?.translateToString(true) ?? '';
      // A line the terminal wrapped continues the previous one: join them, so each logical line is one string.
      if (line?.isWrapped && lines.length) lines[lines.length - 1] += t;
      else lines.push(t);
    }
    return lines.join('\n').replace(/\s+$/, '');
  } finally {
    term.dispose();
  }
}

/** Output as it would have been without the sanitiser: the \uXXXX escapes turned back into the characters. */
export function unescaped(text: string): string {
  return text.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}
