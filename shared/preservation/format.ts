/**
 * Recognising a file's format from its first bytes ("magic numbers"), for the usability check of
 * 四性检测 (DA/T 70-2018: is the content in a format accepted for archiving, and is it what its
 * metadata says). Pure and cheap: it looks at most at the first SNIFF_BYTES bytes and proves only
 * that the file starts like the format, not that it decodes; a decoder's verdict (e.g. ffprobe
 * for a recording) can be passed to the report builder separately.
 */

export type FormatId = 'mp4' | 'mov' | 'jpeg' | 'png' | 'tiff' | 'pdf' | 'ofd' | 'wav' | 'mp3' | 'text' | 'unknown';

export interface SniffedFormat {
  format: FormatId;
  /** IANA media type (with charset for text) */
  mediaType: string;
  /** what was recognised, e.g. the ISO BMFF brand */
  detail: string;
}

/** How many leading bytes sniffFormat wants (more is ignored). */
export const SNIFF_BYTES = 4096;

const ascii = (b: Uint8Array, from: number, len: number) => String.fromCharCode(...b.subarray(from, from + len));
const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** QuickTime atoms that may open a .mov written before `ftyp` existed (QuickTime File Format). */
const QT_LEADING_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** An MPEG-1/2/2.5 Layer III frame header (ISO/IEC 11172-3, 13818-3). */
const isMp3Frame = (b: Uint8Array, at: number): boolean => {
  const b0 = b[at];
  const b1 = b[at + 1];
  const b2 = b[at + 2];
  if (b0 === undefined || b1 === undefined || b2 === undefined) return false;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false; // 11-bit frame sync
  if ((b1 & 0x18) === 0x08) return false; // version bits 01: reserved
  if ((b1 & 0x06) !== 0x02) return false; // layer bits 01: Layer III
  if ((b2 & 0xf0) === 0xf0) return false; // bitrate index 1111: bad
  if ((b2 & 0x0c) === 0x0c) return false; // sample-rate index 11: reserved
  return true;
};

/** Control characters that do not occur in plain text (TAB, LF, VT, FF, CR and ESC do). */
const isBinaryControl = (x: number) => (x < 0x20 && ![0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b].includes(x)) || x === 0x7f;

const decodes = (label: string, bytes: Uint8Array): boolean => {
  try {
    // stream: a multi-byte character cut by the end of the sample is not an error
    new TextDecoder(label, { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
};

export const sniffFormat = (firstBytes: Uint8Array): SniffedFormat => {
  const b = firstBytes.subarray(0, SNIFF_BYTES);
  if (b.length === 0) return { format: 'unknown', mediaType: 'application/octet-stream', detail: '空文件' };

  // ISO base media file format (ISO/IEC 14496-12): a `ftyp` box first, its major brand says which.
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand === 'qt  ') return { format: 'mov', mediaType: 'video/quicktime', detail: 'ftyp 品牌 qt' };
    return { format: 'mp4', mediaType: 'video/mp4', detail: `ftyp 品牌 ${brand.trim()}` };
  }
  // Pre-ftyp QuickTime: a small leading atom (size < 16 MiB, so the first byte is 0) or a 64-bit size (1).
  if (b.length >= 8 && QT_LEADING_ATOMS.has(ascii(b, 4, 4)) && b[0] === 0) {
    return { format: 'mov', mediaType: 'video/quicktime', detail: `QuickTime 首原子 ${ascii(b, 4, 4)}` };
  }
  // RIFF WAVE, and RF64/BW64 (EBU Tech 3306) for recordings over 4 GiB.
  if (b.length >= 12 && ['RIFF', 'RF64', 'BW64'].includes(ascii(b, 0, 4)) && ascii(b, 8, 4) === 'WAVE') {
    return { format: 'wav', mediaType: 'audio/wav', detail: `${ascii(b, 0, 4)}/WAVE` };
  }
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { format: 'png', mediaType: 'image/png', detail: 'PNG 签名' };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { format: 'jpeg', mediaType: 'image/jpeg', detail: 'JPEG SOI 标记' };
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { format: 'tiff', mediaType: 'image/tiff', detail: b[0] === 0x49 ? 'TIFF (II)' : 'TIFF (MM)' };
  }
  // ISO 32000: `%PDF-` header; readers accept it within the first 1024 bytes, PDF/A requires offset 0.
  const pdfAt = Buffer.from(b.subarray(0, 1024)).indexOf('%PDF-');
  if (pdfAt >= 0) {
    return { format: 'pdf', mediaType: 'application/pdf', detail: `PDF ${ascii(b, pdfAt + 5, 3)}${pdfAt > 0 ? `（头部位于偏移 ${pdfAt}）` : ''}` };
  }
  // OFD (GB/T 33190-2016) is a ZIP package whose entry file is OFD.xml, normally the first member.
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) && b.length >= 30) {
    const nameLen = b[26]! | (b[27]! << 8);
    const name = ascii(b, 30, nameLen);
    if (name === 'OFD.xml') return { format: 'ofd', mediaType: 'application/ofd', detail: 'ZIP 包首成员 OFD.xml' };
  }
  if (ascii(b, 0, 3) === 'ID3') return { format: 'mp3', mediaType: 'audio/mpeg', detail: `ID3v2.${b[3] ?? '?'} 标签` };
  if (isMp3Frame(b, 0)) return { format: 'mp3', mediaType: 'audio/mpeg', detail: 'MPEG Layer III 帧头' };

  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) {
    return { format: 'text', mediaType: 'text/plain; charset=utf-16', detail: 'UTF-16 BOM' };
  }
  if (!b.some(isBinaryControl)) {
    if (decodes('utf-8', b)) return { format: 'text', mediaType: 'text/plain; charset=utf-8', detail: 'UTF-8 文本' };
    // GB 18030: text from Chinese office systems that is not UTF-8.
    if (decodes('gb18030', b)) return { format: 'text', mediaType: 'text/plain; charset=gb18030', detail: 'GB 18030 文本' };
  }
  return { format: 'unknown', mediaType: 'application/octet-stream', detail: `未识别（前 4 字节 ${Buffer.from(b.subarray(0, 4)).toString('hex')}）` };
};

/** The media types a declared `mediaType` may take for each recognised format. */
export const MEDIA_TYPES: Record<Exclude<FormatId, 'unknown'>, readonly string[]> = {
  mp4: ['video/mp4', 'audio/mp4', 'application/mp4'],
  mov: ['video/quicktime'],
  jpeg: ['image/jpeg'],
  png: ['image/png'],
  tiff: ['image/tiff'],
  pdf: ['application/pdf'],
  ofd: ['application/ofd'],
  wav: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  mp3: ['audio/mpeg', 'audio/mp3'],
  text: ['text/plain'],
};

/** True when the declared media type (parameters ignored) fits the sniffed format. */
export const mediaTypeMatches = (declared: string, sniffed: FormatId): boolean => {
  if (sniffed === 'unknown') return false;
  const base = declared.split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPES[sniffed].includes(base);
};
