import { html, type Html } from './html.js'
import type { DashboardData } from './load.js'
import { renderPage } from './page.js'
import { CLIENT_SCRIPT, REFRESH_MS } from './client-script.js'
import { summarySection } from './sections/summary.js'
import { queueSection } from './sections/queue.js'
import { blockedSection } from './sections/blocked.js'
import { aktenSection, queueStates } from './sections/akten.js'
import { recentSection } from './sections/recent.js'

/*
 * The status dashboard. The sections marked data-refresh are what the page
 * script re-fetches (GET /admin/sections) and swaps every few seconds; the
 * enqueue form and the status lines stay put, so typing or reading a message
 * is never interrupted.
 */

export interface DashboardPageOptions {
  nonce: string
  csrf: string
  leaseMs: number
}

interface Sections {
  summary: Html
  queue: Html
  blocked: Html
  akten: Html
  recent: Html
}

function sections (data: DashboardData, leaseMs: number): Sections {
  const states = queueStates(data.queue)
  return {
    summary: summarySection(data),
    queue: queueSection(data.queue, data.now, leaseMs),
    blocked: blockedSection(data.blocked, states, data.now),
    akten: aktenSection(data.results, states, data.now),
    recent: recentSection(data.recent, data.now)
  }
}

/** Only the refreshable sections, without head, style or script: what the page script polls. */
export function renderSections (data: DashboardData, leaseMs: number): string {
  const s = sections(data, leaseMs)
  return html`${s.summary}\n${s.queue}\n${s.blocked}\n${s.akten}\n${s.recent}\n`.value
}

export function renderDashboardPage (data: DashboardData, options: DashboardPageOptions): string {
  const s = sections(data, options.leaseMs)
  return renderPage({
    title: 'advoware-sync status',
    nonce: options.nonce,
    csrf: options.csrf,
    script: CLIENT_SCRIPT,
    body: html`<header class="top">
<h1>advoware-sync status</h1>
<p id="refresh-status" class="status muted" data-refresh-ms="${REFRESH_MS}">Refreshes every ${REFRESH_MS / 1000} s.</p>
<form method="post" action="logout" class="inline"><input type="hidden" name="csrf" value="${options.csrf}"><button type="submit" class="secondary">Log out</button></form>
</header>
<main>
<noscript><p class="alert">JavaScript is off: the page shows the state when it was loaded, and its buttons do nothing. Reload to refresh.</p></noscript>
<p id="action-status" class="status" role="status" aria-live="polite"></p>
${s.summary}
${s.queue}
${s.blocked}
<section id="enqueue" aria-labelledby="enqueue-heading">
<h2 id="enqueue-heading">Enqueue Akten</h2>
<form id="enqueue-form">
<label for="aktennummern">Aktennummern, one per line (or separated by commas)</label>
<textarea id="aktennummern" name="aktennummern" rows="3" required placeholder="12/2026"></textarea>
<p><button type="submit">Enqueue</button></p>
</form>
</section>
${s.akten}
${s.recent}
</main>`
  })
}
