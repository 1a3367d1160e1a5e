import pLimit from 'p-limit'
import type { VersionedEspoDocument } from '../clients/espocrm/index.js'
import type { AdvowareAkte, EspoAkte, HistoryEntry, WatcherListing } from '../domain/types.js'
import { blake3OfStream } from '../hash/blake3.js'
import type { Store } from '../store/types.js'
import { documentsNeedingHash } from './document-hash.js'
import type { SyncClients, SyncEspo } from './ports.js'
import { AKTE_STATE } from './state-keeper.js'
import type { AkteSyncState } from './types.js'

/*
 * Gather: everything one Akte's plan is made from. For an unchanged Akte of
 * 1,000 files that is 1 Akte record, 5 Document pages, the Advoware Akte and
 * its History and one Watcher listing, and no attachment download: only
 * attachments that changed since the base are hashed.
 */

export interface AkteInputs {
  advowareAkte: AdvowareAkte
  history: HistoryEntry[]
  /** Null when the Watcher answered 404: the Akte folder does not exist. */
  listing: WatcherListing | null
  documents: VersionedEspoDocument[]
  /** The store's mirror of the base; null on the first run. */
  state: AkteSyncState | null
}

export interface HashFailure {
  documentId: string
  fileId: string
  error: unknown
}

export interface DocumentHashes {
  hashes: Map<string, string>
  /** Attachments that could not be read: their Documents wait for the next run ('hash-missing'). */
  failures: HashFailure[]
  bytes: number
}

/** The EspoCRM Akte record; null when no Akte has this Aktennummer. */
export async function loadAkte (espocrm: SyncEspo, aktennummer: string): Promise<EspoAkte | null> {
  return await espocrm.findAkteByAktennummer(aktennummer)
}

/** The inputs besides the Akte record, fetched side by side. */
export async function gatherInputs (
  clients: SyncClients, store: Pick<Store, 'getState'>, akte: EspoAkte & { advowareAkteId: string }
): Promise<AkteInputs> {
  const [advowareAkte, history, listing, documents, state] = await Promise.all([
    clients.advoware.getAkte(akte.advowareAkteId),
    clients.advoware.listHistory(akte.advowareAkteId),
    clients.watcher.listFiles(akte.aktennummer),
    clients.espocrm.listDocumentsOfAkte(akte.id),
    store.getState<AkteSyncState>(AKTE_STATE, akte.aktennummer)
  ])
  return { advowareAkte, history, listing, documents, state: state ?? null }
}

export interface HashOptions {
  concurrency: number
  signal: AbortSignal
}

/** Hashes, streaming, the attachments `documentsNeedingHash` names, a few at a time. */
export async function hashDocuments (
  espocrm: SyncEspo, documents: readonly VersionedEspoDocument[], state: AkteSyncState | null, options: HashOptions
): Promise<DocumentHashes> {
  const limit = pLimit(Math.max(1, options.concurrency))
  const result: DocumentHashes = { hashes: new Map(), failures: [], bytes: 0 }
  await Promise.all(documentsNeedingHash(documents, state).map(async doc => {
    await limit(async () => {
      const fileId = doc.fileId
      if (fileId === null || options.signal.aborted) return
      try {
        const download = await espocrm.downloadAttachment(fileId, options.signal)
        const { hash, size } = await blake3OfStream(download.body)
        result.hashes.set(doc.id, hash)
        result.bytes += size
      } catch (error) {
        result.failures.push({ documentId: doc.id, fileId, error })
      }
    })
  }))
  return result
}
