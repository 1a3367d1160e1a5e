import { html, type Html } from '../html.js'
import type { BlockedAkte } from '../load.js'
import { actionButton, akte, badge, empty, table, when } from '../parts.js'
import type { QueueState } from './akten.js'

/*
 * Akten the mass-delete guard stopped. Their reason says what the sync would
 * have deleted; "Forced sync" runs them once past the guard, so it sits next
 * to the reason an admin must read first.
 */

function forceState (akte: BlockedAkte, state: QueueState | undefined, now: number): Html {
  if (akte.forceRequestedAt === null) return html`<span class="muted">-</span>`
  return html`${state === undefined ? null : html`${badge(state)} `}requested ${when(akte.forceRequestedAt, now)}`
}

export function blockedSection (blocked: readonly BlockedAkte[], states: ReadonlyMap<string, QueueState>, now: number): Html {
  const rows = blocked.map(b => [
    akte(b.aktennummer), b.reason ?? html`<span class="muted">no reason given</span>`, when(b.finishedAt, now),
    forceState(b, states.get(b.aktennummer), now), actionButton('force', b.aktennummer, 'Forced sync')
  ])
  return html`<section id="blocked" data-refresh aria-labelledby="blocked-heading">
<h2 id="blocked-heading">Blocked Akten (${blocked.length})</h2>
${rows.length === 0
  ? empty('No Akte is blocked by the mass-delete guard.')
  : table('Blocked Akten', [{ label: 'Aktennummer' }, { label: 'Reason', cell: 'reason' }, { label: 'Blocked at', cell: 'num' }, { label: 'Forced sync', cell: 'num' }, { label: 'Action' }], rows)}
</section>`
}
