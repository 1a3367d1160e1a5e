/*
 * The dashboard's script, inlined (by CSP nonce) into the page: no framework,
 * no build step. Every REFRESH_MS it fetches the refreshable sections as
 * server-rendered HTML (GET /admin/sections) and swaps them in by id, so there
 * is one renderer (the server's, which escapes everything) instead of a second
 * one in the browser. The fragment has no <style>: parsing a page with
 * another response's nonce would be reported as a CSP violation. Buttons and the
 * enqueue form call the JSON admin API with the session cookie and the CSRF
 * token from the page's meta tag.
 *
 * Plain ES2017 in a string; keep it free of backticks and dollar-brace.
 */

export const REFRESH_MS = 5000

export const CLIENT_SCRIPT = `
(function () {
  'use strict'
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content')
  var refreshStatus = document.getElementById('refresh-status')
  var actionStatus = document.getElementById('action-status')
  var every = Number(refreshStatus.getAttribute('data-refresh-ms')) || 5000
  var timer = null
  var running = null
  var ended = false

  function say (message, kind) {
    actionStatus.textContent = message
    actionStatus.setAttribute('data-kind', kind)
  }

  function sessionEnded () {
    ended = true
    clearTimeout(timer)
    refreshStatus.textContent = 'Your session has ended. Reload the page to log in again.'
    refreshStatus.setAttribute('data-kind', 'error')
  }

  function focusKey (element) {
    if (!element || !element.getAttribute) return null
    var action = element.getAttribute('data-action')
    return action === null ? null : action + '\\n' + element.getAttribute('data-akte')
  }

  function swap (doc) {
    // Swapping a section drops focus from its buttons; give it back to the same button.
    var focused = focusKey(document.activeElement)
    doc.querySelectorAll('[data-refresh][id]').forEach(function (fresh) {
      var current = document.getElementById(fresh.id)
      if (current) current.replaceWith(document.importNode(fresh, true))
    })
    if (focused !== null) {
      document.querySelectorAll('button[data-action]').forEach(function (b) { if (focusKey(b) === focused) b.focus() })
    }
  }

  function schedule () {
    clearTimeout(timer)
    // A hidden tab does not poll; it refreshes when it is shown again.
    if (!ended && document.visibilityState !== 'hidden') timer = setTimeout(refresh, every)
  }

  function load () {
    return fetch('sections', { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/html' } }).then(function (res) {
      if (res.status === 401) return sessionEnded()
      if (!res.ok) throw new Error('the service answered ' + res.status)
      return res.text().then(function (text) {
        swap(new DOMParser().parseFromString(text, 'text/html'))
        refreshStatus.textContent = 'Refreshes every ' + every / 1000 + ' s.'
        refreshStatus.removeAttribute('data-kind')
      })
    }).catch(function (error) {
      refreshStatus.textContent = 'Refresh failed (' + error.message + '); trying again.'
      refreshStatus.setAttribute('data-kind', 'error')
    })
  }

  // One refresh at a time; a second request while one runs waits for it.
  function refresh () {
    if (ended) return Promise.resolve()
    if (running === null) running = load().then(function () { running = null; schedule() })
    return running
  }

  function post (url, body) {
    var headers = { accept: 'application/json', 'x-csrf-token': csrf }
    if (body !== undefined) headers['content-type'] = 'application/json'
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) {
        return res.json().catch(function () { return {} }).then(function (json) {
          if (res.status === 401) sessionEnded()
          return { ok: res.ok, json: json, status: res.status }
        })
      })
  }

  var DONE = { retry: ' is queued again.', force: ' is queued for a forced sync.' }

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button[data-action]') : null
    if (!button) return
    var action = button.getAttribute('data-action')
    var akte = button.getAttribute('data-akte')
    if (action === 'force' && !window.confirm('Sync Akte ' + akte + ' once past the mass-delete guard? Files may be deleted.')) return
    button.disabled = true
    say('Working on Akte ' + akte + '...', 'info')
    post('api/akten/' + encodeURIComponent(akte) + '/' + action).then(function (r) {
      say(r.ok ? 'Akte ' + akte + DONE[action] : 'Akte ' + akte + ': ' + (r.json.message || 'failed (' + r.status + ')'), r.ok ? 'ok' : 'error')
    }, function (error) {
      say('Akte ' + akte + ': ' + error.message, 'error')
    }).then(function () { button.disabled = false; return refresh() })
  })

  var form = document.getElementById('enqueue-form')
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    var field = form.elements.namedItem('aktennummern')
    var list = field.value.split(/[\\n,;]+/).map(function (s) { return s.trim() }).filter(function (s) { return s !== '' })
    if (list.length === 0) return say('Enter at least one Aktennummer.', 'error')
    post('api/akten', { aktennummern: list }).then(function (r) {
      if (!r.ok) return say(r.json.message || 'failed (' + r.status + ')', 'error')
      field.value = ''
      var already = list.length - r.json.enqueued
      say(r.json.enqueued + ' enqueued' + (already > 0 ? ', ' + already + ' already pending.' : '.'), 'ok')
    }, function (error) {
      say(error.message, 'error')
    }).then(refresh)
  })

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') refresh()
    else clearTimeout(timer)
  })
  schedule()
})()
`
