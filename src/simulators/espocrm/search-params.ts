import { EspoError, badRequest, isObject } from './format.js'
import type { WhereItem } from './where.js'
import { checkWhere } from './where.js'

/**
 * Reads list parameters the two ways EspoCRM accepts them: separate query
 * parameters (`maxSize`, `where[0][type]`, `select=a,b`) or one JSON
 * `searchParams` parameter (where `select` is an array).
 */
export interface SearchParams {
  maxSize: number
  offset: number
  orderBy?: string
  order?: 'asc' | 'desc'
  select?: string[]
  where: WhereItem[]
}

function toInt (value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n)) throw badRequest(`Bad ${name}.`)
  return n
}

function toSelect (value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null
  if (list === null || list.some(v => typeof v !== 'string')) throw badRequest('Bad select.')
  const select = (list as string[]).map(s => s.trim()).filter(s => s !== '')
  return select.includes('id') ? select : ['id', ...select]
}

function fromRaw (raw: Record<string, unknown>, limit: number): SearchParams {
  let maxSize = toInt(raw.maxSize, 'maxSize')
  // PHP's empty(): 0 and missing both mean "the limit"
  if (maxSize === undefined || maxSize === 0) maxSize = limit
  if (maxSize > limit) {
    throw new EspoError(403, `Max size should should not exceed ${limit}. Use offset and limit.`)
  }
  if (maxSize < 0) throw badRequest('Bad maxSize.')
  const offset = toInt(raw.offset, 'offset') ?? 0
  if (offset < 0) throw badRequest('Bad offset.')
  const orderBy = typeof raw.orderBy === 'string' && raw.orderBy !== '' ? raw.orderBy : undefined
  let order: 'asc' | 'desc' | undefined
  if (raw.order === 'asc' || raw.order === 'desc') order = raw.order
  else if (raw.order !== undefined && raw.order !== '') throw badRequest('Bad order.')
  else if (raw.asc !== undefined) order = raw.asc === 'true' || raw.asc === true ? 'asc' : 'desc'
  return { maxSize, offset, orderBy, order, select: toSelect(raw.select), where: checkWhere(raw.where) }
}

export function fetchSearchParams (query: Record<string, unknown>, limit: number): SearchParams {
  if (typeof query.searchParams === 'string' && query.searchParams !== '') {
    let parsed: unknown
    try {
      parsed = JSON.parse(query.searchParams)
    } catch {
      throw badRequest('Bad searchParams.')
    }
    if (!isObject(parsed)) throw badRequest('Bad searchParams.')
    return fromRaw(parsed, limit)
  }
  return fromRaw(query, limit)
}
