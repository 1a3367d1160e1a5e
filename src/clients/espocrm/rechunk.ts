/**
 * Regroups a byte stream into pieces of exactly `size` bytes (the last one
 * shorter). Holds at most one piece plus the source chunk being split, so a
 * 1 GiB file passes in constant memory.
 */
export async function * rechunk (source: AsyncIterable<Uint8Array | string>, size: number): AsyncGenerator<Buffer> {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`chunk size must be a positive integer, got ${size}`)
  let parts: Buffer[] = []
  let buffered = 0
  for await (const piece of source) {
    let rest = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
    while (rest.length > 0) {
      const take = Math.min(size - buffered, rest.length)
      parts.push(rest.subarray(0, take))
      buffered += take
      rest = rest.subarray(take)
      if (buffered === size) {
        yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size)
        parts = []
        buffered = 0
      }
    }
  }
  if (buffered > 0) yield Buffer.concat(parts, buffered)
}
