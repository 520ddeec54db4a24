export declare const BUILDS: readonly { file: string; relaxed: boolean; shared: boolean }[];
export declare const INITIAL_MEMORY_BYTES: number;
export declare const STACK_BYTES: number;
export declare const WASM32_MAX_BYTES: number;
