import { listQuery, MAX_PAGE_SIZE } from './where.js'
import type { ListParams } from './where.js'
import { protocolError } from './transport.js'
import type { EspoTransport } from './transport.js'
import type { RawRecord } from './field-map.js'

interface ListAnswer {
  total?: unknown
  list?: unknown
}

/** With `X-No-Total: true` EspoCRM answers -1 ("there is more") or -2 ("that was all"). */
const NO_MORE = -2

/**
 * Pages through `GET {entityType}` with offset paging. `X-No-Total` spares
 * EspoCRM the COUNT(*) and its -2 ends the walk without an extra empty page,
 * so 1,000 records cost exactly 5 requests.
 */
export async function * iterateRecords (transport: EspoTransport, entityType: string, params: ListParams = {}, signal?: AbortSignal): AsyncGenerator<RawRecord> {
  const pageSize = Math.min(Math.max(1, Math.floor(params.pageSize ?? MAX_PAGE_SIZE)), MAX_PAGE_SIZE)
  const operation = `list ${entityType}`
  for (let offset = 0; ;) {
    const answer = await transport.json<ListAnswer>({
      operation,
      method: 'GET',
      path: encodeURIComponent(entityType),
      query: listQuery(params, offset, pageSize),
      headers: { 'x-no-total': 'true' },
      signal
    })
    if (answer === undefined || answer === null || !Array.isArray(answer.list)) {
      throw protocolError(operation, 'answer has no list')
    }
    const list = answer.list as unknown[]
    for (const record of list) {
      if (typeof record !== 'object' || record === null) throw protocolError(operation, 'list item is not an object')
      yield record as RawRecord
    }
    offset += list.length
    const total = typeof answer.total === 'number' ? answer.total : undefined
    if (list.length < pageSize || total === NO_MORE || (total !== undefined && total >= 0 && offset >= total)) return
  }
}

export async function listRecords (transport: EspoTransport, entityType: string, params: ListParams = {}, signal?: AbortSignal): Promise<RawRecord[]> {
  const out: RawRecord[] = []
  for await (const record of iterateRecords(transport, entityType, params, signal)) out.push(record)
  return out
}
