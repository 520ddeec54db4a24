/** The progress line on stderr: rewritten in place on a terminal, one line per step otherwise. */
export class Progress {
  private readonly tty: boolean;
  private last = '';
  private lastPrinted = 0;
  private readonly t0 = Date.now();
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = !!stream.isTTY;
  }
  elapsed(): string {
    return `${((Date.now() - this.t0) / 1000).toFixed(0)}s`;
  }
  /** a transient status */
  update(text: string): void {
    const line = `[${this.elapsed()}] ${text}`;
    if (this.tty) {
      const cols = this.stream.columns || 120;
      this.stream.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
      this.last = line;
    } else if (Date.now() - this.lastPrinted > 5000) {
      this.stream.write(`${line}\n`);
      this.lastPrinted = Date.now();
    }
  }
  /** a line that stays */
  log(text: string): void {
    if (this.tty && this.last) this.stream.write('\r\x1b[K');
    this.stream.write(`[${this.elapsed()}] ${text}\n`);
    this.last = '';
  }
  done(): void {
    if (this.tty && this.last) this.stream.write('\r\x1b[K');
    this.last = '';
  }
}
