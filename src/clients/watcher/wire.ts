import { ExternalError } from '../errors.js'
import { normaliseBlake3 } from '../../hash/blake3.js'
import type { ReasonReader } from '../http-client.js'
import type { WatcherFile, WatcherListing, WatcherUploadResult } from '../../domain/types.js'

/**
 * The Watcher's JSON, checked field by field. USNs pass 2^53, so they travel
 * as strings of digits and stay strings: a number has already been rounded by
 * JSON.parse, so it is refused instead of silently losing precision.
 */
const USN = /^\d{1,20}$/
const UINT64_MAX = 2n ** 64n - 1n

type WireObject = Record<string, unknown>

export function watcherProtocolError (operation: string, message: string): ExternalError {
  return new ExternalError({ system: 'watcher', kind: 'protocol', operation, message: `watcher ${operation}: ${message}` })
}

function asObject (value: unknown, what: string, operation: string): WireObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw watcherProtocolError(operation, `${what} is not an object`)
  return value as WireObject
}

export function usnOf (value: unknown, operation: string): string {
  if (typeof value === 'number') throw watcherProtocolError(operation, 'usn sent as a JSON number (precision lost); expected a string of digits')
  if (typeof value !== 'string' || !USN.test(value) || BigInt(value) > UINT64_MAX) throw watcherProtocolError(operation, 'usn is not a 64-bit decimal string')
  return value
}

function pathOf (value: unknown, operation: string): string {
  if (typeof value !== 'string' || value === '') throw watcherProtocolError(operation, 'path is missing')
  return value
}

function hashOf (value: unknown, operation: string): string {
  const hash = normaliseBlake3(typeof value === 'string' ? value : undefined)
  if (hash === undefined) throw watcherProtocolError(operation, 'blake3Hash is not 64 hex characters')
  return hash
}

function sizeOf (value: unknown, operation: string): number {
  const size = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw watcherProtocolError(operation, 'size is not a byte count')
  return size
}

function fileFromWire (raw: unknown, operation: string): WatcherFile {
  const wire = asObject(raw, 'file entry', operation)
  const modified = wire.modified
  if (typeof modified !== 'string' || modified === '') throw watcherProtocolError(operation, 'modified is missing')
  return {
    path: pathOf(wire.path, operation),
    size: sizeOf(wire.size, operation),
    usn: usnOf(wire.usn, operation),
    blake3Hash: hashOf(wire.blake3Hash, operation),
    modified
  }
}

export function listingFromWire (raw: unknown, aktennummer: string, operation = 'list files'): WatcherListing {
  const wire = asObject(raw, 'answer', operation)
  if (!Array.isArray(wire.files)) throw watcherProtocolError(operation, 'files is not a list')
  return {
    akte: typeof wire.akte === 'string' && wire.akte !== '' ? wire.akte : aktennummer,
    files: wire.files.map(file => fileFromWire(file, operation))
  }
}

export function uploadResultFromWire (raw: unknown, operation = 'upload'): WatcherUploadResult {
  const wire = asObject(raw, 'answer', operation)
  return { path: pathOf(wire.path, operation), usn: usnOf(wire.usn, operation), blake3Hash: hashOf(wire.blake3Hash, operation) }
}

/** The Watcher's JSON reason; FastAPI-style services put it in `detail`. */
export const watcherReason: ReasonReader = (_status, headers, bodyText) => {
  const header = headers['x-status-reason']
  if (typeof header === 'string' && header !== '') return header
  if (bodyText === '') return undefined
  try {
    const parsed = JSON.parse(bodyText) as WireObject
    const reason = parsed.reason ?? parsed.message ?? parsed.error ?? parsed.detail
    if (typeof reason === 'string') return reason
    if (reason !== undefined) return JSON.stringify(reason).slice(0, 200)
  } catch {}
  return bodyText.slice(0, 200)
}
