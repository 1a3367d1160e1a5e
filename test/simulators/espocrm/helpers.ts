import type { Test } from 'tap'
import { request } from 'undici'
import type { EspoSimulator, EspoSimulatorOptions } from '../../../src/simulators/espocrm/index.js'
import { createEspoSimulator } from '../../../src/simulators/espocrm/index.js'

/** A listening simulator with one API user (`u1`, key `key-1`, secret `secret-1`). */
export const USER = { id: 'u1', userName: 'sync', apiKey: 'key-1', secretKey: 'secret-1' }

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
}

export type Call = (method: string, path: string, options?: { body?: unknown, headers?: Record<string, string> }) => Promise<Answer>

export async function startSim (t: Test, options: EspoSimulatorOptions = {}): Promise<{ sim: EspoSimulator, api: Call }> {
  const sim = await createEspoSimulator(options)
  t.teardown(async () => { await sim.close() })
  const url = await sim.listen()
  sim.addUser(USER)
  const api: Call = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { 'x-api-key': USER.apiKey, ...opts.headers }
    let body: string | undefined
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await request(url + path, { method: method as 'GET', headers, body })
    const text = await res.body.text()
    let json: any
    try { json = JSON.parse(text) } catch { json = undefined }
    return { status: res.statusCode, headers: res.headers, text, json }
  }
  return { sim, api }
}

export function dataUri (bytes: Buffer, mime = 'application/pdf'): string {
  return `data:${mime};base64,${bytes.toString('base64')}`
}

/** Uploads a small file the single-request way; returns the attachment id. */
export async function upload (api: Call, name: string, bytes: Buffer): Promise<string> {
  const res = await api('POST', 'Attachment', {
    body: { name, type: 'application/pdf', role: 'Attachment', relatedType: 'Document', field: 'file', file: dataUri(bytes) }
  })
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${String(res.headers['x-status-reason'])}`)
  return res.json.id as string
}
