import type { EntityDef, EntityDefs } from './entity-defs.js'
import { EspoError, formatDateTime, newId, notFound } from './format.js'
import type { SearchParams } from './search-params.js'
import type { Attrs, RecordStore } from './store.js'
import { copy, sameValue } from './store.js'
import { sanitizeInput, validateInput } from './validate.js'
import type { Collation } from './where.js'
import { matchesAll, sortRows } from './where.js'

/**
 * EspoCRM's record service: create/update/soft-delete with the bookkeeping
 * a real instance does (timestamps, authors, versionNumber, link names),
 * Document's "a new file deletes the old attachment" rule, and the webhook
 * events each write raises.
 */
export interface WriteContext {
  userId: string
  /** `X-Version-Number` from the request, when sent. */
  versionNumber?: number
}

export interface EntityHooks {
  /** Extra attributes the API never lets a client write. */
  readOnly?: string[]
  beforeCreate?: (attrs: Attrs, ctx: WriteContext) => void
}

export interface RecordsDeps {
  store: RecordStore
  defs: EntityDefs
  clock: () => number
  collation: Collation
  userName: (id: string) => string | undefined
  attachmentExists: (id: string) => boolean
  removeAttachment: (id: string) => void
  emit: (event: string, entityType: string, id: string, data: Attrs, userId: string) => void
  hooks: Record<string, EntityHooks>
}

export interface ListResult {
  total: number
  list: Attrs[]
}

/** Attributes a webhook `update` payload never reports (EspoCRM's skip list). */
const UPDATE_SKIP = new Set(['modifiedAt', 'modifiedById', 'modifiedByName', 'versionNumber', 'isFollowed'])

export class Records {
  constructor (private readonly deps: RecordsDeps) {}

  def (entityType: string): EntityDef {
    const def = this.deps.defs[entityType]
    if (def === undefined) throw notFound()
    return def
  }

  /** A copy with `{link}Name` filled in, or undefined. */
  find (entityType: string, id: string, withDeleted = false): Attrs | undefined {
    const row = this.deps.store.row(entityType, id, withDeleted)
    return row === undefined ? undefined : this.decorate(entityType, copy(row.attrs))
  }

  read (entityType: string, id: string): Attrs {
    this.def(entityType)
    const attrs = this.find(entityType, id)
    if (attrs === undefined) throw notFound()
    return attrs
  }

  all (entityType: string, withDeleted = false): Attrs[] {
    return this.deps.store.rows(entityType, withDeleted).map(r => this.decorate(entityType, copy(r.attrs)))
  }

  list (entityType: string, params: SearchParams, options: { noTotal?: boolean, filter?: (row: Attrs) => boolean } = {}): ListResult {
    const def = this.def(entityType)
    const c = this.deps.collation
    // Filtered and sorted on shallow views; only the page is deep-copied. Copying every row
    // per query made a list cost O(table size) in clones, which dominated benchmarks with many Akten.
    const rows = this.deps.store.rows(entityType).map(r => this.decorate(entityType, { ...r.attrs }))
      .filter(r => (options.filter?.(r) ?? true) && matchesAll(r, params.where, c))
    const orderBy = params.orderBy ?? def.orderBy
    const order = params.order ?? (params.orderBy === undefined ? def.order : 'asc')
    sortRows(rows, orderBy, order, c)
    const page = rows.slice(params.offset, params.offset + params.maxSize).map(r => this.select(copy(r), params.select))
    const more = rows.length > params.offset + params.maxSize
    return { total: options.noTotal === true ? (more ? -1 : -2) : rows.length, list: page }
  }

  create (entityType: string, input: Attrs, ctx: WriteContext): Attrs {
    const def = this.def(entityType)
    const hooks = this.deps.hooks[entityType] ?? {}
    const clean = sanitizeInput(def, input, hooks.readOnly)
    validateInput(entityType, def, clean, undefined, this.deps.attachmentExists)
    const now = formatDateTime(this.deps.clock())
    const attrs: Attrs = { id: newId(), ...copy(def.defaults), ...clean }
    hooks.beforeCreate?.(attrs, ctx)
    Object.assign(attrs, { createdAt: now, modifiedAt: now, createdById: ctx.userId, modifiedById: null })
    if (def.versioned) attrs.versionNumber = 1
    this.deps.store.insert(entityType, attrs)
    const out = this.decorate(entityType, copy(attrs))
    this.deps.emit(`${entityType}.create`, entityType, String(attrs.id), out, ctx.userId)
    return out
  }

  update (entityType: string, id: string, input: Attrs, ctx: WriteContext): Attrs {
    const def = this.def(entityType)
    const row = this.deps.store.row(entityType, id)
    if (row === undefined) throw notFound()
    const clean = sanitizeInput(def, input, this.deps.hooks[entityType]?.readOnly)
    if (def.versioned && ctx.versionNumber !== undefined && ctx.versionNumber !== row.attrs.versionNumber) {
      throw this.conflict(row.attrs, clean)
    }
    validateInput(entityType, def, clean, row.attrs, this.deps.attachmentExists)
    const changed = Object.keys(clean).filter(k => !sameValue(row.attrs[k], clean[k]))
    if (changed.length === 0) return this.read(entityType, id)
    const previous = copy(row.attrs)
    for (const key of changed) row.attrs[key] = copy(clean[key])
    row.attrs.modifiedAt = formatDateTime(this.deps.clock())
    row.attrs.modifiedById = ctx.userId
    if (def.versioned) row.attrs.versionNumber = Number(row.attrs.versionNumber ?? 0) + 1
    for (const field of Object.keys(def.fileFields)) {
      const old = previous[`${field}Id`]
      // EspoCRM keeps no versions: the replaced attachment is deleted
      if (changed.includes(`${field}Id`) && typeof old === 'string' && old !== row.attrs[`${field}Id`]) {
        this.deps.removeAttachment(old)
      }
    }
    const out = this.decorate(entityType, copy(row.attrs))
    this.emitUpdate(entityType, def, out, changed, ctx.userId)
    return out
  }

  remove (entityType: string, id: string, ctx: WriteContext): void {
    this.def(entityType)
    const row = this.deps.store.row(entityType, id)
    if (row === undefined) throw notFound()
    row.deleted = true
    row.attrs.deleted = true
    if (entityType === 'Attachment') this.deps.removeAttachment(id)
    this.deps.emit(`${entityType}.delete`, entityType, id, { id }, ctx.userId)
  }

  /** Inserts as-is (ids, timestamps may be given): test seeding, no events. */
  seed (entityType: string, attrs: Attrs): Attrs {
    const def = this.def(entityType)
    const now = formatDateTime(this.deps.clock())
    const row: Attrs = {
      id: newId(), ...copy(def.defaults), createdAt: now, modifiedAt: now, createdById: '1', modifiedById: null, ...copy(attrs)
    }
    if (def.versioned && row.versionNumber === undefined) row.versionNumber = 1
    this.deps.store.insert(entityType, row)
    return this.decorate(entityType, copy(row))
  }

  private emitUpdate (entityType: string, def: EntityDef, out: Attrs, changed: string[], userId: string): void {
    const id = String(out.id)
    const reported = changed.filter(k => !UPDATE_SKIP.has(k))
    if (reported.length === 0) return
    const data: Attrs = {}
    for (const key of reported) data[key] = out[key]
    data.id = id
    this.deps.emit(`${entityType}.update`, entityType, id, data, userId)
    const fields = new Set(reported.map(k => (k.endsWith('Id') && k.slice(0, -2) in def.links ? k.slice(0, -2) : k)))
    for (const field of fields) {
      const item: Attrs = { id }
      if (field in def.links) {
        item[`${field}Id`] = out[`${field}Id`]
        item[`${field}Name`] = out[`${field}Name`]
      } else {
        item[field] = out[field]
      }
      this.deps.emit(`${entityType}.fieldUpdate.${field}`, entityType, id, item, userId)
    }
  }

  private conflict (current: Attrs, input: Attrs): EspoError {
    const values: Attrs = {}
    for (const key of Object.keys(input)) values[key] = current[key] ?? null
    return new EspoError(409, 'modified', JSON.stringify({ values, versionNumber: current.versionNumber }))
  }

  private decorate (entityType: string, attrs: Attrs): Attrs {
    const def = this.deps.defs[entityType]
    for (const [link, target] of Object.entries(def?.links ?? {})) {
      const idAttr = `${link}Id`
      if (!(idAttr in attrs)) continue
      const id = attrs[idAttr]
      attrs[`${link}Name`] = typeof id === 'string' ? this.nameOf(target, id) : null
    }
    return attrs
  }

  private nameOf (entityType: string, id: string): string | null {
    if (entityType === 'User') return this.deps.userName(id) ?? null
    const name = this.deps.store.row(entityType, id)?.attrs.name
    return typeof name === 'string' ? name : null
  }

  private select (attrs: Attrs, select: string[] | undefined): Attrs {
    if (select === undefined) return attrs
    const out: Attrs = {}
    for (const key of select) {
      // a real column exists for every field: unset reads as null
      out[key] = attrs[key] ?? null
      if (key.endsWith('Id') && `${key.slice(0, -2)}Name` in attrs) out[`${key.slice(0, -2)}Name`] = attrs[`${key.slice(0, -2)}Name`]
    }
    return out
  }
}
