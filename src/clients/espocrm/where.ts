/**
 * EspoCRM list filters (`where[i][type|attribute|value]`) and the other list
 * parameters, serialised the way PHP parses nested query arrays.
 */
export type Scalar = string | number | boolean

export type ValueWhereType = 'equals' | 'notEquals' | 'after' | 'before' | 'greaterThan' | 'lessThan' |
  'greaterThanOrEquals' | 'lessThanOrEquals' | 'contains' | 'startsWith'
export type ListWhereType = 'in' | 'notIn' | 'linkedWith'
export type FlagWhereType = 'isNull' | 'isNotNull' | 'isTrue' | 'isFalse'

export type WhereItem =
  | { type: ValueWhereType, attribute: string, value: Scalar }
  | { type: ListWhereType, attribute: string, value: Scalar[] }
  | { type: FlagWhereType, attribute: string }
  | { type: 'or' | 'and', value: WhereItem[] }

/** Builders, so call sites read as `where.equals('akteId', id)`. */
export const where = {
  equals: (attribute: string, value: Scalar): WhereItem => ({ type: 'equals', attribute, value }),
  notEquals: (attribute: string, value: Scalar): WhereItem => ({ type: 'notEquals', attribute, value }),
  in: (attribute: string, value: Scalar[]): WhereItem => ({ type: 'in', attribute, value }),
  notIn: (attribute: string, value: Scalar[]): WhereItem => ({ type: 'notIn', attribute, value }),
  isNull: (attribute: string): WhereItem => ({ type: 'isNull', attribute }),
  isNotNull: (attribute: string): WhereItem => ({ type: 'isNotNull', attribute }),
  isTrue: (attribute: string): WhereItem => ({ type: 'isTrue', attribute }),
  isFalse: (attribute: string): WhereItem => ({ type: 'isFalse', attribute }),
  /** Strictly later; datetimes as EspoCRM strings (`YYYY-MM-DD HH:mm:ss`, UTC). */
  after: (attribute: string, value: string): WhereItem => ({ type: 'after', attribute, value }),
  before: (attribute: string, value: string): WhereItem => ({ type: 'before', attribute, value }),
  greaterThan: (attribute: string, value: Scalar): WhereItem => ({ type: 'greaterThan', attribute, value }),
  lessThan: (attribute: string, value: Scalar): WhereItem => ({ type: 'lessThan', attribute, value }),
  contains: (attribute: string, value: string): WhereItem => ({ type: 'contains', attribute, value }),
  startsWith: (attribute: string, value: string): WhereItem => ({ type: 'startsWith', attribute, value }),
  or: (...items: WhereItem[]): WhereItem => ({ type: 'or', value: items }),
  and: (...items: WhereItem[]): WhereItem => ({ type: 'and', value: items })
}

export type QueryParams = Record<string, string | number | boolean | undefined>

export function serializeWhere (items: readonly WhereItem[], prefix = 'where', out: QueryParams = {}): QueryParams {
  items.forEach((item, i) => {
    const key = `${prefix}[${i}]`
    out[`${key}[type]`] = item.type
    switch (item.type) {
      case 'or':
      case 'and':
        serializeWhere(item.value, `${key}[value]`, out)
        return
      case 'isNull':
      case 'isNotNull':
      case 'isTrue':
      case 'isFalse':
        out[`${key}[attribute]`] = item.attribute
        return
      case 'in':
      case 'notIn':
      case 'linkedWith':
        // PHP cannot receive an empty array in a query string: `in []` would turn into "no filter".
        if (item.value.length === 0) throw new RangeError(`where '${item.type}' on '${item.attribute}' needs at least one value`)
        out[`${key}[attribute]`] = item.attribute
        item.value.forEach((v, j) => { out[`${key}[value][${j}]`] = v })
        return
      default:
        out[`${key}[attribute]`] = item.attribute
        out[`${key}[value]`] = item.value
    }
  })
  return out
}

/** EspoCRM's list limit: `maxSize` above 200 answers 403. */
export const MAX_PAGE_SIZE = 200

export interface ListParams {
  where?: readonly WhereItem[]
  /** Attribute names; `id` always comes back. */
  select?: readonly string[]
  orderBy?: string
  order?: 'asc' | 'desc'
  /** Records per request, at most 200. */
  pageSize?: number
}

export function listQuery (params: ListParams, offset: number, maxSize: number): QueryParams {
  const query: QueryParams = { maxSize, offset }
  if (params.orderBy !== undefined) {
    query.orderBy = params.orderBy
    query.order = params.order ?? 'asc'
  }
  if (params.select !== undefined && params.select.length > 0) query.select = [...new Set(params.select)].join(',')
  if (params.where !== undefined) serializeWhere(params.where, 'where', query)
  return query
}
