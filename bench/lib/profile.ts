import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/*
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums the time of samples
 * taken inside hash-wasm: its JS wrapper and the WASM it calls. Only
 * hash-wasm is counted, not our Transform around it, because the Transform's
 * callback runs the downstream stages (the upload) inside its own frame.
 */

interface ProfileNode { id: number, callFrame: { functionName: string, url: string }, children?: number[] }
interface CpuProfile { nodes: ProfileNode[], samples: number[], timeDeltas: number[] }

export interface ProfileSplit { totalMs: number, matchedMs: number }

export async function profileShare (dir: string, match: (url: string) => boolean): Promise<ProfileSplit> {
  const files = (await readdir(dir)).filter(f => f.endsWith('.cpuprofile'))
  if (files.length !== 1) throw new Error(`expected one profile in ${dir}, found ${files.length}`)
  const profile = JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as CpuProfile
  const parent = new Map<number, number>()
  const byId = new Map<number, ProfileNode>()
  for (const node of profile.nodes) {
    byId.set(node.id, node)
    for (const child of node.children ?? []) parent.set(child, node.id)
  }
  const inside = new Map<number, boolean>()
  const isInside = (id: number): boolean => {
    const known = inside.get(id)
    if (known !== undefined) return known
    const node = byId.get(id)
    const up = parent.get(id)
    const result = (node !== undefined && match(node.callFrame.url)) || (up !== undefined && isInside(up))
    inside.set(id, result)
    return result
  }
  let total = 0
  let matched = 0
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0
    const node = byId.get(id)
    // Idle samples are the event loop waiting, not work.
    if (node?.callFrame.functionName === '(idle)') return
    total += delta
    if (isInside(id)) matched += delta
  })
  return { totalMs: total / 1000, matchedMs: matched / 1000 }
}
