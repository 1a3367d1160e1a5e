import type { AdvowareSimulator } from '../simulators/advoware/index.js'
import type { EspoSimulator } from '../simulators/espocrm/index.js'
import type { WatcherSimulator } from '../simulators/watcher/index.js'
import type { SampleAkte, SampleHistory } from './akten.js'
import { SAMPLE_AKTEN } from './akten.js'

/** What was seeded, for the overview and for tests to check against. */
export interface SeededAkte {
  aktennummer: string
  name: string
  /** The CAkte record's id in EspoCRM. */
  espoId: string
  advowareAkteId: number
  /** The Akte's folder on the share (absolute). */
  folder: string
  historyEntries: number
  /** Share files linked from the History: each should become a Document. */
  linkedFiles: string[]
  /** Share files that must never sync, with the reason. */
  unlinkedFiles: Array<{ path: string, reason: string }>
  /** Documents only EspoCRM has: each should land on the share. */
  espoOnlyDocuments: Array<{ id: string, name: string, fileName: string }>
}

export interface SeedDescription {
  akten: SeededAkte[]
}

export interface SeedTargets {
  espo: EspoSimulator
  advoware: AdvowareSimulator
  watcher: WatcherSimulator
}

/** Datums are winter dates (CET, +01:00): good enough for a file's mtime to match its History entry. */
const berlinWinter = (datum: string): Date => new Date(`${datum}+01:00`)

const byDatum = (a: SampleHistory, b: SampleHistory): number => a.datum.localeCompare(b.datum)

async function seedAkte (targets: SeedTargets, akte: SampleAkte): Promise<SeededAkte> {
  const { espo, advoware, watcher } = targets
  // As a person in the UI would create it: with validation, and with webhooks had any been registered.
  const record = espo.create('CAkte', {
    name: akte.name,
    aktennummer: akte.aktennummer,
    advowareAkteId: String(akte.advowareAkteId),
    status: 'Aktiv'
  })

  const history = [
    ...akte.files.flatMap(f => (f.linkedBy === undefined ? [] : [f.linkedBy])),
    ...akte.notes.map(n => ({ ...n, datei: null }))
  ].sort(byDatum)
  advoware.seedAkte({ id: akte.advowareAkteId, aktennummer: akte.aktennummer, history })

  await watcher.createAkte(akte.aktennummer)
  for (const file of akte.files) {
    const mtime = file.linkedBy !== undefined ? berlinWinter(file.linkedBy.datum) : undefined
    await watcher.writeFile(akte.aktennummer, file.path, file.data, { mtime })
  }

  const espoOnlyDocuments: SeededAkte['espoOnlyDocuments'] = []
  for (const doc of akte.espoOnly) {
    const attachment = await espo.seedAttachment({ name: doc.fileName, type: doc.type, data: doc.data, role: 'Attachment', relatedType: 'Document', field: 'file' })
    const created = espo.create('Document', {
      name: doc.name,
      fileId: attachment.id,
      publishDate: doc.publishDate,
      description: doc.description,
      status: 'Active',
      akteId: record.id
    })
    espoOnlyDocuments.push({ id: String(created.id), name: doc.name, fileName: doc.fileName })
  }

  return {
    aktennummer: akte.aktennummer,
    name: akte.name,
    espoId: String(record.id),
    advowareAkteId: akte.advowareAkteId,
    folder: watcher.akteDir(akte.aktennummer),
    historyEntries: history.length,
    linkedFiles: akte.files.filter(f => f.linkedBy !== undefined).map(f => f.path),
    unlinkedFiles: akte.files.filter(f => f.linkedBy === undefined).map(f => ({ path: f.path, reason: f.notSynced ?? 'not linked from the History' })),
    espoOnlyDocuments
  }
}

/**
 * Seeds the same Akten consistently into EspoCRM (CAkte records and a
 * CRM-only Document), Advoware (Akten with History) and the share (files,
 * linked and not). Run it before the Watcher push is switched on: the
 * seeding is not news, the caller enqueues the Akten once.
 */
export async function seedSandbox (targets: SeedTargets, akten: readonly SampleAkte[] = SAMPLE_AKTEN): Promise<SeedDescription> {
  const seeded: SeededAkte[] = []
  for (const akte of akten) seeded.push(await seedAkte(targets, akte))
  return { akten: seeded }
}
