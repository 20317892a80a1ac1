// Types for scripts/build-cli.mjs (imported by the tests' global setup, the bench and the CLI tests).
export declare const ROOT: string;
export declare const OUT_DIR: string;
export declare const CLI_ENTRY: string;
export declare const BUILD_INFO: string;
export declare function cliBuildIsStale(): boolean;
export declare function buildCli(opts?: { clean?: boolean; quiet?: boolean }): Promise<unknown>;
export declare function ensureCliBuilt(opts?: { quiet?: boolean }): Promise<string>;
