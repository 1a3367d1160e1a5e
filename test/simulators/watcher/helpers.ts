import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { request } from 'undici'
import { createWatcherSimulator } from '../../../src/simulators/watcher/index.js'
import type { WatcherSimulator, WatcherSimulatorOptions } from '../../../src/simulators/watcher/index.js'

export const TOKEN = 'watcher-test-token'

export interface Started {
  sim: WatcherSimulator
  root: string
  get: (path: string, token?: string) => Promise<{ status: number, headers: Record<string, unknown>, body: Buffer, json: any }>
  put: (akte: string, filename: string, data: Buffer | string, hash: string | undefined, contentType?: string) => Promise<{ status: number, json: any }>
}

/** A Watcher simulator on a fresh temp root; closed and removed at teardown. */
export async function startWatcher (t: Test, options: Partial<WatcherSimulatorOptions> = {}): Promise<Started> {
  const root = await mkdtemp(join(tmpdir(), 'watcher-sim-'))
  const sim = createWatcherSimulator({ root, token: TOKEN, ...options })
  await sim.listen()
  t.teardown(async () => {
    await sim.close()
    await rm(root, { recursive: true, force: true })
  })
  const get: Started['get'] = async (path, token = TOKEN) => {
    const res = await request(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    const body = Buffer.from(await res.body.arrayBuffer())
    const isJson = String(res.headers['content-type'] ?? '').includes('json')
    return { status: res.statusCode, headers: res.headers, body, json: isJson ? JSON.parse(body.toString()) : undefined }
  }
  const put: Started['put'] = async (akte, filename, data, hash, contentType = 'application/octet-stream') => {
    const res = await request(`${sim.url}/files/${encodeURIComponent(akte)}/${encodeURIComponent(filename)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType, ...(hash !== undefined ? { 'x-blake3-hash': hash } : {}) },
      body: data
    })
    return { status: res.statusCode, json: await res.body.json() }
  }
  return { sim, root, get, put }
}

export const listingUrl = (akte: string): string => `/akte-details?akte=${encodeURIComponent(akte)}`
export const fileUrl = (akte: string, path: string): string => `/file?akte=${encodeURIComponent(akte)}&path=${encodeURIComponent(path)}`
