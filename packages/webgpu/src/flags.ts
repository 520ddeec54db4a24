/**
 * WebGPU's numeric flags, written out: in Node the GPUBufferUsage / GPUShaderStage globals exist
 * only if the application installed them, and the values are fixed by the specification.
 */
export const BUFFER_MAP_READ = 0x0001;
export const BUFFER_MAP_WRITE = 0x0002;
export const BUFFER_COPY_SRC = 0x0004;
export const BUFFER_COPY_DST = 0x0008;
export const BUFFER_UNIFORM = 0x0040;
export const BUFFER_STORAGE = 0x0080;
export const BUFFER_QUERY_RESOLVE = 0x0200;
export const MAP_MODE_READ = 0x0001;
export const MAP_MODE_WRITE = 0x0002;
export const SHADER_STAGE_COMPUTE = 0x4;

export const STORAGE_USAGE = BUFFER_STORAGE | BUFFER_COPY_SRC | BUFFER_COPY_DST;
export const UNIFORM_USAGE = BUFFER_UNIFORM | BUFFER_COPY_DST;
export const STAGING_USAGE = BUFFER_MAP_READ | BUFFER_COPY_DST;
