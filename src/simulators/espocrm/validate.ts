import type { EntityDef } from './entity-defs.js'
import { fieldAttribute } from './entity-defs.js'
import { isDate, isDateTime, isUnsafeKey, validationFailure } from './format.js'
import type { Attrs } from './store.js'

/**
 * EspoCRM's input handling for a record write: unknown and read-only
 * attributes are dropped silently, then field validation answers 400 for
 * the first failing field. On update only the fields being written are
 * validated, as EspoCRM does.
 */
const READ_ONLY = new Set(['id', 'deleted', 'createdAt', 'modifiedAt', 'createdById', 'modifiedById', 'versionNumber'])

export function sanitizeInput (def: EntityDef, input: Attrs, extraReadOnly: string[] = []): Attrs {
  const clean: Attrs = {}
  const linkNames = new Set(Object.keys(def.links).map(link => `${link}Name`))
  const allowed = def.attributes === undefined ? undefined : new Set(def.attributes)
  for (const [key, value] of Object.entries(input)) {
    if (isUnsafeKey(key) || READ_ONLY.has(key) || linkNames.has(key) || extraReadOnly.includes(key)) continue
    if (allowed !== undefined && !allowed.has(key)) continue
    clean[key] = value
  }
  return clean
}

function empty (value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
}

export function validateInput (
  entityType: string,
  def: EntityDef,
  input: Attrs,
  existing: Attrs | undefined,
  attachmentExists: (id: string) => boolean
): void {
  const written = (attr: string): boolean => existing === undefined || attr in input
  const value = (attr: string): unknown => attr in input ? input[attr] : existing?.[attr]
  const fail = (field: string, type: string): never => { throw validationFailure(entityType, field, type) }

  for (const field of def.required) {
    const attr = fieldAttribute(def, field)
    if (written(attr) && empty(value(attr))) fail(field, 'required')
  }
  for (const [field, max] of Object.entries(def.maxLength)) {
    const v = input[field]
    if (field in input && typeof v === 'string' && v.length > max) fail(field, 'maxLength')
  }
  for (const [field, re] of Object.entries(def.pattern)) {
    const v = input[field]
    if (field in input && typeof v === 'string' && v !== '' && !re.test(v)) fail(field, 'pattern')
  }
  for (const [field, options] of Object.entries(def.enums)) {
    const v = input[field]
    if (field in input && v !== null && !options.includes(v as string)) fail(field, 'valid')
  }
  for (const field of def.dates) {
    const v = input[field]
    if (field in input && !empty(v) && !isDate(v)) fail(field, 'valid')
  }
  for (const field of def.dateTimes) {
    const v = input[field]
    if (field in input && !empty(v) && !isDateTime(v)) fail(field, 'valid')
  }
  for (const field of Object.keys(def.fileFields)) {
    const v = input[`${field}Id`]
    if (`${field}Id` in input && !empty(v) && (typeof v !== 'string' || !attachmentExists(v))) fail(field, 'valid')
  }
}
