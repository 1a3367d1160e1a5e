import type { Store } from '../store/types.js'
import { AKTE_BY_ID, AKTE_OF_DOCUMENT } from '../webhooks/inbox.js'

/*
 * The webhook resolver maps an EspoCRM Akte id or Document id to its
 * Aktennummer from the store before it asks EspoCRM. The sync keeps those
 * entries current. A memo per Akte of the Document ids indexed last time
 * means an unchanged Akte costs one read and no write.
 */

export const DOCUMENT_INDEX_MEMO = 'akte-document-index'

interface IndexMemo {
  akteId: string
  documentIds: string[]
}

export interface IndexUpdate {
  aktennummer: string
  akteId: string
  /** Every Document of the Akte now (listed ones and those the run created). */
  documentIds: Iterable<string>
}

/** Returns the number of entries written or deleted. */
export async function updateWebhookIndexes (store: Store, update: IndexUpdate): Promise<number> {
  const { aktennummer, akteId } = update
  const current = new Set(update.documentIds)
  const memo = await store.getState<IndexMemo>(DOCUMENT_INDEX_MEMO, aktennummer)
  let writes = 0
  const setIfChanged = async (namespace: string, id: string): Promise<void> => {
    if (await store.getState<string>(namespace, id) === aktennummer) return
    await store.setState(namespace, id, aktennummer)
    writes++
  }

  if (memo?.akteId !== akteId) await setIfChanged(AKTE_BY_ID, akteId)
  const known = new Set(memo?.akteId === akteId ? memo.documentIds : [])
  for (const id of current) {
    if (!known.has(id)) await setIfChanged(AKTE_OF_DOCUMENT, id)
  }
  for (const id of known) {
    if (current.has(id)) continue
    // A Document moved to another Akte belongs to that Akte's entry now.
    if (await store.getState<string>(AKTE_OF_DOCUMENT, id) !== aktennummer) continue
    await store.deleteState(AKTE_OF_DOCUMENT, id)
    writes++
  }
  const changed = memo?.akteId !== akteId || known.size !== current.size || [...current].some(id => !known.has(id))
  if (changed) await store.setState(DOCUMENT_INDEX_MEMO, aktennummer, { akteId, documentIds: [...current].sort() } satisfies IndexMemo)
  return writes
}
