/** What WebGPU this browser offers; why the WebGPU rows cannot run when it offers none. */
export interface WebGpuProbe {
  /** for the report's environment */
  description: string;
  /** null when an adapter is there */
  error: string | null;
}

export async function probeWebGPU(): Promise<WebGpuProbe> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { description: 'none', error: 'no navigator.gpu in this browser' };
  try {
    const a = await gpu.requestAdapter();
    if (!a) return { description: 'none', error: 'navigator.gpu gave no adapter' };
    const i = a.info;
    const name = [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ');
    return { description: `adapter: ${name || 'unnamed'}`, error: null };
  } catch (e) {
    return { description: 'none', error: `navigator.gpu.requestAdapter() failed: ${(e as Error).message}` };
  }
}
