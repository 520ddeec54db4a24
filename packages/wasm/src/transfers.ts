/**
 * Counts the copies between JavaScript arrays and linear memory (process-wide, every session):
 * the tests read it to prove that a chain of calls on resident arrays copies nothing. One
 * increment per copied block, so it costs nothing measurable.
 */
export interface TransferCounts {
  /** copies from JS arrays into linear memory, and their bytes */
  copiesIn: number;
  bytesIn: number;
  /** copies from linear memory into JS arrays, and their bytes */
  copiesOut: number;
  bytesOut: number;
}

export const transfers: TransferCounts = { copiesIn: 0, bytesIn: 0, copiesOut: 0, bytesOut: 0 };

export function countIn(bytes: number): void {
  transfers.copiesIn++;
  transfers.bytesIn += bytes;
}

export function countOut(bytes: number): void {
  transfers.copiesOut++;
  transfers.bytesOut += bytes;
}
