import type { EspoDocument } from '../domain/types.js'
import { expectNoWindowsFile, findFailure, link, skipAction, uploadToWindows } from './build-actions.js'
import type { Detection } from './detect.js'
import type { SyncOptions } from './options.js'
import { extensionOf, fileKey } from './paths.js'
import type { Action, FileCase } from './types.js'
import { chooseWindowsPath, type WindowsNameCandidate } from './windows-name.js'

/*
 * Documents new in EspoCRM go to the share under a Windows-valid name that
 * collides with nothing there and with no other upload of this plan. Names are
 * chosen in a fixed order (Documents naming their own path first, then by
 * creation), so the same input always yields the same paths.
 */

/** The file name a Document without windowsPath gets: its name, with the attachment's extension if the name lacks it. */
export function uploadFileName (doc: EspoDocument): string {
  const name = doc.name.trim() !== '' ? doc.name.trim() : (doc.fileName ?? '')
  const extension = extensionOf(doc.fileName ?? '')
  return extension !== '' && !name.toLowerCase().endsWith(extension.toLowerCase()) ? `${name}${extension}` : name
}

interface Upload {
  doc: EspoDocument
  hash: string | null
  /** The key the Document names through its windowsPath, if any. */
  ownKey: string | null
  /** Its case, when it owns the key (the History entry there, an unlinked file lying there). */
  fileCase: FileCase | null
}

export function planNewUploads (claimants: readonly FileCase[], detection: Detection, options: SyncOptions): Action[] {
  const { listingKeys, unlinkedFiles, state } = detection
  const caseKeys = new Set(detection.cases.map(c => c.key))
  const taken = new Set([...listingKeys, ...caseKeys])
  const limits = { maxPathLength: options.maxPathLength, akteFolderPathLength: options.akteFolderPathLength }
  const uploads: Upload[] = [
    ...claimants.flatMap(c => (c.document === null ? [] : [{ doc: c.document, hash: c.documentHash, ownKey: c.key, fileCase: c }])),
    ...detection.newDocuments.map(n => ({ doc: n.document, hash: n.hash, ownKey: n.claimedKey, fileCase: null }))
  ]

  const adopted = new Set<string>()
  const actions: Action[] = []
  for (const { doc, hash, ownKey, fileCase } of uploads) {
    const label = doc.windowsPath ?? doc.name
    if (hash === null) {
      actions.push(skipAction(ownKey ?? '', label, 'hash-missing', `hash of Document ${doc.id} not computed`))
      continue
    }
    const candidate: WindowsNameCandidate = doc.windowsPath !== null && doc.windowsPath.trim() !== ''
      ? { path: doc.windowsPath }
      : { name: uploadFileName(doc) }
    // An unlinked file with this very content is adopted (an earlier run uploaded it and stopped
    // before the History entry): linking it beats a second copy beside it.
    const identical = (key: string): boolean =>
      unlinkedFiles.get(key)?.blake3Hash === hash && (!caseKeys.has(key) || key === fileCase?.key)
    const isFree = (key: string): boolean =>
      !taken.has(key) || (key === fileCase?.key && !listingKeys.has(key)) || (identical(key) && !adopted.has(key))
    const chosen = chooseWindowsPath(candidate, taken, limits, isFree)
    if (!chosen.ok) {
      actions.push(skipAction(ownKey ?? '', label, 'invalid-name', `no Windows name possible: ${chosen.reason} (permanent)`))
      continue
    }
    const key = fileKey(chosen.path)
    taken.add(key)
    const unlinked = unlinkedFiles.get(key)
    if (unlinked !== undefined && identical(key)) {
      adopted.add(key)
      actions.push(link(key, unlinked, doc, hash, null, options, 'same content already on the share, not linked yet: linked'))
      continue
    }
    if (detection.isIgnored(chosen.path)) {
      actions.push(skipAction(key, chosen.path, 'ignored', 'the name matches an ignore pattern: it would never sync back'))
      continue
    }
    const failure = findFailure(state.failures, 'espo', key, doc.id, hash)
    if (failure !== undefined) {
      actions.push(skipAction(key, chosen.path, 'permanent-failure', `refused before for the same content: ${failure.reason}`))
      continue
    }
    const history = fileCase !== null && key === fileCase.key ? fileCase.history : null
    const restored = fileCase !== null && fileCase.base !== null
    actions.push(uploadToWindows({
      path: chosen.path,
      windows: expectNoWindowsFile(chosen.path),
      history,
      createHistory: history === null,
      // A Document without base owns no store entry: nothing to drop at another key.
      previousKey: null
    }, doc, hash, options, restored ? 'changed in EspoCRM after its file was deleted: restored' : 'new in EspoCRM'))
  }
  return actions
}
