import t from 'tap'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { readAttachmentJson } from '../../../src/simulators/espocrm/attachment-json.js'
import { DataUriDecoder } from '../../../src/simulators/espocrm/data-uri.js'
import { phpJsonEncode } from '../../../src/simulators/espocrm/php-json.js'
import { parseQueryString } from '../../../src/simulators/espocrm/querystring.js'

/** The EspoError status (and reason) a failing call ends with. */
async function failure (run: () => unknown): Promise<{ status?: number, reason?: string }> {
  try {
    await run()
  } catch (error) {
    return error as { status?: number, reason?: string }
  }
  return {}
}

t.test('phpJsonEncode matches PHP json_encode defaults', async t => {
  t.equal(phpJsonEncode({ a: 'x/y', b: 'Äöü ß', c: '€😀', d: 'tab\there\n"q"\\', e: '\u0001\u007f' }),
    '{"a":"x\\/y","b":"\\u00c4\\u00f6\\u00fc \\u00df","c":"\\u20ac\\ud83d\\ude00","d":"tab\\there\\n\\"q\\"\\\\","e":"\\u0001\u007f"}')
  t.equal(phpJsonEncode([1, 1.5, -0.25, 1e25, true, null, [], {}]), '[1,1.5,-0.25,1.0e+25,true,null,[],{}]')
  t.equal(phpJsonEncode({ skip: undefined, n: null }), '{"n":null}')
  t.same(JSON.parse(phpJsonEncode({ s: 'Müller/€😀' })), { s: 'Müller/€😀' })
})

t.test('parseQueryString handles PHP brackets', async t => {
  t.same(parseQueryString('maxSize=5&where[0][type]=in&where[0][attribute]=status&where[0][value][]=A&where[0][value][]=B+C'), {
    maxSize: '5', where: [{ type: 'in', attribute: 'status', value: ['A', 'B C'] }]
  })
  t.same(parseQueryString('where%5B0%5D%5Btype%5D=or&where[0][value][1][type]=x&where[0][value][0][type]=y'), {
    where: [{ type: 'or', value: [{ type: 'y' }, { type: 'x' }] }]
  })
  t.same(parseQueryString('a=%E2%82%AC&b=%zz&__proto__[x]=1&c'), { a: '€', b: '%zz', c: '' })
})

t.test('DataUriDecoder decodes across arbitrary splits', async t => {
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256))
  const text = `data:application/pdf;base64,${bytes.toString('base64')}`
  for (const step of [1, 3, 7, 64]) {
    const decoder = new DataUriDecoder()
    const out: Buffer[] = []
    for (let i = 0; i < text.length; i += step) out.push(decoder.push(text.slice(i, i + step)))
    out.push(decoder.end())
    t.same(Buffer.concat(out), bytes, `step ${step}`)
    t.equal(decoder.mime, 'application/pdf')
  }
  t.equal((await failure(() => new DataUriDecoder().end())).status, 400)
})

t.test('readAttachmentJson streams the file field and parses the rest, whatever the chunking', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'espo-unit-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 13) % 256))
  const json = JSON.stringify({ name: 'a "quoted" ü.pdf', nested: { file: 'not me', list: [1, '{'] }, file: `data:x/y;base64,${bytes.toString('base64')}`, size: 5 })
    .replace(/\//g, '\\/')
  for (const step of [1, 5, 100, 100_000]) {
    const chunks: Buffer[] = []
    const raw = Buffer.from(json)
    for (let i = 0; i < raw.length; i += step) chunks.push(raw.subarray(i, i + step))
    const filePath = join(dir, `f${step}`)
    const result = await readAttachmentJson(Readable.from(chunks), { filePath, bodyLimit: 1e6, maxFileSize: 1e6, tooBigReason: 'big' })
    t.same(result.fields, { name: 'a "quoted" ü.pdf', nested: { file: 'not me', list: [1, '{'] }, size: 5 }, `step ${step}`)
    t.same(result.file, { mime: 'x/y', size: 3000 })
    t.same(await readFile(filePath), bytes)
  }
  const filePath = join(dir, 'bad')
  const read = async (body: string, bodyLimit: number, maxFileSize: number): Promise<unknown> =>
    await readAttachmentJson(Readable.from([Buffer.from(body)]), { filePath, bodyLimit, maxFileSize, tooBigReason: 'big' })
  t.equal((await failure(async () => await read('[1,2]', 1e6, 1e6))).status, 400, 'not an object')
  t.match(await failure(async () => await read(json, 1e6, 100)), { status: 400, reason: 'big' }, 'file too big')
  t.equal((await failure(async () => await read(json, 100, 1e6))).status, 413, 'body too big')
})
