import type { FastifyBaseLogger } from 'fastify'
import { formatEspoDateTime, parseEspoDateTime, type EspoClient } from '../clients/espocrm/index.js'
import type { Store } from '../store/types.js'
import type { WebhookInbox } from '../webhooks/inbox.js'

export const SWEEP_STATE = 'sweep'
const CURSOR_ID = 'espocrm-documents'

/** EspoCRM keeps whole seconds and `after` is strict: re-read a little of the last window. */
const OVERLAP_MS = 2_000

interface SweepCursor {
  since: string
  /** Documents already seen inside the overlap window, with the modifiedAt seen. */
  seen: Record<string, string>
}

/**
 * Webhooks are hints: EspoCRM delivers every 2 minutes, may reorder and may
 * drop. The sweep asks for Documents modified since the last sweep and sends
 * their Akten through the same inbox the webhooks use.
 */
export class EspoSweep {
  constructor (
    private readonly store: Store,
    private readonly espo: () => EspoClient | undefined,
    private readonly inbox: WebhookInbox,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now
  ) {}

  /** Returns how many changed Documents were found; the cursor only moves after the inbox has them. */
  async run (): Promise<number> {
    const espo = this.espo()
    if (espo === undefined) return 0
    const cursor = await this.store.getState<SweepCursor>(SWEEP_STATE, CURSOR_ID)
    // The first sweep covers the last hour: enough for a short outage of the service.
    const since = cursor === undefined ? new Date(this.now() - 3_600_000) : new Date(parseEspoDateTime(cursor.since).getTime() - OVERLAP_MS)
    const seen = cursor?.seen ?? {}
    const changed = (await espo.listDocumentsModifiedSince(since)).filter(d => d.modifiedAt === null || seen[d.id] !== d.modifiedAt)
    const akteIds = [...new Set(changed.map(d => d.akteId).filter((id): id is string => id !== null))]
    await this.inbox.add(akteIds.map(akteId => ({ kind: 'akte-id' as const, akteId })))
    await this.store.setState(SWEEP_STATE, CURSOR_ID, nextCursor(cursor, since, changed))
    if (akteIds.length > 0) this.log.info({ documents: changed.length, akten: akteIds.length }, 'EspoCRM sweep found changes')
    return changed.length
  }
}

/** EspoCRM's own timestamps move the cursor, so a clock difference between us and it loses nothing. */
function nextCursor (cursor: SweepCursor | undefined, since: Date, changed: Array<{ id: string, modifiedAt: string | null }>): SweepCursor {
  const newest = changed.map(d => d.modifiedAt).filter((m): m is string => m !== null).sort().at(-1)
  if (newest === undefined) return cursor ?? { since: formatEspoDateTime(since), seen: {} }
  const windowStart = formatEspoDateTime(new Date(parseEspoDateTime(newest).getTime() - OVERLAP_MS))
  const seen: Record<string, string> = {}
  for (const [id, at] of Object.entries(cursor?.seen ?? {})) if (at >= windowStart) seen[id] = at
  for (const d of changed) if (d.modifiedAt !== null && d.modifiedAt >= windowStart) seen[d.id] = d.modifiedAt
  return { since: newest, seen }
}
