import type { Test } from 'tap'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'

/**
 * A webhook receiver for tests: records raw bodies and headers; the path
 * decides the answer (`/status/500`, `/slow/300` waits 300 ms then 200).
 */
export interface Received {
  path: string
  headers: IncomingHttpHeaders
  raw: Buffer
}

export async function startReceiver (t: Test): Promise<{ url: string, received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      received.push({ path, headers: req.headers, raw: Buffer.concat(chunks) })
      const [, kind, arg] = path.split('/')
      if (kind === 'slow') {
        setTimeout(() => { if (!res.destroyed) res.end('late') }, Number(arg))
        return
      }
      res.statusCode = kind === 'status' ? Number(arg) : 200
      res.end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, received }
}
