import fc from 'fast-check'
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import type { Test } from 'tap'
import { chooseWindowsPath, fileKey, isValidWindowsPath } from '../../../src/sync/index.js'
import { NR, world } from '../../integration/helpers/sync-world.js'

/*
 * Document names (and windowsPaths) from EspoCRM are input from anyone with
 * a CRM login. Synced, they must never put a byte outside the Akte's folder,
 * and each must end either uploaded under a sanitised, Windows-valid name
 * or reported as permanently impossible, and not be tried again.
 */

const LONG = 'Schriftsatz vom 24.03.2026 in Sachen Müller '.repeat(7).slice(0, 300)

export const FIXED_HOSTILE_NAMES: readonly string[] = [
  '../../x.pdf', '..\\..\\x.pdf', 'C:\\Windows\\x.pdf', '/etc/passwd', '\\\\srv\\akten\\x.pdf', 'sub/../../../x.pdf',
  'CON.pdf', 'aux.txt', 'NUL', 'com1.docx', 'LPT9.pdf', 'con .pdf', 'Prn.tar.gz',
  'a\u0001b.pdf', 'nul\u0000byte.pdf', 'tab\there.pdf', 'line\nbreak.pdf', 'del\u007f.pdf',
  // Multibyte names stay within 255 UTF-8 bytes: see `fitsSimulatorDisk`.
  `${LONG}.pdf`, 'x'.repeat(300), `${'ä'.repeat(120)}.pdf`, `${'😀'.repeat(60)}.pdf`, 'lone \ud83d surrogate.pdf',
  '..', '.', ' ', '...', 'trailing dot.pdf.', 'trailing space.pdf ', ' leading.pdf',
  'x:stream.pdf', 'Klage.pdf::$DATA', '<>:"|?*.pdf', '\u202Efdp.exe', 'Mu\u0308ller.pdf', '%2e%2e%2fx.pdf',
  // Names the ignore patterns catch: never uploaded, so they must be reported.
  '~$Klage.docx', 'Thumbs.db', 'entwurf.tmp',
  // As windowsPaths: a file 'Akte' and a path that needs a folder 'Akte' (the Watcher answers 409).
  'Akte', 'Akte/Brief.pdf'
]

/** Random hostile names: path syntax, reserved stems, controls, odd Unicode, lengths. */
export const hostileNameArb: fc.Arbitrary<string> = fc.array(fc.oneof(
  fc.constantFrom('..', '.', '/', '\\', 'C:', '\\\\', ':', '*', '?', '"', '<', '>', '|', '\u0000', '\u001f', '\u202e', ' ', '.pdf', '.txt',
    'CON', 'aux', 'nul', 'COM1', 'lpt²', '$DATA', 'ä', 'a\u0308', '😀', '\ud800', '~$', '.tmp', 'Thumbs.db'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ minLength: 40, maxLength: 120 })
), { minLength: 1, maxLength: 8 }).map(parts => parts.join('')).filter(name => fitsSimulatorDisk(name))

/** As the simulated Watcher's path check computes it: `D:\\Advoware\\Akten\\` and the folder `2026_0042`. */
const LIMITS = { maxPathLength: 259, akteFolderPathLength: 'D:\\Advoware\\Akten\\2026_0042'.length }

/**
 * NTFS counts a name's 255 characters in UTF-16 units; the simulator's disk
 * (ext4) counts 255 bytes and answers 500 ENAMETOOLONG beyond, which a real
 * Watcher never would. Names whose sanitised form passes 255 bytes test the
 * simulator, not the service, and are left out.
 */
export function fitsSimulatorDisk (name: string): boolean {
  return [{ name }, { path: name }].every(candidate => {
    const chosen = chooseWindowsPath(candidate, new Set(), LIMITS)
    // Room for a ' (999)' collision suffix.
    return !chosen.ok || chosen.path.split('/').every(segment => Buffer.byteLength(segment) <= 255 - 8)
  })
}

/** Every file below `dir`, as paths relative to it. */
async function filesBelow (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter(e => e.isFile()).map(e => relative(dir, join(e.parentPath, e.name)))
}

export interface HostileOutcome {
  documents: number
  uploaded: number
  refused: number
}

export async function syncHostileNames (t: Test, names: readonly string[]): Promise<HostileOutcome> {
  // The share sits two levels down in a folder of its own: '../../x' from the Akte folder lands in it.
  const outer = await mkdtemp(join(tmpdir(), 'hostile-'))
  t.teardown(async () => { await rm(outer, { recursive: true, force: true }) })
  const shareRoot = join(outer, 'srv', 'share')
  await mkdir(shareRoot, { recursive: true })
  // The engine knows how long the Akte folder's Windows path is, as the service does from WATCHER_SHARE_PATH.
  const w = await world(t, { systems: { shareRoot }, sync: { akteFolderPathLength: LIMITS.akteFolderPathLength } })
  const { espo } = w.systems
  const ids = new Map<string, { label: string, via: string }>()
  for (const [i, name] of names.entries()) {
    const attachment = await espo.seedAttachment({ name: `Datei ${i}.pdf`, type: 'application/pdf', data: Buffer.from(`Inhalt ${i}`), relatedType: 'Document', field: 'file' })
    for (const [field, attrs] of [['name', { name }], ['windowsPath', { name: `Harmlos ${i}.pdf`, windowsPath: name }]] as const) {
      const row = { ...attrs, fileId: attachment.id, publishDate: '2026-03-21', akteId: w.akteId }
      let via = 'the API'
      let doc
      try {
        doc = espo.create('Document', row)
      } catch {
        // EspoCRM's own validation refuses it (e.g. over 255 characters); an import or a widened field would not.
        doc = espo.seed('Document', row)
        via = 'a raw row'
      }
      ids.set(String(doc.id), { label: name, via: `${field} via ${via}` })
    }
  }

  const first = await w.sync()
  const transient = first.errors.filter(e => !e.permanent).map(e => `${JSON.stringify(e.path)}: ${e.message}`)
  t.same(transient, [], 'no transient failure (nothing to retry forever)')
  t.not(first.status, 'failed', `the run ends (${first.status}: ${first.reason ?? 'ok'})`)
  const akteDir = w.systems.watcher.akteDir(NR)
  const outside = (await filesBelow(outer)).filter(path => !join(outer, path).startsWith(akteDir + sep))
  t.same(outside, [], 'no file outside the Akte folder')

  const outcome: HostileOutcome = { documents: ids.size, uploaded: 0, refused: 0 }
  const problems: string[] = []
  const refused: string[] = []
  for (const doc of w.documents()) {
    const id = String(doc.id)
    const known = ids.get(id)
    if (known === undefined) continue
    const path = typeof doc.windowsPath === 'string' && doc.fileStatus === 'synced' ? doc.windowsPath : null
    if (path !== null) {
      outcome.uploaded++
      const bytes = await w.systems.watcher.readFile(NR, path)
      if (!isValidWindowsPath(path, LIMITS) || path.split('/').includes('..')) problems.push(`${JSON.stringify(known.label)} (${known.via}) uploaded as invalid ${JSON.stringify(path)}`)
      else if (bytes === undefined) problems.push(`${JSON.stringify(known.label)} (${known.via}): ${JSON.stringify(path)} is not on the share`)
      continue
    }
    const label = typeof doc.windowsPath === 'string' && doc.windowsPath.trim() !== '' ? doc.windowsPath : String(doc.name)
    const reported = first.errors.some(e => e.permanent && (e.path === label || fileKey(e.path) === fileKey(label)))
    if (reported) {
      outcome.refused++
      refused.push(`${JSON.stringify(known.label).slice(0, 40)} (${known.via})`)
    }
    else problems.push(`${JSON.stringify(known.label)} (${known.via}): neither uploaded nor reported (${String(doc.fileStatus)})`)
  }
  t.same(problems, [], `each of ${ids.size} hostile Documents is uploaded under a valid name or reported as refused`)
  t.comment(`${outcome.uploaded} uploaded under sanitised names, ${outcome.refused} reported as impossible: ${refused.join(', ')}`)

  // Refused once is refused for good: the next run neither uploads nor writes anything but the Akte record.
  w.resetRequests()
  const second = await w.sync()
  t.not(second.status, 'failed', `second run ends ${second.status}`)
  t.same(w.writes(), [`PUT /api/v1/CAkte/${w.akteId}`], 'the second run tries no transfer again')
  const after = (await filesBelow(outer)).filter(path => !join(outer, path).startsWith(akteDir + sep))
  t.same(after, [], 'still nothing outside the Akte folder')
  return outcome
}
