/** The environment a process needs, set before it starts, to run Dawn on the unpacked lavapipe. */
export interface LavapipeEnv {
  VK_ICD_FILENAMES: string;
  LD_LIBRARY_PATH: string;
}
export function lavapipeDir(): string;
export function lavapipeEnv(dir?: string): LavapipeEnv;
export function debianMirror(): string;
export function setupLavapipe(log?: (line: string) => void): LavapipeEnv;
