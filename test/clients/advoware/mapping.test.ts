import t from 'tap'
import { akteFromWire, createdHistoryEntryFromWire, DEFAULT_FIELDS, historyFromWire, newHistoryEntryToWire } from '../../../src/clients/advoware/mapping.js'
import { endpointsFromDiscovery } from '../../../src/clients/advoware/discovery.js'
import { tokenSignature } from '../../../src/clients/advoware/signature.js'
import { createHmac } from 'node:crypto'

t.test('Akte: ablage 0/1 to archived', async t => {
  t.same(akteFromWire({ id: 4711, aktennummer: '12345', ablage: 0, ablagedatum: null }, DEFAULT_FIELDS), { id: '4711', aktennummer: '12345', archived: false, archivedAt: null })
  t.same(akteFromWire({ id: '4711', aktennummer: 12345, ablage: 1, ablagedatum: '2026-01-31T00:00:00' }, DEFAULT_FIELDS), { id: '4711', aktennummer: '12345', archived: true, archivedAt: '2026-01-31T00:00:00' })
  t.throws(() => akteFromWire({ id: 1, aktennummer: 'x', ablage: 2 }, DEFAULT_FIELDS), { name: 'ExternalError', kind: 'protocol' })
  t.throws(() => akteFromWire({ aktennummer: 'x', ablage: 0 }, DEFAULT_FIELDS), { name: 'ExternalError', kind: 'protocol' })
  t.throws(() => akteFromWire([], DEFAULT_FIELDS), { name: 'ExternalError', kind: 'protocol' })
})

t.test('History: ids to strings, missing or empty datei to null', async t => {
  t.same(historyFromWire([
    { id: 17, datum: '2026-03-24T10:15:00', text: 'Klage', art: 'Schriftsatz', datei: 'D:\\Advoware\\Akten\\12345\\Klage.pdf' },
    { id: 18, datum: '2026-03-25T10:15:00', text: 'Anruf', art: 'Notiz' },
    { id: 19, datum: '2026-03-25T10:15:00', text: null, art: 'Notiz', datei: '' }
  ], DEFAULT_FIELDS), [
    { id: '17', datum: '2026-03-24T10:15:00', text: 'Klage', art: 'Schriftsatz', datei: 'D:\\Advoware\\Akten\\12345\\Klage.pdf' },
    { id: '18', datum: '2026-03-25T10:15:00', text: 'Anruf', art: 'Notiz', datei: null },
    { id: '19', datum: '2026-03-25T10:15:00', text: '', art: 'Notiz', datei: null }
  ])
  t.throws(() => historyFromWire({ items: [] }, DEFAULT_FIELDS), { name: 'ExternalError', kind: 'protocol' })
})

t.test('field names are configurable', async t => {
  const fields = { ...DEFAULT_FIELDS, datei: 'dateiname', ablage: 'abgelegt' }
  t.same(newHistoryEntryToWire({ datum: 'd', text: 't', art: 'a', datei: 'f' }, fields), { datum: 'd', text: 't', art: 'a', dateiname: 'f' })
  t.equal(akteFromWire({ id: 1, aktennummer: 'x', abgelegt: 1 }, fields).archived, true)
})

t.test('created entry: fields missing from the answer come from what was sent', async t => {
  const sent = { datum: '2026-03-24T10:15:00', text: 't', art: 'a', datei: 'f.pdf' }
  t.same(createdHistoryEntryFromWire({ id: 5 }, sent, DEFAULT_FIELDS), { id: '5', ...sent })
  t.throws(() => createdHistoryEntryFromWire({}, sent, DEFAULT_FIELDS), { name: 'ExternalError', kind: 'protocol' })
})

t.test('discovery answer parsing', async t => {
  t.same(endpointsFromDiscovery({ relayUrl: 'https://r:1/', connectorUrl: 'https://c:2', securityGateway: 'https://g:3/' }), { apiBase: 'https://c:2/', securityGateway: 'https://g:3/' })
  t.same(endpointsFromDiscovery({ relayUrl: 'https://r:1/', connectorUrl: null, securityGateway: 'https://g:3/' }).apiBase, 'https://r:1/')
  t.throws(() => endpointsFromDiscovery({ relayUrl: 'https://r:1/', connectorUrl: 'ftp://x/', securityGateway: 'https://g/' }), { name: 'ExternalError', kind: 'protocol' })
  t.throws(() => endpointsFromDiscovery({ relayUrl: 'https://r:1/' }), { name: 'ExternalError', kind: 'protocol' })
  t.throws(() => endpointsFromDiscovery('x'), { name: 'ExternalError', kind: 'protocol' })
})

t.test('signature matches an independent computation', async t => {
  const key = Buffer.from('k3y')
  t.equal(tokenSignature(key, 64, 'app', 'n-1', '2026-03-24T10:15:00.000Z'),
    createHmac('sha512', key).update('64:app:n-1:2026-03-24T10:15:00.000Z').digest('base64'))
})
