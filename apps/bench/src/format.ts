/** Number formatting shared by the table, the HTML report and the browser page. Browser-safe. */

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  if (ms >= 0.01) return ms.toFixed(3);
  return ms.toExponential(1);
}

export function fmtRate(gbps: number | undefined): string {
  if (gbps === undefined || !Number.isFinite(gbps)) return '-';
  if (gbps >= 10) return gbps.toFixed(1);
  if (gbps >= 0.1) return gbps.toFixed(2);
  return gbps.toFixed(3);
}

export function fmtPct(f: number | undefined): string {
  if (f === undefined || !Number.isFinite(f)) return '-';
  const p = f * 100;
  return p >= 10 ? `${p.toFixed(0)}%` : `${p.toFixed(1)}%`;
}

export function fmtRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '-';
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

export function fmtBytes(b: number): string {
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}
