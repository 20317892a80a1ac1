// File dialogs are shown by the main process (Electron's dialog module); the services only see this port,
// so tests and the browser e2e harness can answer them with temp paths.
export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface Dialogs {
  /** Path the user chose to open, or null when cancelled. */
  openFile(opts: { title: string; filters: FileFilter[] }): Promise<string | null>;
  /** Path the user chose to save to, or null when cancelled. */
  saveFile(opts: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
}
