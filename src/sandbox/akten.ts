import { officeLockFile, sampleDocx, samplePdf } from './sample-files.js'

/**
 * The sandbox's Akten: what a small firm's share, CRM and Advoware look like
 * on an ordinary day. Each case the sync must get right appears at least
 * once: umlauts, a subfolder, an Aktennummer with '/', History links that are
 * relative (with '\'), absolute (drive and UNC) or missing, files nobody
 * linked, Office and Explorer litter, and a Document only EspoCRM has.
 */

export interface SampleHistory {
  /** Firm-local time without zone, as Advoware sends it. */
  datum: string
  text: string
  art: string
}

export interface SampleFile {
  /** Path below the Akte folder, '/'-separated. */
  path: string
  data: Buffer
  /** The History entry linking it, with `datei` as Advoware writes it. Absent: not linked. */
  linkedBy?: SampleHistory & { datei: string }
  /** Why an unlinked file must stay where it is (shown in the overview). */
  notSynced?: string
}

export interface SampleDocument {
  name: string
  fileName: string
  type: string
  data: Buffer
  publishDate: string
  description: string
}

export interface SampleAkte {
  aktennummer: string
  name: string
  advowareAkteId: number
  files: SampleFile[]
  /** History entries that link no file (calls, notes). */
  notes: SampleHistory[]
  /** Documents that exist only in EspoCRM: the sync uploads them to the share. */
  espoOnly: SampleDocument[]
}

const pdf = (title: string, ...lines: string[]): Buffer => samplePdf(title, lines)

export const SAMPLE_AKTEN: readonly SampleAkte[] = [
  {
    aktennummer: '12345',
    name: 'Müller ./. Schröder',
    advowareAkteId: 4711,
    files: [
      {
        path: 'Vollmacht.pdf',
        data: pdf('Vollmacht', 'Hiermit wird Rechtsanwältin Weber in Sachen Müller ./. Schröder bevollmächtigt.'),
        linkedBy: { datum: '2026-01-12T09:30:00', text: 'Vollmacht erteilt', art: 'Dokument', datei: 'Vollmacht.pdf' }
      },
      {
        path: 'Schriftsatz/Klageschrift.pdf',
        data: pdf('Klageschrift', 'Amtsgericht Köln', 'In dem Rechtsstreit Müller ./. Schröder erheben wir Klage.'),
        // Advoware often stores the full Windows path; only the part below the Akte folder counts.
        linkedBy: { datum: '2026-02-03T10:15:00', text: 'Klageschrift eingereicht', art: 'Schriftsatz', datei: 'D:\\Advoware\\Akten\\12345\\Schriftsatz\\Klageschrift.pdf' }
      },
      {
        path: 'Klageerwiderung Müller.pdf',
        data: pdf('Klageerwiderung', 'Die Beklagte beantragt, die Klage abzuweisen.'),
        linkedBy: { datum: '2026-03-02T16:40:00', text: 'Klageerwiderung der Gegenseite eingegangen', art: 'Eingang', datei: 'Klageerwiderung Müller.pdf' }
      },
      {
        path: 'Schriftsatz/Replik.pdf',
        data: pdf('Replik', 'Wir nehmen Stellung zur Klageerwiderung vom 02.03.2026.'),
        linkedBy: { datum: '2026-03-10T11:00:00', text: 'Replik verschickt', art: 'Schriftsatz', datei: 'Schriftsatz\\Replik.pdf' }
      },
      { path: 'Notizen intern.txt', data: Buffer.from('Nur für uns: Mandant ist vergleichsbereit bis 8.000 EUR.\r\n'), notSynced: 'not linked from the History' },
      { path: 'Entwurf.docx', data: sampleDocx(['Entwurf Vergleich', 'Die Parteien einigen sich wie folgt: ...']), notSynced: 'not linked from the History (yet: try change 2)' },
      { path: '~$Entwurf.docx', data: officeLockFile('M. Weber'), notSynced: 'Office lock file, always ignored' }
    ],
    notes: [
      { datum: '2026-01-20T14:05:00', text: 'Telefonat mit Mandant: Vergleichsbereitschaft besprochen', art: 'Notiz' }
    ],
    espoOnly: [
      {
        name: 'Vergleichsvorschlag',
        fileName: 'Vergleichsvorschlag.pdf',
        type: 'application/pdf',
        data: pdf('Vergleichsvorschlag', 'Entwurf, im CRM erstellt.'),
        publishDate: '2026-03-18',
        description: 'Vergleichsvorschlag an die Gegenseite (nur im CRM angelegt)'
      }
    ]
  },
  {
    aktennummer: '2026/0815',
    name: 'Bäckerei Weiß GmbH',
    advowareAkteId: 4712,
    files: [
      {
        path: 'Rechnung 2026-031.pdf',
        data: pdf('Rechnung Nr. 2026-031', 'Bäckerei Weiß GmbH, Lieferungen Januar 2026: 1.240,00 EUR'),
        linkedBy: { datum: '2026-02-17T09:10:00', text: 'Offene Rechnung vom Mandanten erhalten', art: 'Eingang', datei: 'Rechnung 2026-031.pdf' }
      },
      {
        path: 'Mahnbescheid.pdf',
        data: pdf('Antrag auf Erlass eines Mahnbescheids', 'Antragstellerin: Bäckerei Weiß GmbH'),
        linkedBy: { datum: '2026-03-05T13:20:00', text: 'Mahnbescheid beantragt', art: 'Schriftsatz', datei: '\\\\srv\\akten\\2026_0815\\Mahnbescheid.pdf' }
      },
      {
        path: 'Korrespondenz/Schreiben an Gläubigerin.pdf',
        data: pdf('Schreiben an die Gläubigerin', 'Sehr geehrte Damen und Herren, ...'),
        linkedBy: { datum: '2026-03-12T15:30:00', text: 'Schreiben an Gläubigerin', art: 'Ausgang', datei: 'Korrespondenz\\Schreiben an Gläubigerin.pdf' }
      },
      { path: 'Thumbs.db', data: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), notSynced: 'Explorer thumbnail cache, always ignored' }
    ],
    notes: [
      { datum: '2026-02-16T08:45:00', text: 'Mandat angenommen', art: 'Notiz' }
    ],
    espoOnly: []
  }
]
