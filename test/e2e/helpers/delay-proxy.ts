import { connect, createServer, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'

/*
 * A TCP proxy in front of Redis whose link can stall: for a moment, neither
 * the service's commands nor Redis' answers get through for `delayMs` (a
 * congested or flapping network). Bytes keep their order, nothing is lost.
 */

export interface DelayProxy {
  url: string
  /** Delay of what passes from now on, both ways (0: straight through). */
  delayMs: number
}

export async function delayProxy (t: Test, target: string): Promise<DelayProxy> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<Socket>()
  const proxy: DelayProxy = { url: '', delayMs: 0 }
  const server = createServer(client => {
    const upstream = connect(Number(port), hostname)
    sockets.add(client).add(upstream)
    // Each direction keeps its order; a chunk is passed on no earlier than `delayMs` after it came.
    const relay = (from: Socket, to: Socket): void => {
      let chain = Promise.resolve()
      from.on('data', (chunk: Buffer) => {
        const due = Date.now() + proxy.delayMs
        chain = chain.then(async () => {
          if (due > Date.now()) await sleep(due - Date.now())
          if (!to.destroyed) to.write(chunk)
        })
      })
    }
    relay(upstream, client)
    relay(client, upstream)
    const close = (): void => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream) }
    client.on('close', close).on('error', close)
    upstream.on('close', close).on('error', close)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  proxy.url = `redis://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise(resolve => server.close(resolve))
  })
  return proxy
}
