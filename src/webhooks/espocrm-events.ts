/**
 * EspoCRM webhook payloads: a JSON array of up to 50 items, one webhook per
 * event. This maps each item to what we need to find its Akte, without I/O.
 */
export type EspoAction = 'create' | 'update' | 'delete' | 'fieldUpdate.file'

export interface EspoEvent {
  entity: 'document' | 'akte'
  action: EspoAction
}

export interface EventNaming {
  akteEntity: string
  documentEntity: string
  /** EspoCRM attribute names. */
  documentAkteLink: string
  akteNumberField: string
  /** Attributes that only the service writes: an update touching nothing else is our own echo. */
  documentBookkeeping: readonly string[]
  akteBookkeeping: readonly string[]
}

export type WebhookItem = Record<string, unknown> & { id: string }

export type RoutedItem =
  | { kind: 'ignore', reason: string }
  | { kind: 'aktennummer', aktennummer: string }
  | { kind: 'akte-id', akteId: string }
  | { kind: 'document', documentId: string, deleted: boolean }

export const MAX_ITEMS = 50
const ID = /^[A-Za-z0-9]{1,64}$/
/** Attributes EspoCRM adds to every update itself. */
const SYSTEM_FIELDS = new Set(['id', 'modifiedAt', 'modifiedById', 'modifiedByName', 'versionNumber'])

export function parseEvent (name: string | undefined, naming: EventNaming): EspoEvent | undefined {
  if (name === undefined) return undefined
  const dot = name.indexOf('.')
  const entity = name.slice(0, dot)
  const action = name.slice(dot + 1)
  if (action !== 'create' && action !== 'update' && action !== 'delete' && action !== 'fieldUpdate.file') return undefined
  if (entity === naming.documentEntity) return { entity: 'document', action }
  if (entity === naming.akteEntity) return { entity: 'akte', action }
  return undefined
}

export type ParsedPayload = { ok: true, items: WebhookItem[] } | { ok: false, reason: string }

export function parsePayload (raw: Buffer): ParsedPayload {
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch {
    return { ok: false, reason: 'body is not JSON' }
  }
  if (!Array.isArray(body)) return { ok: false, reason: 'body must be a JSON array of events' }
  if (body.length > MAX_ITEMS) return { ok: false, reason: `at most ${MAX_ITEMS} events per request` }
  for (const [index, item] of body.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return { ok: false, reason: `event ${index} is not an object` }
    const id = (item as Record<string, unknown>).id
    if (typeof id !== 'string' || !ID.test(id)) return { ok: false, reason: `event ${index} has no valid id` }
  }
  return { ok: true, items: body as WebhookItem[] }
}

/** What to do with one item; `event` is unknown for webhooks registered by hand without `?event=`. */
export function routeItem (item: WebhookItem, event: EspoEvent | undefined, naming: EventNaming): RoutedItem {
  const changed = Object.keys(item).filter(key => !SYSTEM_FIELDS.has(key))
  const entity = event?.entity ?? (typeof item[naming.akteNumberField] === 'string' ? 'akte' : 'document')
  if (event?.action === 'update') {
    const bookkeeping = new Set(entity === 'akte' ? naming.akteBookkeeping : naming.documentBookkeeping)
    if (changed.length > 0 && changed.every(key => bookkeeping.has(key))) return { kind: 'ignore', reason: 'own sync bookkeeping (echo)' }
    if (changed.length === 0) return { kind: 'ignore', reason: 'no attribute changed' }
  }
  if (entity === 'akte') {
    const number = item[naming.akteNumberField]
    if (typeof number === 'string' && number !== '') return { kind: 'aktennummer', aktennummer: number }
    return { kind: 'akte-id', akteId: item.id }
  }
  const link = item[naming.documentAkteLink]
  if (typeof link === 'string' && ID.test(link)) return { kind: 'akte-id', akteId: link }
  return { kind: 'document', documentId: item.id, deleted: event?.action === 'delete' }
}
