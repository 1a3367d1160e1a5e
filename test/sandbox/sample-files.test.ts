import t from 'tap'
import { formatLogLine } from '../../src/sandbox/log-stream.js'
import { officeLockFile, sampleDocx, samplePdf } from '../../src/sandbox/sample-files.js'

t.test('samplePdf: a PDF whose xref points at its objects', async t => {
  const pdf = samplePdf('Klageerwiderung', ['Müller ./. Schröder (Entwurf)'])
  const text = pdf.toString('latin1')
  t.ok(text.startsWith('%PDF-1.4\n'))
  t.ok(text.endsWith('%%EOF\n'))
  const startxref = Number(/startxref\n(\d+)\n/.exec(text)?.[1])
  t.equal(text.slice(startxref, startxref + 4), 'xref')
  const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map(m => Number(m[1]))
  t.equal(offsets.length, 5)
  offsets.forEach((offset, i) => { t.equal(text.slice(offset, offset + `${i + 1} 0 obj`.length), `${i + 1} 0 obj`) })
  t.ok(pdf.includes(Buffer.from('M\xfcller ./. Schr\xf6der \\(Entwurf\\)', 'latin1')), 'umlauts in WinAnsi, parentheses escaped')
  const length = Number(/\/Length (\d+)/.exec(text)?.[1])
  const stream = /stream\n([\s\S]*?)\nendstream/.exec(text)?.[1] ?? ''
  t.equal(Buffer.byteLength(stream, 'latin1'), length, 'the stream length is right')
})

t.test('sampleDocx: a zip with the three parts a Word document needs', async t => {
  const docx = sampleDocx(['Entwurf', 'Vergleich & Einigung'])
  t.equal(docx.readUInt32LE(0), 0x04034b50, 'a local file header first')
  const end = docx.length - 22
  t.equal(docx.readUInt32LE(end), 0x06054b50, 'the end of central directory last')
  t.equal(docx.readUInt16LE(end + 10), 3)
  const directory = docx.readUInt32LE(end + 16)
  t.equal(docx.readUInt32LE(directory), 0x02014b50)
  const text = docx.toString('utf8')
  for (const part of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml']) t.ok(text.includes(part), part)
  t.ok(text.includes('Vergleich &amp; Einigung'), 'text is XML-escaped')
})

t.test('officeLockFile: 162 bytes with the owner in ANSI and UTF-16', async t => {
  const lock = officeLockFile('M. Weber')
  t.equal(lock.length, 162)
  t.equal(lock.readUInt8(0), 8)
  t.equal(lock.toString('latin1', 1, 9), 'M. Weber')
  t.equal(lock.toString('utf16le', 56, 72), 'M. Weber')
})

t.test('formatLogLine: pino JSON as one readable line', async t => {
  const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 2, 24, 9, 15, 2), pid: 1, hostname: 'h', msg: 'watcher push refused', akte: '12345', reqId: 'req-1', req: { method: 'POST', url: '/webhooks/watcher' } })
  t.match(formatLogLine(line), /^\d{2}:\d{2}:\d{2} WARN {2}watcher push refused POST \/webhooks\/watcher akte=12345$/)
  t.match(formatLogLine(JSON.stringify({ level: 50, msg: 'sync failed', err: { message: 'EspoCRM 503' } })), /ERROR sync failed error="EspoCRM 503"/)
  t.equal(formatLogLine('not json'), 'not json')
})
