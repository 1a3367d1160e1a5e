import { html, type Html } from '../html.js'
import { duration } from '../format.js'
import type { QueueOverview } from '../../store/types.js'
import { actionButton, akte, cutNote, empty, table, when } from '../parts.js'

/* The queue: failed (with Retry), delayed, processing (lease age, owner) and pending Akten. */

/** Rows per table; a big sweep can put thousands of Akten into pending. */
const MAX_ROWS = 200

function failed (queue: QueueOverview, now: number): Html {
  const rows = queue.failed.slice(0, MAX_ROWS).map(f => [
    akte(f.aktennummer), f.attempts, when(f.failedAt, now), f.error, actionButton('retry', f.aktennummer, 'Retry')
  ])
  return html`<h3 id="failed-heading">Failed (${queue.failed.length})</h3>
${rows.length === 0
  ? empty('No failed Akten.')
  : table('Failed Akten', [{ label: 'Aktennummer' }, { label: 'Attempts', cell: 'num' }, { label: 'Failed at', cell: 'num' }, { label: 'Error', cell: 'error' }, { label: 'Action' }], rows)}
${cutNote(rows.length, queue.failed.length)}`
}

function delayed (queue: QueueOverview, now: number): Html {
  const rows = queue.delayed.slice(0, MAX_ROWS).map(d => [
    akte(d.aktennummer), d.attempts, when(d.dueAt, now), d.lastError ?? html`<span class="muted">-</span>`, actionButton('retry', d.aktennummer, 'Retry now')
  ])
  return html`<h3>Waiting for a retry (${queue.delayed.length})</h3>
${rows.length === 0
  ? empty('No Akten are backing off.')
  : table('Akten waiting for a retry', [{ label: 'Aktennummer' }, { label: 'Attempts', cell: 'num' }, { label: 'Next attempt', cell: 'num' }, { label: 'Last error', cell: 'error' }, { label: 'Action' }], rows)}
${cutNote(rows.length, queue.delayed.length)}`
}

function processing (queue: QueueOverview, now: number, leaseMs: number): Html {
  const rows = queue.processing.slice(0, MAX_ROWS).map(p => [
    akte(p.aktennummer), p.owner, duration(Math.max(0, now - (p.leaseExpiresAt - leaseMs))), when(p.leaseExpiresAt, now)
  ])
  return html`<h3>Processing (${queue.processing.length})</h3>
${rows.length === 0
  ? empty('No Akte is being synced right now.')
  : table('Akten being synced', [{ label: 'Aktennummer' }, { label: 'Owner' }, { label: 'Lease age', cell: 'num' }, { label: 'Lease expires', cell: 'num' }], rows)}
${cutNote(rows.length, queue.processing.length)}`
}

function pending (queue: QueueOverview): Html {
  const shown = queue.pending.slice(0, MAX_ROWS)
  return html`<h3>Pending (${queue.pending.length})</h3>
${shown.length === 0
  ? empty('Nothing is waiting.')
  : html`<ul class="chips" aria-label="Pending Akten">${shown.map(nr => html`<li>${akte(nr)}</li>`)}</ul>`}
${cutNote(shown.length, queue.pending.length)}`
}

export function queueSection (queue: QueueOverview, now: number, leaseMs: number): Html {
  return html`<section id="queue" data-refresh aria-labelledby="queue-heading">
<h2 id="queue-heading">Queue</h2>
${failed(queue, now)}
${delayed(queue, now)}
${processing(queue, now, leaseMs)}
${pending(queue)}
</section>`
}
