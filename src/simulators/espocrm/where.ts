import { badRequest, isObject } from './format.js'

/**
 * EspoCRM where items evaluated against records with SQL semantics: a
 * comparison with NULL is never true (so `notEquals` and `notIn` skip
 * records where the attribute is null, as MySQL does), and strings compare
 * through the collation.
 */
export interface WhereItem {
  type: string
  attribute?: string
  value?: unknown
}

export type Row = Record<string, unknown>

export interface Collation {
  /** Maps a string to the form equality and ordering use. */
  fold: (value: string) => string
}

export function makeCollation (kind: 'ci' | 'binary'): Collation {
  if (kind === 'binary') return { fold: s => s }
  // utf8mb4_unicode_ci ignores case and accents: 'Ä' = 'a'
  return { fold: s => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() }
}

const TYPES = new Set([
  'equals', 'notEquals', 'in', 'notIn', 'isNull', 'isNotNull', 'isTrue', 'isFalse', 'after', 'before',
  'greaterThan', 'lessThan', 'greaterThanOrEquals', 'lessThanOrEquals', 'between', 'contains', 'notContains',
  'startsWith', 'endsWith', 'like', 'notLike', 'linkedWith', 'notLinkedWith', 'or', 'and'
])

/** Checks shape and types up front so a bad item answers 400 before any work. */
export function checkWhere (items: unknown): WhereItem[] {
  if (items === undefined || items === '') return []
  const list = Array.isArray(items) ? items : isObject(items) ? Object.values(items) : null
  if (list === null) throw badRequest('Bad where.')
  for (const item of list) {
    if (!isObject(item) || typeof item.type !== 'string' || !TYPES.has(item.type)) {
      throw badRequest('Bad where item.')
    }
    if (item.type === 'or' || item.type === 'and') item.value = checkWhere(item.value ?? [])
    else if (typeof item.attribute !== 'string' || item.attribute === '') throw badRequest('Bad where item.')
  }
  return list as WhereItem[]
}

/** Orders two non-null values: numbers numerically, strings by collation. */
export function compareValues (a: unknown, b: unknown, c: Collation): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a)
    const y = Number(b)
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(truthy(a)) - Number(truthy(b))
  let x = c.fold(String(a))
  let y = c.fold(String(b))
  // MySQL reads a bare date against a datetime as midnight
  if (/^\d{4}-\d{2}-\d{2} /.test(x) && /^\d{4}-\d{2}-\d{2}$/.test(y)) y += ' 00:00:00'
  if (/^\d{4}-\d{2}-\d{2} /.test(y) && /^\d{4}-\d{2}-\d{2}$/.test(x)) x += ' 00:00:00'
  return x < y ? -1 : x > y ? 1 : 0
}

function truthy (value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true'
}

function absent (value: unknown): boolean {
  return value === null || value === undefined
}

function asList (value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (absent(value) || value === '') return []
  return [value]
}

function likeRegExp (pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')
  return new RegExp(`^${escaped}$`, 's')
}

function like (actual: unknown, pattern: string, c: Collation): boolean {
  return !absent(actual) && likeRegExp(c.fold(pattern)).test(c.fold(String(actual)))
}

export function matchesItem (row: Row, item: WhereItem, c: Collation): boolean {
  const attribute = item.attribute ?? ''
  const actual = row[attribute]
  const value = item.value
  const cmp = (): number => compareValues(actual, value, c)
  switch (item.type) {
    case 'or': return (value as WhereItem[]).length === 0 || (value as WhereItem[]).some(i => matchesItem(row, i, c))
    case 'and': return (value as WhereItem[]).every(i => matchesItem(row, i, c))
    case 'isNull': return absent(actual)
    case 'isNotNull': return !absent(actual)
    case 'isTrue': return truthy(actual)
    case 'isFalse': return !absent(actual) && !truthy(actual)
    case 'equals': return absent(value) ? absent(actual) : !absent(actual) && cmp() === 0
    case 'notEquals': return absent(value) ? !absent(actual) : !absent(actual) && cmp() !== 0
    case 'in': return !absent(actual) && asList(value).some(v => compareValues(actual, v, c) === 0)
    case 'notIn': return !absent(actual) && !asList(value).some(v => compareValues(actual, v, c) === 0)
    case 'after': case 'greaterThan': return !absent(actual) && !absent(value) && cmp() > 0
    case 'before': case 'lessThan': return !absent(actual) && !absent(value) && cmp() < 0
    case 'greaterThanOrEquals': return !absent(actual) && !absent(value) && cmp() >= 0
    case 'lessThanOrEquals': return !absent(actual) && !absent(value) && cmp() <= 0
    case 'between': {
      const [from, to] = asList(value)
      return !absent(actual) && compareValues(actual, from, c) >= 0 && compareValues(actual, to, c) <= 0
    }
    case 'contains': return like(actual, `%${String(value ?? '')}%`, c)
    case 'notContains': return !absent(actual) && !like(actual, `%${String(value ?? '')}%`, c)
    case 'startsWith': return like(actual, `${String(value ?? '')}%`, c)
    case 'endsWith': return like(actual, `%${String(value ?? '')}`, c)
    case 'like': return like(actual, String(value ?? ''), c)
    case 'notLike': return !absent(actual) && !like(actual, String(value ?? ''), c)
    case 'linkedWith': return asList(value).includes(row[`${attribute}Id`])
    case 'notLinkedWith': return !asList(value).includes(row[`${attribute}Id`])
    default: throw badRequest('Bad where item.')
  }
}

export function matchesAll (row: Row, items: WhereItem[], c: Collation): boolean {
  return items.every(item => matchesItem(row, item, c))
}

/** ORDER BY attribute with NULLs first ascending (MySQL), then id as tie-breaker. */
export function sortRows (rows: Row[], orderBy: string, order: 'asc' | 'desc', c: Collation): Row[] {
  const sign = order === 'desc' ? -1 : 1
  return rows.sort((a, b) => {
    const x = a[orderBy]
    const y = b[orderBy]
    let result = 0
    if (absent(x) || absent(y)) result = absent(x) ? (absent(y) ? 0 : -1) : 1
    else result = compareValues(x, y, c)
    if (result === 0) result = String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0
    return sign * result
  })
}
