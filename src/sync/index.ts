/*
 * The sync engine's pure core: detect what changed on each side since the
 * base, reconcile into a plan of actions, guard against mass deletion.
 */
export { planAkte, type PlanInput } from './plan.js'
export { detect, type Detection, type DetectInput } from './detect.js'
export { reconcile, orderActions } from './reconcile.js'
export { massDeleteReason, type GuardInput } from './guard.js'
export { documentsNeedingHash, currentDocumentHash } from './document-hash.js'
export { formatPlan, formatBytes, type FormatPlanOptions } from './plan-format.js'
export { applyBaseChange, completeBaseEntry, emptySyncState, recordFailure, type BaseResult } from './sync-state.js'
export { isWriteAction, writeTargets, countActions, type WriteTarget } from './plan-counts.js'
export { resolveSyncOptions, defaultAkteFolderNames, type SyncOptions, type SyncOptionsInput } from './options.js'
export { fileKey, normalisePath, historyDateiToRelativePath } from './paths.js'
export { DEFAULT_IGNORE_PATTERNS, compileIgnore, type IgnoreMatcher } from './ignore.js'
export { chooseWindowsPath, sanitiseSegment, isValidWindowsPath, type WindowsPathLimits, type WindowsPathResult } from './windows-name.js'
export { conflictWinner, conflictCopyName, defaultConflictCopyName, type ConflictCopyNamer } from './conflict.js'
export { sameUsn } from './usn.js'
export { applyPlanToModel, modelDocumentHashes, type Interruption, type SyncModel, type SimulationResult } from './simulate.js'
export type * from './types.js'
