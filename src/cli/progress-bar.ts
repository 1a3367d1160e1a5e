/**
 * One line redrawn in place on a terminal; on a pipe, a line per finished
 * transfer. Twenty lines of code did not warrant a dependency.
 */
export class ProgressBar {
  private lastDraw = 0

  constructor (private readonly stream: NodeJS.WriteStream = process.stderr) {}

  transfer (path: string, bytes: number, total: number | null, done: boolean): void {
    const tty = this.stream.isTTY === true
    if (!tty) {
      if (done) this.stream.write(`  ${path}: ${megabytes(bytes)}\n`)
      return
    }
    const now = Date.now()
    if (!done && now - this.lastDraw < 100) return
    this.lastDraw = now
    const share = total !== null && total > 0 ? Math.min(1, bytes / total) : undefined
    const width = 24
    const bar = share === undefined ? '' : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '-')}] ${String(Math.round(share * 100)).padStart(3)}% `
    const size = total === null ? megabytes(bytes) : `${megabytes(bytes)} / ${megabytes(total)}`
    this.stream.write(`\r\x1b[2K${bar}${size}  ${path.slice(-50)}${done ? '\n' : ''}`)
  }

  line (text: string): void {
    this.stream.write(`${this.stream.isTTY === true ? '\r\x1b[2K' : ''}${text}\n`)
  }
}

function megabytes (bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
