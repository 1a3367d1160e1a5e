import { randomBytes } from 'node:crypto'

/**
 * EspoCRM's wire formats: ids, datetimes and the error shape its API uses
 * (status, reason in `X-Status-Reason`, body usually empty).
 */

let lastIdTime = 0n

/**
 * 17 hex characters like EspoCRM's `Util::generateId()`: PHP `uniqid()` (8 hex
 * seconds + 5 hex microseconds) plus 4 random hex. So ids roughly follow
 * creation order, as on a real instance.
 */
export function newId (): string {
  let micros = BigInt(Date.now()) * 1000n + (process.hrtime.bigint() / 1000n) % 1000n
  if (micros <= lastIdTime) micros = lastIdTime + 1n
  lastIdTime = micros
  const seconds = micros / 1_000_000n
  const fraction = micros % 1_000_000n
  return seconds.toString(16).padStart(8, '0') + fraction.toString(16).padStart(5, '0') +
    randomBytes(2).toString('hex')
}

/** `YYYY-MM-DD HH:mm:ss`, UTC without zone. */
export function formatDateTime (ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/

function realDate (value: string): boolean {
  const ms = Date.parse(value.slice(0, 10) + 'T00:00:00Z')
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value.slice(0, 10))
}

export function isDate (value: unknown): boolean {
  return typeof value === 'string' && DATE.test(value) && realDate(value)
}

export function isDateTime (value: unknown): boolean {
  return typeof value === 'string' && DATE_TIME.test(value) && realDate(value)
}

/** An answer EspoCRM gives on purpose: status, reason header, optional body. */
export class EspoError extends Error {
  constructor (readonly status: number, readonly reason = '', readonly body?: string) {
    super(reason === '' ? `HTTP ${status}` : reason)
  }
}

export function badRequest (reason = ''): EspoError { return new EspoError(400, reason) }
export function forbidden (reason = ''): EspoError { return new EspoError(403, reason) }
export function notFound (reason = ''): EspoError { return new EspoError(404, reason) }

/** EspoCRM's field validation failure: reason header plus a translation body. */
export function validationFailure (entityType: string, field: string, type: string): EspoError {
  const body = JSON.stringify({ messageTranslation: { label: 'validationFailure', scope: null, data: { field, type } } })
  return new EspoError(400, `Field validation failure; entityType: ${entityType}, field: ${field}, type: ${type}.`, body)
}

/** A plain object (not an array, not null). */
export function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Keys that could reach a prototype when copied into a plain object. */
export function isUnsafeKey (key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype'
}
