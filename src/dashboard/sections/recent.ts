import { html, type Html } from '../html.js'
import { bytes } from '../format.js'
import type { RecentAction } from '../recent-actions.js'
import { akte, empty, table, when } from '../parts.js'

/* What the sync did lately, across the most recently synced Akten. */

/** Badge colours of the engine's outcomes; its words are shown as they are. */
const OUTCOME_TONES: Record<string, string> = { done: 's-synced', failed: 's-failed', aborted: 's-failed', precondition: 's-partial' }

function action (a: RecentAction): Html | string {
  if (a.kind === '') return '-'
  return html`<code>${a.kind}</code>${a.direction === '' || a.direction === 'none' ? null : html`<br><span class="muted">${a.direction}</span>`}`
}

function outcome (a: RecentAction): Html | string {
  if (a.outcome === '') return '-'
  return html`<span class="badge ${OUTCOME_TONES[a.outcome] ?? 's-other'}">${a.outcome}</span>`
}

export function recentSection (recent: readonly RecentAction[], now: number): Html {
  const rows = recent.map(a => [
    when(a.at, now), akte(a.aktennummer), action(a), a.path === '' ? '-' : html`<code>${a.path}</code>`,
    outcome(a), a.bytes === null || a.bytes === 0 ? '-' : bytes(a.bytes), a.detail
  ])
  return html`<section id="recent" data-refresh aria-labelledby="recent-heading">
<h2 id="recent-heading">Recent actions</h2>
${rows.length === 0
  ? empty('No actions recorded yet.')
  : table('Recent actions, newest first', [
    { label: 'When', cell: 'num' }, { label: 'Aktennummer' }, { label: 'Action' }, { label: 'File', cell: 'error' },
    { label: 'Outcome' }, { label: 'Size', cell: 'num' }, { label: 'Detail', cell: 'error' }
  ], rows)}
</section>`
}
