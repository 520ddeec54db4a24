export declare const CHROMIUM: string;
/** The Chromium binary, installed first (apt-get) when missing. */
export declare function ensureChromium(log?: (line: string) => void): string;
/** A fresh profile directory per launch (given to launchPersistentContext). */
export declare function freshUserDataDir(): string;
/** Chromium flags for headless runs with WebGPU on SwiftShader and no network. */
export declare function chromiumArgs(): string[];
