import { formatLocalIso } from '../simulators/watcher/index.js'
import type { SeedDescription } from './seed.js'

/**
 * The text `npm run sandbox` prints once everything runs: where each part
 * listens, what was seeded, and commands to paste into a shell to make a
 * change and watch it sync. Commands quote every path (umlauts, spaces).
 */
export interface OverviewInput {
  urls: { service: string, espocrm: string, espocrmOrigin: string, advoware: string, watcher: string }
  shareRoot: string
  ownsShare: boolean
  seed: SeedDescription
  storeKind: 'redis' | 'memory'
  engineWired: boolean
  routes: { admin: boolean, adminApi: boolean, watcherWebhook: boolean, espoWebhook: boolean }
  secrets: { espoApiKey: string, watcherToken: string, watcherPushToken: string, adminToken: string, personApiKey: string }
  /** Preferred ports that were taken, e.g. `service 3000`. */
  fellBack: string[]
  startupMs: number
  espoWebhookIntervalMs: number
}

const NOT_YET = 'not wired into the service yet'

/** Single-quoted for POSIX shells, whatever the text holds. */
export function shellQuote (text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

const json = (value: unknown): string => shellQuote(JSON.stringify(value))

function seededLines (seed: SeedDescription): string[] {
  const lines: string[] = []
  for (const akte of seed.akten) {
    lines.push(`  ${akte.aktennummer}  ${akte.name}  (EspoCRM CAkte ${akte.espoId}, Advoware Akte ${akte.advowareAkteId}, ${akte.historyEntries} History entries)`)
    lines.push(`    folder        ${akte.folder}`)
    lines.push(`    linked        ${akte.linkedFiles.join(', ')}`)
    for (const file of akte.unlinkedFiles) lines.push(`    not synced    ${file.path}: ${file.reason}`)
    for (const doc of akte.espoOnlyDocuments) lines.push(`    CRM only      ${doc.fileName} (Document ${doc.id}): goes to the share`)
  }
  return lines
}

function tryLines (input: OverviewInput): string[] {
  const { urls, secrets, seed } = input
  const first = seed.akten[0]
  const second = seed.akten[1] ?? first
  if (first === undefined || second === undefined) return []
  // A top-level file with an umlaut shows that names survive the trip.
  const changed = first.linkedFiles.find(p => !p.includes('/') && /[^\x20-\x7e]/.test(p)) ?? first.linkedFiles[0] ?? 'Vollmacht.pdf'
  // The draft next to its lock file: linking it is the everyday way a file joins an Akte.
  const unlinked = first.unlinkedFiles.find(f => /^[^~].*\.docx$/i.test(f.path))?.path ?? first.unlinkedFiles[0]?.path ?? 'Entwurf.docx'
  const now = formatLocalIso(Date.now()).slice(0, 19)
  const today = now.slice(0, 10)
  const json$ = "-H 'content-type: application/json'"
  // Notes go on the description line: a trailing comment would not paste into zsh.
  const note = (ok: boolean): string => (ok ? '' : ` (${NOT_YET})`)
  const b64 = Buffer.from('Zahlungserinnerung: bitte bis Monatsende überweisen.\n').toString('base64')
  const attachment = { name: 'Zahlungserinnerung.txt', type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: `data:text/plain;base64,${b64}` }
  return [
    `  1. Change a synced file on the share; the Watcher notices on a rescan and pushes to the service${note(input.routes.watcherWebhook)}:`,
    `     echo '% Nachtrag' >> ${shellQuote(`${first.folder}/${changed}`)}`,
    `     curl -s -X POST ${urls.watcher}/__sim/rescan ${json$} -d ${json({ akte: first.aktennummer })}`,
    '',
    `  2. Link a file from the Advoware History (only linked files sync), then nudge the service as the Watcher would${note(input.routes.watcherWebhook)}:`,
    `     curl -s -X POST ${urls.advoware}/__sim/akten/${first.advowareAkteId}/history ${json$} -d ${json({ datum: now, text: 'Entwurf Vergleich', art: 'Dokument', datei: unlinked })}`,
    `     curl -s -X POST ${urls.service}/webhooks/watcher -H 'Authorization: Bearer ${secrets.watcherPushToken}' ${json$} -d ${json({ akte: first.aktennummer })}`,
    '',
    `  3. Create a Document in EspoCRM as a person (EspoCRM's webhook reaches the service within ${Math.round(input.espoWebhookIntervalMs / 1000)} s)${note(input.routes.espoWebhook)}:`,
    `     ATT=$(curl -s -X POST ${urls.espocrm}Attachment -H 'X-Api-Key: ${secrets.personApiKey}' ${json$} -d ${json(attachment)} | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')`,
    `     curl -s -X POST ${urls.espocrm}Document -H 'X-Api-Key: ${secrets.personApiKey}' ${json$} -d '{"name":"Zahlungserinnerung","publishDate":"${today}","akteId":"${second.espoId}","fileId":"'"$ATT"'"}'`,
    '',
    `  4. See where things stand${input.routes.adminApi ? '' : ` (the admin API: ${NOT_YET})`}:`,
    `     curl -s -H 'X-Api-Key: ${secrets.espoApiKey}' '${urls.espocrm}Document?select=name,windowsPath,fileStatus,syncStatus'`,
    `     curl -s -H 'Authorization: Bearer ${secrets.watcherToken}' '${urls.watcher}/akte-details?akte=${encodeURIComponent(second.aktennummer)}'`,
    `     curl -s -H 'Authorization: Bearer ${secrets.adminToken}' ${urls.service}/admin/api/queue`
  ]
}

export function formatOverview (input: OverviewInput): string {
  const { urls, secrets } = input
  const sync = input.engineWired
    ? 'on: the seeded Akten are syncing now'
    : 'not wired into the service yet: Akten are queued, nothing syncs'
  const store = input.storeKind === 'memory' ? 'embedded (in memory, gone on exit)' : 'Redis (REDIS_URL)'
  const lines = [
    '',
    `advoware-sync sandbox is running (started in ${(input.startupMs / 1000).toFixed(1)} s)`,
    '',
    `  Service       ${urls.service}`,
    `    ready       ${urls.service}/health/ready`,
    `    metrics     ${urls.service}/metrics`,
    `    dashboard   ${urls.service}/admin/${input.routes.admin ? '' : `  (${NOT_YET})`}`,
    `    admin token ${secrets.adminToken}`,
    `    store       ${store}`,
    `    sync        ${sync}`,
    `  EspoCRM       ${urls.espocrm}  (X-Api-Key ${secrets.espoApiKey}; a person: ${secrets.personApiKey})`,
    `    records     ${urls.espocrmOrigin}/__sim/records/Document  (no auth; also /CAkte, /__sim/webhooks/log)`,
    `  Advoware      ${urls.advoware}  (state without a token: ${urls.advoware}/__sim/state)`,
    `  Watcher       ${urls.watcher}  (Bearer ${secrets.watcherToken}; pushes to ${urls.service}/webhooks/watcher)`,
    `  Share         ${input.shareRoot}  (${input.ownsShare ? 'a temp folder, removed on exit' : 'kept on exit'})`,
    ...(input.fellBack.length > 0 ? [`  Ports taken, free ones used instead: ${input.fellBack.join(', ')}`] : []),
    '',
    'Seeded:',
    ...seededLines(input.seed),
    '',
    'Try a change (paste into a shell):',
    ...tryLines(input),
    '',
    'Ctrl-C stops everything.',
    ''
  ]
  return lines.join('\n')
}
