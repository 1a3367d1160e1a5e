import { html, type Html } from '../html.js'
import type { DashboardData } from '../load.js'
import { berlinTime } from '../format.js'

/* The numbers at the top, and when they were read. */

function card (label: string, n: number, tone: string): Html {
  return n > 0 && tone !== ''
    ? html`<li class="${tone}"><span class="n">${n}</span>${label}</li>`
    : html`<li><span class="n">${n}</span>${label}</li>`
}

export function summarySection (data: DashboardData): Html {
  const { queue } = data
  return html`<section id="summary" data-refresh aria-label="Summary">
<ul class="cards">
${card('pending', queue.pending.length, '')}
${card('processing', queue.processing.length, '')}
${card('waiting for a retry', queue.delayed.length, 'warn')}
${card('failed', queue.failed.length, 'bad')}
${card('blocked', data.blocked.length, 'hold')}
${card('Akten with a result', data.results.length, '')}
</ul>
<p class="note">Last refreshed <time id="refreshed-at" datetime="${new Date(data.now).toISOString()}">${berlinTime(data.now)}</time> (Europe/Berlin).</p>
</section>`
}
