import { createServer } from 'node:net'

/**
 * Port choice for the sandbox: the well-known defaults when they are free, so
 * URLs stay the same from one run to the next, and any free port otherwise,
 * so a second sandbox (or a stray process on 3000) never stops it starting.
 */

/** Listens once on `port` (0: any) and reports the port, or undefined when it is taken. */
async function probe (port: number, host: string): Promise<number | undefined> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined)
      else reject(error)
    })
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address !== null ? address.port : port
      server.close(() => { resolve(bound) })
    })
  })
}

export interface PortChoice {
  port: number
  /** The preferred port was taken and another one is used. */
  fellBack: boolean
}

/**
 * A concrete port: `preferred` when free, else one the OS hands out. Needed
 * where the URL must be known before the server listens (the service's
 * webhook URLs go into the simulators first). A tiny race remains; a
 * sandbox on a developer's machine can live with it.
 */
export async function choosePort (preferred: number, host: string): Promise<PortChoice> {
  if (preferred !== 0) {
    const port = await probe(preferred, host)
    if (port !== undefined) return { port, fellBack: false }
  }
  const port = await probe(0, host)
  if (port === undefined) throw new Error(`no free port on ${host}`)
  return { port, fellBack: preferred !== 0 }
}

/** For servers that may take any port: the preferred one when free, else 0 (the OS picks at listen). */
export async function preferPort (preferred: number, host: string): Promise<PortChoice> {
  if (preferred === 0) return { port: 0, fellBack: false }
  const port = await probe(preferred, host)
  return port === undefined ? { port: 0, fellBack: true } : { port, fellBack: false }
}
