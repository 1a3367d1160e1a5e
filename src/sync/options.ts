import { defaultConflictCopyName, type ConflictCopyNamer } from './conflict.js'

export interface SyncOptions {
  /** Globs ignored in addition to the defaults (`~$*`, `*.tmp`, `Thumbs.db`, `desktop.ini`). */
  ignorePatterns: readonly string[]
  /** Block when more than this share of the synced Documents would be soft-deleted ... */
  maxDeleteShare: number
  /** ... and at least this many. */
  minDeleteCount: number
  /** Skip the mass-delete guard (an admin's explicit decision). */
  force: boolean
  now: Date
  /** Folder names that mark the Akte folder inside absolute History paths; default: the Aktennummer and its `/`-free spellings. */
  akteFolderNames: readonly string[]
  /** Length of the Akte folder's full Windows path (no trailing separator); 0 when unknown. */
  akteFolderPathLength: number
  maxPathLength: number
  /** `art` of the History entries we create for files uploaded from EspoCRM. */
  historyArt: string
  /** Separator inside the `datei` we write to the History. */
  historyPathSeparator: '\\' | '/'
  conflictCopyName: ConflictCopyNamer
}

export type SyncOptionsInput = Partial<SyncOptions>

/** An Aktennummer may contain `/`; the Watcher decides the folder name, these are the likely spellings. */
export function defaultAkteFolderNames (aktennummer: string): string[] {
  const names = [aktennummer, aktennummer.replace(/[\\/]/gu, '-'), aktennummer.replace(/[\\/]/gu, '_')]
  return [...new Set(names.filter(name => name.trim() !== ''))]
}

export function resolveSyncOptions (input: SyncOptionsInput | undefined, aktennummer: string): SyncOptions {
  const given = input ?? {}
  return {
    ignorePatterns: given.ignorePatterns ?? [],
    maxDeleteShare: given.maxDeleteShare ?? 0.5,
    minDeleteCount: given.minDeleteCount ?? 3,
    force: given.force ?? false,
    now: given.now ?? new Date(),
    akteFolderNames: given.akteFolderNames ?? defaultAkteFolderNames(aktennummer),
    akteFolderPathLength: given.akteFolderPathLength ?? 0,
    maxPathLength: given.maxPathLength ?? 259,
    historyArt: given.historyArt ?? 'Dokument',
    historyPathSeparator: given.historyPathSeparator ?? '\\',
    conflictCopyName: given.conflictCopyName ?? defaultConflictCopyName
  }
}
