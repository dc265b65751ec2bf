import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeManifestPath,
  encodeManifestPath,
  parseBagInfo,
  parseManifest,
  unsafePathReason,
  validateBag,
  writeBag,
  type BagInfoInput,
  type BagProblem,
  type BagValidation,
  type PayloadFile,
} from '#shared/preservation/bagit.ts';
import { digestBytes, digestFile, digestStream, digestWith, sm3Available } from '#shared/preservation/digest.ts';
import { FsBagStore } from '#shared/preservation/fs-store.ts';
import { itemReport, packageReport, sniffFormat, type FourPropertyReport, type ItemFacts } from '#shared/preservation/four-properties.ts';
import { MemoryBagStore } from '#shared/preservation/store.ts';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const hex = (s: string) => s.replace(/\s+/g, '');

// -----------------------------------------------------------------------------------------------
describe('digest: SHA-256 and SM3 in one pass', () => {
  it('has SM3 from node:crypto (the OpenSSL 3 bundled with Node 22)', () => {
    expect(sm3Available()).toBe(true);
  });

  it('gives the GB/T 32905-2016 SM3 example values', () => {
    // GB/T 32905-2016 附录 A, example 1 ("abc") and example 2 ("abcd" × 16, 512 bits)
    expect(digestBytes('abc').sm3).toBe(hex('66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0'));
    expect(digestBytes('abcd'.repeat(16)).sm3).toBe(hex('debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732'));
  });

  it('gives the FIPS 180-4 / NIST SHA-256 example values', () => {
    expect(digestBytes('').sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(digestBytes('abc').sha256).toBe(hex('ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad'));
    expect(digestBytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq').sha256).toBe(hex('248d6a61 d20638b8 e5c02693 0c3e6039 a33ce459 64ff2167 f6ecedd4 19db06c1'));
  });

  it('streams a million "a" in uneven chunks to the NIST value, with the byte count', async () => {
    const chunks = function* () {
      let left = 1_000_000;
      for (let n = 1; left > 0; n = (n * 7 + 3) % 65_537) {
        const k = Math.min(left, n + 1);
        yield new Uint8Array(k).fill(0x61);
        left -= k;
      }
    };
    const d = await digestStream(chunks());
    expect(d.bytes).toBe(1_000_000);
    expect(d.sha256).toBe(hex('cdc76e5c 9914fb92 81a1c7e2 84d73e67 f1809a48 a497200e 046d39cc c7112cd0'));
    expect(d.sm3).toBe(digestBytes('a'.repeat(1_000_000)).sm3);
  });

  it('gives the same digests however the bytes are chunked (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), async (chunks) => {
        const whole = Buffer.concat(chunks);
        expect(await digestStream(chunks)).toEqual(digestBytes(whole));
        expect(await digestStream(Readable.from(chunks.map((c) => Buffer.from(c))))).toEqual(digestBytes(whole));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a stream that decodes its bytes to strings', async () => {
    const r = Readable.from([Buffer.from('abc')]);
    r.setEncoding('utf8');
    await expect(digestStream(r)).rejects.toThrow(/Uint8Array/);
  });

  it('hashes a file on disk and any set of algorithms', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'digest-'));
    try {
      const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
      await writeFile(join(dir, 'f.bin'), bytes);
      expect(await digestFile(join(dir, 'f.bin'))).toEqual(digestBytes(bytes));
      const d = await digestWith([text('abc')], ['md5', 'sha1', 'sha512', 'sm3']);
      expect(d.hex.md5).toBe('900150983cd24fb0d6963f7d28e17f72');
      expect(d.hex.sha1).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
      expect(d.hex.sm3).toBe(digestBytes('abc').sm3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// -----------------------------------------------------------------------------------------------
const INFO: BagInfoInput = {
  sourceOrganization: '云州市司法局青山区分局',
  externalIdentifier: 'YJ-2026-0001',
  externalDescription: '执法记录仪原始录像移交\n第二行说明',
  other: [
    ['Case-Number', '青司罚〔2026〕12号'],
    ['Retention-Class', 'D3-case'],
  ],
};

const SAMPLE: PayloadFile[] = [
  { path: '案卷/询问笔录.pdf', content: text('%PDF-1.7\n询问笔录 …') },
  {
    path: '录像/2026-01-05 巡查 001.mp4',
    content: async function* () {
      yield text('\0\0\0\x20ftypisom');
      yield new Uint8Array(70_000).fill(7);
    },
  },
  { path: '空文件.txt', content: new Uint8Array(0) },
  { path: '100%完成\r\n说明.txt', content: '名字里有百分号、回车和换行' },
  { path: 'a/b/c/深层.txt', content: 'deep' },
];

const NOW = new Date('2026-03-02T01:00:00Z');

const freshBag = async (payload = SAMPLE, opts: Parameters<typeof writeBag>[3] = { now: NOW }) => {
  const store = new MemoryBagStore();
  const written = await writeBag(store, payload, INFO, opts);
  return { store, written };
};

const errors = (v: BagValidation) => v.problems.filter((p) => p.severity === 'error');
const codes = (v: BagValidation) =>
  errors(v)
    .map((p) => p.code)
    .sort();
const pick = (p: BagProblem) => ({ code: p.code, file: p.file, manifest: p.manifest });

describe('BagIt writer (RFC 8493)', () => {
  it('writes bagit.txt, the payload under data/, SHA-256 and SM3 manifests, bag-info and tag manifests', async () => {
    const { store, written } = await freshBag();
    expect(str(store.files.get('bagit.txt'))).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    expect([...store.files.keys()].filter((p) => !p.startsWith('data/')).sort()).toEqual([
      'bag-info.txt',
      'bagit.txt',
      'manifest-sha256.txt',
      'manifest-sm3.txt',
      'tagmanifest-sha256.txt',
      'tagmanifest-sm3.txt',
    ]);
    // The payload is stored byte for byte, under data/, with its UTF-8 (Chinese) name.
    expect(str(store.files.get('data/案卷/询问笔录.pdf'))).toBe('%PDF-1.7\n询问笔录 …');
    expect(store.files.get('data/100%完成\r\n说明.txt')).toBeDefined();

    // §2.1.3: CR, LF and % percent-encoded in manifest paths, and nothing else.
    const m = str(store.files.get('manifest-sha256.txt'));
    expect(m).toContain(`${digestBytes('名字里有百分号、回车和换行').sha256}  data/100%25完成%0D%0A说明.txt\n`);
    expect(m).toContain(`${digestBytes('%PDF-1.7\n询问笔录 …').sha256}  data/案卷/询问笔录.pdf\n`);
    expect(m.split('\n').filter(Boolean)).toHaveLength(5);
    expect(str(store.files.get('manifest-sm3.txt'))).toContain(`${digestBytes('deep').sm3}  data/a/b/c/深层.txt\n`);

    const info = str(store.files.get('bag-info.txt'));
    expect(info).toBe(
      [
        'Source-Organization: 云州市司法局青山区分局',
        'External-Description: 执法记录仪原始录像移交',
        '  第二行说明',
        'External-Identifier: YJ-2026-0001',
        'Bagging-Date: 2026-03-02',
        `Bag-Size: 70.1 KB`,
        `Payload-Oxum: ${written.oxum.octets}.5`,
        'Case-Number: 青司罚〔2026〕12号',
        'Retention-Class: D3-case',
        '',
      ].join('\n'),
    );
    expect(written.oxum.octets).toBe(written.payload.reduce((n, f) => n + f.bytes, 0));

    // Tag manifests list every tag file except tag manifests.
    const tm = str(store.files.get('tagmanifest-sm3.txt'));
    for (const f of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'manifest-sm3.txt']) {
      expect(tm).toContain(`${digestBytes(store.files.get(f)!).sm3}  ${f}\n`);
    }
    expect(tm).not.toContain('tagmanifest');
  });

  it('refuses unsafe or duplicate payload paths, reserved labels and a non-empty target', async () => {
    for (const path of ['../x', '/etc/passwd', 'a/../../x', 'C:/x', 'a\\b', '~root/x', 'a//b', './a', '']) {
      await expect(freshBag([{ path, content: 'x' }]), path).rejects.toMatchObject({ code: 'bag.unsafePath' });
    }
    // NFC "é" and NFD "e + ◌́" are the same name (RFC 8493 §6.2.2).
    await expect(
      freshBag([
        { path: 'caf\u00e9', content: '1' },
        { path: 'cafe\u0301', content: '2' },
      ]),
    ).rejects.toMatchObject({ code: 'bag.duplicatePath' });
    await expect(writeBag(new MemoryBagStore(), [], { ...INFO, other: [['Payload-Oxum', '1.1']] })).rejects.toMatchObject({ code: 'bag.info' });
    await expect(writeBag(new MemoryBagStore(), [], { ...INFO, other: [['Bad: label', 'x']] })).rejects.toMatchObject({ code: 'bag.info' });
    const { store } = await freshBag();
    await expect(writeBag(store, SAMPLE, INFO)).rejects.toMatchObject({ code: 'bag.targetNotEmpty' });
  });

  it('writes an empty bag that still validates (data/ exists, Oxum 0.0)', async () => {
    const { store } = await freshBag([]);
    const v = await validateBag(store);
    expect(v.valid).toBe(true);
    expect(v.oxum).toEqual({ declared: '0.0', actual: '0.0' });
  });
});

describe('BagIt validator (RFC 8493 §3)', () => {
  it('round trip: a written bag is complete and valid, with every digest', async () => {
    const { store, written } = await freshBag();
    const v = await validateBag(store);
    expect(v.problems).toEqual([]);
    expect(v).toMatchObject({ complete: true, valid: true, version: '1.0', algorithms: ['sha256', 'sm3'], tagAlgorithms: ['sha256', 'sm3'] });
    expect(v.oxum.declared).toBe(v.oxum.actual);
    expect(new Map(v.payload.map((f) => [f.path, f.digests]))).toEqual(new Map(written.payload.map((f) => [f.path, f.digests])));
    expect(v.bagInfo).toContainEqual(['External-Description', '执法记录仪原始录像移交\n第二行说明']);
  });

  it('catches one flipped bit in a payload file, in both manifests, with expected and actual', async () => {
    const { store } = await freshBag();
    const path = 'data/案卷/询问笔录.pdf';
    const before = store.files.get(path)!;
    const after = Uint8Array.from(before);
    after[3]! ^= 0x10;
    store.files.set(path, after);
    const v = await validateBag(store);
    expect(v).toMatchObject({ complete: true, valid: false });
    expect(errors(v).map(pick)).toEqual([
      { code: 'checksumMismatch', file: path, manifest: 'manifest-sha256.txt' },
      { code: 'checksumMismatch', file: path, manifest: 'manifest-sm3.txt' },
    ]);
    const [sha, sm3] = errors(v);
    expect(sha).toMatchObject({ algorithm: 'sha256', expected: digestBytes(before).sha256, actual: digestBytes(after).sha256, breaks: 'valid', line: 4 });
    expect(sm3).toMatchObject({ algorithm: 'sm3', expected: digestBytes(before).sm3, actual: digestBytes(after).sm3 });
  });

  it('reports a missing payload file in every manifest, and the Oxum it breaks', async () => {
    const { store } = await freshBag();
    store.files.delete('data/a/b/c/深层.txt');
    const v = await validateBag(store);
    expect(v).toMatchObject({ complete: false, valid: false });
    expect(errors(v).map(pick)).toEqual([
      { code: 'fileMissing', file: 'data/a/b/c/深层.txt', manifest: 'manifest-sha256.txt' },
      { code: 'fileMissing', file: 'data/a/b/c/深层.txt', manifest: 'manifest-sm3.txt' },
      { code: 'oxumMismatch', file: 'bag-info.txt', manifest: undefined },
    ]);
    expect(errors(v)[2]).toMatchObject({ expected: v.oxum.declared, actual: v.oxum.actual });
    expect(v.oxum.actual.endsWith('.4')).toBe(true);
  });

  it('reports an extra payload file missing from every manifest', async () => {
    const { store } = await freshBag();
    store.files.set('data/夹带.mp4', text('not in any manifest'));
    const v = await validateBag(store);
    expect(v.complete).toBe(false);
    expect(errors(v).map(pick)).toEqual([
      { code: 'fileNotInManifest', file: 'data/夹带.mp4', manifest: 'manifest-sha256.txt' },
      { code: 'fileNotInManifest', file: 'data/夹带.mp4', manifest: 'manifest-sm3.txt' },
      { code: 'oxumMismatch', file: 'bag-info.txt', manifest: undefined },
    ]);
  });

  it('reports a wrong Payload-Oxum with declared and actual (and the tag manifests catch the edit)', async () => {
    const { store, written } = await freshBag();
    const info = str(store.files.get('bag-info.txt')).replace(`Payload-Oxum: ${written.oxum.octets}.5`, 'Payload-Oxum: 12.5');
    store.files.set('bag-info.txt', text(info));
    const v = await validateBag(store);
    expect(errors(v).find((p) => p.code === 'oxumMismatch')).toMatchObject({ expected: '12.5', actual: `${written.oxum.octets}.5`, breaks: 'complete' });
    expect(codes(v)).toEqual(['checksumMismatch', 'checksumMismatch', 'oxumMismatch']);
  });

  it('reports a wrong Payload-Oxum on its own in a bag without tag manifests', async () => {
    const { store } = await freshBag(SAMPLE, { now: NOW, tagAlgorithms: [] });
    store.files.set('bag-info.txt', text(str(store.files.get('bag-info.txt')).replace(/Payload-Oxum: .*/, 'Payload-Oxum: 1.1')));
    const v = await validateBag(store);
    expect(errors(v).map(pick)).toEqual([{ code: 'oxumMismatch', file: 'bag-info.txt', manifest: undefined }]);
  });

  it('catches a tampered bag-info.txt through the tag manifests', async () => {
    const { store } = await freshBag();
    store.files.set('bag-info.txt', text(str(store.files.get('bag-info.txt')).replace('青山区分局', '河西区分局')));
    const v = await validateBag(store);
    expect(v).toMatchObject({ complete: true, valid: false });
    expect(errors(v).map(pick)).toEqual([
      { code: 'checksumMismatch', file: 'bag-info.txt', manifest: 'tagmanifest-sha256.txt' },
      { code: 'checksumMismatch', file: 'bag-info.txt', manifest: 'tagmanifest-sm3.txt' },
    ]);
  });

  it('reports path-traversal entries and never reads them (RFC 8493 §5.1)', async () => {
    const { store } = await freshBag(SAMPLE, { now: NOW, tagAlgorithms: [] });
    const evil = ['../../etc/passwd', '/etc/shadow', 'data/../../x', 'data/a\\..\\..\\y', '~root/.ssh/id_rsa', 'C:/Windows/win.ini'];
    const lines = evil.map((p) => `${'0'.repeat(64)}  ${p}\n`).join('');
    store.files.set('manifest-sha256.txt', text(str(store.files.get('manifest-sha256.txt')) + lines));
    store.files.set('../outside.txt', text('the store will not be asked for this'));
    const read: string[] = [];
    const spy = Object.assign(Object.create(store) as MemoryBagStore, {
      read: (p: string) => {
        read.push(p);
        return store.read(p);
      },
      list: async (prefix: string) => (await store.list(prefix)).filter((p) => !p.startsWith('../')),
    });
    const v = await validateBag(spy);
    const unsafe = errors(v).filter((p) => p.code === 'unsafePath');
    expect(unsafe.map((p) => p.file)).toEqual(evil);
    expect(unsafe.map((p) => p.line)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(codes(v)).toEqual(Array(6).fill('unsafePath'));
    // only files that are in the bag were ever opened
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((p) => store.files.has(p) && !p.startsWith('..'))).toBe(true);
  });

  it('reports a missing or malformed bagit.txt, a BOM, a missing data/ and no manifest', async () => {
    const a = await freshBag();
    a.store.files.delete('bagit.txt');
    expect(codes(await validateBag(a.store))).toContain('bagitTxtMissing');

    const b = await freshBag(SAMPLE, { now: NOW, tagAlgorithms: [] });
    b.store.files.set('bagit.txt', text('BagIt-Version: 1.0\n'));
    expect(errors(await validateBag(b.store)).map(pick)).toEqual([{ code: 'bagitTxtMalformed', file: 'bagit.txt', manifest: undefined }]);

    b.store.files.set('bagit.txt', text('\ufeffBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'));
    expect(codes(await validateBag(b.store))).toEqual(['byteOrderMark']);

    const empty = new MemoryBagStore();
    empty.files.set('bagit.txt', text('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'));
    expect(codes(await validateBag(empty))).toEqual(['noPayloadManifest', 'payloadDirectoryMissing']);
  });

  it('accepts CR and CRLF line endings in tag files', async () => {
    const { store } = await freshBag(SAMPLE, { now: NOW, tagAlgorithms: [] });
    for (const [f, eol] of [
      ['manifest-sha256.txt', '\r\n'],
      ['manifest-sm3.txt', '\r'],
      ['bag-info.txt', '\r\n'],
      ['bagit.txt', '\r'],
    ] as const) {
      store.files.set(f, text(str(store.files.get(f)).replace(/\n/g, eol)));
    }
    const v = await validateBag(store);
    expect(v.problems).toEqual([]);
    expect(v.bagInfo).toContainEqual(['External-Description', '执法记录仪原始录像移交\n第二行说明']);
  });

  it('reports a file named in a manifest only once, malformed lines, a payload file in a tag manifest, an unknown algorithm', async () => {
    const { store } = await freshBag(SAMPLE, { now: NOW, tagAlgorithms: [] });
    const m = str(store.files.get('manifest-sha256.txt'));
    store.files.set('manifest-sha256.txt', text(`${m}${m.split('\n')[0]}\nnot a manifest line\nabc  data/空文件.txt\n`));
    store.files.set('tagmanifest-sha256.txt', text(`${digestBytes(store.files.get('manifest-sm3.txt')!).sha256}  manifest-sm3.txt\n${'0'.repeat(64)}  data/空文件.txt\n`));
    store.files.set('manifest-whirlpool.txt', text(`${'0'.repeat(128)}  data/空文件.txt\n`));
    const v = await validateBag(store);
    expect(codes(v)).toEqual(
      [
        'duplicateManifestEntry', // line 6 repeats line 1
        'manifestLineMalformed',
        'checksumMalformed', // "abc" is not 64 hex digits
        'duplicateManifestEntry', // and repeats 空文件
        'tagManifestListsPayload',
        'tagManifestMissesManifest', // misses manifest-sha256.txt
        'tagManifestMissesManifest', // and manifest-whirlpool.txt
        'unsupportedAlgorithm',
        // manifest-whirlpool lists one file of five
        ...Array(4).fill('fileNotInManifest'),
      ].sort(),
    );
    expect(errors(v).find((p) => p.code === 'manifestLineMalformed')).toMatchObject({ manifest: 'manifest-sha256.txt', line: 7 });
  });

  it('matches names across Unicode normalisation forms, with a warning (RFC 8493 §6.2.2)', async () => {
    const { store } = await freshBag([{ path: 'Núñez 询问.txt', content: 'x' }]);
    const nfc = 'data/Núñez 询问.txt'.normalize('NFC');
    store.files.set(nfc.normalize('NFD'), store.files.get(nfc)!);
    store.files.delete(nfc);
    const v = await validateBag(store);
    expect(v.valid).toBe(true);
    expect(v.problems.map((p) => [p.code, p.severity])).toEqual([
      ['normalizationDiffers', 'warning'],
      ['normalizationDiffers', 'warning'],
    ]);
  });

  it('warns about fetch.txt and unlisted tag files without failing the bag', async () => {
    const { store } = await freshBag();
    store.files.set('fetch.txt', text('https://example.org/x 1 data/x\n'));
    const v = await validateBag(store);
    expect(v.valid).toBe(true);
    expect(v.problems.map((p) => p.code).sort()).toEqual(['fetchFileNotSupported', 'tagFileUnlisted']);
  });

  it('parses and percent-codes manifest lines exactly as §2.1.3 says', () => {
    for (const p of ['a%b', '%0A', 'x\ny', 'x\r\ny', '中文 名%25.txt', 'tab\there']) expect(decodeManifestPath(encodeManifestPath(p))).toBe(p);
    expect(encodeManifestPath('100%\r\n')).toBe('100%25%0D%0A');
    expect(decodeManifestPath('a%20b')).toBe('a%20b'); // only %0A %0D %25 are decoded
    const pm = parseManifest(`${'A'.repeat(64)}\t \tdata/with  two spaces \r${'b'.repeat(64)} data/x%0Ay`, 'sha256');
    expect([...pm.entries.values()].map((e) => [e.path, e.checksum.slice(0, 2), e.line])).toEqual([
      ['data/with  two spaces ', 'aa', 1],
      ['data/x\ny', 'bb', 2],
    ]);
    expect(unsafePathReason('data/ok/名字.txt')).toBeUndefined();
    const info = parseBagInfo('A: 1\nB:\nC:2\n  cont\n');
    expect(info.problems.map((p) => p.line)).toEqual([3]);
    expect(info.elements).toEqual([
      ['A', '1'],
      ['B', '\ncont'],
    ]);
  });

  it('writes and validates a bag on the local filesystem, and refuses a symbolic link out of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bag-'));
    try {
      const root = join(dir, 'bag');
      const store = new FsBagStore(root);
      await writeBag(store, SAMPLE, INFO, { now: NOW });
      expect(await readFile(join(root, 'data', '案卷', '询问笔录.pdf'), 'utf8')).toBe('%PDF-1.7\n询问笔录 …');
      expect((await validateBag(store)).problems).toEqual([]);

      await writeFile(join(dir, 'secret.txt'), 'outside the bag');
      await rm(join(root, 'data', 'a', 'b', 'c', '深层.txt'));
      await symlink(join(dir, 'secret.txt'), join(root, 'data', 'a', 'b', 'c', '深层.txt'));
      const v = await validateBag(store);
      expect(errors(v).map((p) => [p.code, p.file])).toEqual([['fileUnreadable', 'data/a/b/c/深层.txt']]);
      expect(errors(v)[0]!.message).toMatch(/symbolic link/);
      expect(v.valid).toBe(false);
      await expect(writeBag(new FsBagStore(join(dir, 'other')), [{ path: 'x', content: 'x' }], INFO)).resolves.toBeDefined();
      await expect(store.write('../escape.txt', text('x'))).rejects.toThrow(/escapes/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// Names from an alphabet with the awkward characters: Chinese, space, %, CR, LF, accents.
const segment = fc
  .array(fc.constantFrom('a', 'B', '0', ' ', '%', '\n', '\r', '案', '卷', '录', '像', '.', '-', '_', 'é'), { minLength: 1, maxLength: 8 })
  .map((cs) => cs.join(''))
  .filter((s) => s !== '.' && s !== '..' && !s.startsWith('~'));
const arbPayload = fc
  .uniqueArray(fc.record({ path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')), content: fc.uint8Array({ maxLength: 2048 }) }), {
    maxLength: 6,
    selector: (f) => f.path.normalize('NFC').toLowerCase(),
  })
  .filter((files) => {
    // no file may also be a directory of another
    const paths = files.map((f) => f.path.normalize('NFC'));
    return !paths.some((p) => paths.some((q) => q.startsWith(`${p}/`)));
  });

describe('BagIt properties', () => {
  it('any generated bag validates', async () => {
    await fc.assert(
      fc.asyncProperty(arbPayload, async (files) => {
        const store = new MemoryBagStore();
        await writeBag(store, files, INFO, { now: NOW });
        const v = await validateBag(store);
        expect(v.problems).toEqual([]);
        expect(v.valid).toBe(true);
        expect(v.oxum.actual).toBe(`${files.reduce((n, f) => n + f.content.length, 0)}.${files.length}`);
      }),
      { numRuns: 60 },
    );
  });

  it('any single-byte change in any payload file is caught, in every manifest, for that file only', async () => {
    const withByte = arbPayload.filter((fs) => fs.some((f) => f.content.length > 0));
    await fc.assert(
      fc.asyncProperty(withByte, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (files, fi, bi, delta) => {
        const store = new MemoryBagStore();
        await writeBag(store, files, INFO, { now: NOW });
        const nonEmpty = files.filter((f) => f.content.length > 0);
        const target = nonEmpty[fi % nonEmpty.length]!;
        const path = `data/${target.path.normalize('NFC')}`;
        const bytes = Uint8Array.from(store.files.get(path)!);
        const at = bi % bytes.length;
        bytes[at] = (bytes[at]! + delta) & 0xff;
        store.files.set(path, bytes);
        const v = await validateBag(store);
        expect(v.valid).toBe(false);
        expect(errors(v).map(pick)).toEqual([
          { code: 'checksumMismatch', file: path, manifest: 'manifest-sha256.txt' },
          { code: 'checksumMismatch', file: path, manifest: 'manifest-sm3.txt' },
        ]);
      }),
      { numRuns: 60 },
    );
  });
});

// -----------------------------------------------------------------------------------------------
const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('sniffFormat: formats from their first bytes', () => {
  const cases: [string, Uint8Array, string][] = [
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0], 'isomiso2avc1mp41'), 'video/mp4'],
    ['mov', bytes([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 2, 0], 'qt  '), 'video/quicktime'],
    ['mov', bytes([0, 0, 0, 8], 'wide', [0, 0, 0, 9], 'mdat'), 'video/quicktime'],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image/jpeg'],
    ['png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR'), 'image/png'],
    ['pdf', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'application/pdf'],
    ['wav', bytes('RIFF', [0x24, 0x08, 0, 0], 'WAVEfmt '), 'audio/wav'],
    ['mp3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg'],
    ['mp3', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
    ['tiff', bytes('II*', [0, 8, 0, 0, 0]), 'image/tiff'],
    ['ofd', bytes('PK', [3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0], 'OFD.xml'), 'application/ofd'],
    ['text', text('询问笔录\n时间：2026年1月5日\n'), 'text/plain; charset=utf-8'],
    ['text', bytes([0xd1, 0xaf, 0xce, 0xca, 0xb1, 0xca, 0xc2, 0xbc, 0x0a]), 'text/plain; charset=gb18030'],
    ['unknown', bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 'application/octet-stream'],
    ['unknown', new Uint8Array(0), 'application/octet-stream'],
  ];
  it.each(cases)('%s ← %o', (format, head, mediaType) => {
    expect(sniffFormat(head)).toMatchObject({ format, mediaType });
  });
  it('does not take text that happens to contain "free" for QuickTime, nor a cut UTF-8 character for binary', () => {
    expect(sniffFormat(text('The free software')).format).toBe('text');
    expect(sniffFormat(text('询问笔录').subarray(0, 10)).format).toBe('text');
  });
});

// -----------------------------------------------------------------------------------------------
const MP4_HEAD = bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0], 'isomiso2avc1mp41');
const CONTENT = Buffer.concat([MP4_HEAD, new Uint8Array(5000).fill(1)]);
const FIX = digestBytes(CONTENT);
const REQUIRED = ['officerId', 'deviceId', 'capturedFrom', 'capturedTo', 'caseId'];

const goodItem = (over: Partial<ItemFacts> = {}): ItemFacts => ({
  id: 'EV-001',
  title: '2026-01-05 巡查录像',
  declared: { sha256: FIX.sha256, sm3: FIX.sm3, bytes: FIX.bytes, mediaType: 'video/mp4' },
  recomputed: FIX,
  metadata: {
    fields: { officerId: 'qs-officer-machao', deviceId: 'DSJ-0042', capturedFrom: '2026-01-05T09:00:00+08:00', capturedTo: '2026-01-05T09:20:00+08:00', caseId: 'C-12' },
    required: REQUIRED,
  },
  format: { firstBytes: CONTENT.subarray(0, 4096), decoder: { tool: 'ffprobe', pass: true } },
  protection: { objectLock: { mode: 'COMPLIANCE', retainUntil: '2032-01-05T00:00:00+08:00' }, legalHold: false, encryptionAtRest: 'aws:kms', versioning: true },
  malwareScan: { result: 'clean', engine: 'ClamAV' },
  ...over,
});

const failing = (r: FourPropertyReport) => (['authenticity', 'integrity', 'usability', 'security'] as const).flatMap((p) => r[p].checks.filter((c) => !c.pass).map((c) => c.id));

describe('四性检测 (DA/T 70-2018): one item', () => {
  const opts = { stage: 'storage' as const, now: NOW };

  it('passes every property for a sound, protected recording', () => {
    const r = itemReport(goodItem(), opts);
    expect(failing(r)).toEqual([]);
    expect(r).toMatchObject({ overall: true, stage: 'storage', checkedAt: '2026-03-02T09:00:00.000+08:00', subject: { kind: 'item', id: 'EV-001' } });
    for (const p of ['authenticity', 'integrity', 'usability', 'security'] as const) {
      expect(r[p].pass).toBe(true);
      for (const c of r[p].checks) expect(c.description).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('真实性 fails when the content no longer matches its fixity, its size or its recorded format', () => {
    const changed = digestBytes(Buffer.concat([CONTENT, new Uint8Array([0])]));
    const r = itemReport(goodItem({ recomputed: changed }), opts);
    expect(failing(r)).toEqual(['authenticity.sha256Matches', 'authenticity.sm3Matches', 'authenticity.sizeMatches']);
    expect(r.authenticity.checks.find((c) => c.id === 'authenticity.sha256Matches')!.detail).toBe(`登记 ${FIX.sha256}，计算 ${changed.sha256}`);
    expect(r).toMatchObject({ overall: false, integrity: { pass: true }, usability: { pass: true }, security: { pass: true } });

    expect(failing(itemReport(goodItem({ declared: { ...goodItem().declared, sm3: '0'.repeat(64) } }), opts))).toEqual(['authenticity.sm3Matches']);
    expect(failing(itemReport(goodItem({ declared: { ...goodItem().declared, mediaType: 'image/jpeg' } }), opts))).toEqual(['authenticity.formatMatchesMetadata']);
    expect(failing(itemReport(goodItem({ declared: { sha256: 'xyz' } }), opts))).toEqual(['authenticity.fixityRecorded', 'authenticity.sha256Matches', 'authenticity.sm3Matches']);
  });

  it('needs a recorded SM3 after filing, not at filing', () => {
    const noSm3 = goodItem({ declared: { sha256: FIX.sha256 } });
    expect(failing(itemReport(noSm3, { stage: 'filing', now: NOW }))).toEqual([]);
    expect(failing(itemReport(noSm3, { stage: 'handover', now: NOW }))).toEqual(['authenticity.sm3Matches']);
    expect(failing(itemReport(noSm3, { stage: 'handover', now: NOW, requireSm3AfterFiling: false }))).toEqual([]);
  });

  it('完整性 fails for missing required metadata, naming the fields, and for missing or empty content', () => {
    const r = itemReport(goodItem({ metadata: { fields: { ...goodItem().metadata.fields, deviceId: '', caseId: null }, required: REQUIRED } }), opts);
    expect(failing(r)).toEqual(['integrity.metadataComplete']);
    expect(r.integrity.checks.find((c) => !c.pass)!.detail).toBe('缺少：deviceId、caseId');

    const { recomputed: _, ...gone } = goodItem();
    expect(failing(itemReport(gone, opts))).toEqual(['authenticity.sha256Matches', 'authenticity.sm3Matches', 'authenticity.sizeMatches', 'integrity.contentPresent']);
    const empty = digestBytes(new Uint8Array(0));
    expect(failing(itemReport(goodItem({ recomputed: empty, declared: { sha256: empty.sha256, sm3: empty.sm3 } }), opts))).toEqual(['integrity.contentPresent']);
  });

  it('可用性 fails for an unknown or unaccepted format, a failed decode, encrypted content', () => {
    const unknown = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(failing(itemReport(goodItem({ declared: { sha256: FIX.sha256, sm3: FIX.sm3 }, format: { firstBytes: unknown } }), opts))).toEqual(['usability.formatRecognised']);
    expect(failing(itemReport(goodItem({ format: { firstBytes: MP4_HEAD, accepted: ['pdf', 'ofd'] } }), opts))).toEqual(['usability.formatAccepted']);
    expect(failing(itemReport(goodItem({ format: { firstBytes: MP4_HEAD, decoder: { tool: 'ffprobe', pass: false, detail: 'moov atom not found' } } }), opts))).toEqual(['usability.decodable']);
    expect(failing(itemReport(goodItem({ format: { firstBytes: MP4_HEAD, contentEncrypted: true } }), opts))).toEqual(['usability.notEncrypted']);
  });

  it('安全性 fails without a clean scan, write protection, a due legal hold or encryption at rest', () => {
    const { malwareScan: _, ...unscanned } = goodItem();
    expect(failing(itemReport(unscanned, opts))).toEqual(['security.malwareScan']);
    expect(failing(itemReport(goodItem({ malwareScan: { result: 'infected', engine: 'ClamAV' } }), opts))).toEqual(['security.malwareScan']);
    const expired = { objectLock: { mode: 'GOVERNANCE' as const, retainUntil: '2026-01-01T00:00:00+08:00' }, encryptionAtRest: 'aws:kms' };
    const r = itemReport(goodItem({ protection: expired }), opts);
    expect(failing(r)).toEqual(['security.writeProtected']);
    expect(r.security.checks.find((c) => !c.pass)!.detail).toContain('已过期');
    // a legal hold alone protects the original (D4), but is then also required
    expect(failing(itemReport(goodItem({ protection: { ...expired, legalHold: true, legalHoldRequired: true } }), opts))).toEqual([]);
    expect(failing(itemReport(goodItem({ protection: { ...goodItem().protection, legalHoldRequired: true } }), opts))).toEqual(['security.legalHold']);
    expect(failing(itemReport(goodItem({ protection: { ...goodItem().protection, encryptionAtRest: null, versioning: false } }), opts))).toEqual(['security.encryptedAtRest', 'security.versioning']);
    const { protection: __, ...unprotected } = goodItem();
    expect(failing(itemReport(unprotected, opts))).toEqual(['security.writeProtected', 'security.encryptedAtRest']);
    expect(failing(itemReport(unprotected, { stage: 'handover', now: NOW }))).toEqual([]); // in transit, the bag is what is checked
  });
});

describe('四性检测: a handover package (a BagIt bag and its items)', () => {
  const opts = { stage: 'handover' as const, now: NOW };

  const handover = async (damage?: (store: MemoryBagStore) => void) => {
    const store = new MemoryBagStore();
    await writeBag(store, [{ path: '录像/EV-001.mp4', content: CONTENT }], INFO, { now: NOW });
    damage?.(store);
    const bag = await validateBag(store);
    const found = bag.payload.find((f) => f.path === 'data/录像/EV-001.mp4');
    const recomputed = found ? { sha256: found.digests.sha256!, sm3: found.digests.sm3!, bytes: found.bytes } : undefined;
    const { recomputed: _, ...base } = goodItem();
    const item = itemReport({ ...base, ...(recomputed ? { recomputed } : {}) }, opts);
    return packageReport({ id: 'YJ-2026-0001', bag, items: [item], expectedItemCount: 1 }, opts);
  };

  it('passes for an intact bag of sound items', async () => {
    const r = await handover();
    expect(failing(r)).toEqual([]);
    expect(r.overall).toBe(true);
    expect(r.subject).toEqual({ kind: 'package', id: 'YJ-2026-0001' });
    expect(r.items).toHaveLength(1);
  });

  it('a tampered payload fails 真实性 at the bag and at the item', async () => {
    const r = await handover((s) => {
      const b = Uint8Array.from(s.files.get('data/录像/EV-001.mp4')!);
      b[100]! ^= 1;
      s.files.set('data/录像/EV-001.mp4', b);
    });
    expect(failing(r)).toEqual(['authenticity.bagChecksums', 'authenticity.items']);
    expect(r.authenticity.checks[0]!.detail).toContain('manifest-sha256.txt');
    expect(r.authenticity.checks[3]!.detail).toBe('EV-001：authenticity.sha256Matches、authenticity.sm3Matches');
  });

  it('a tampered bag-info fails 真实性 through the tag manifest', async () => {
    const r = await handover((s) => s.files.set('bag-info.txt', text(str(s.files.get('bag-info.txt')).replace('YJ-2026-0001', 'YJ-2026-0002'))));
    expect(failing(r)).toEqual(['authenticity.tagManifest']);
  });

  it('a missing file fails 完整性 (bag, Oxum, item) and an extra file fails 完整性 too', async () => {
    const r = await handover((s) => s.files.delete('data/录像/EV-001.mp4'));
    expect(failing(r)).toEqual(['authenticity.items', 'integrity.bagComplete', 'integrity.oxum', 'integrity.items']);
    const extra = await handover((s) => s.files.set('data/夹带.bin', new Uint8Array([1])));
    expect(failing(extra)).toEqual(['integrity.bagComplete', 'integrity.oxum']);
  });

  it('a path-traversal entry fails 安全性; an unreadable algorithm fails 可用性; a short item list fails 完整性', async () => {
    const r = await handover((s) => s.files.set('manifest-sha256.txt', text(`${str(s.files.get('manifest-sha256.txt'))}${'0'.repeat(64)}  ../../etc/passwd\n`)));
    expect(failing(r)).toEqual(['authenticity.tagManifest', 'security.pathsSafe']);

    const store = new MemoryBagStore();
    await writeBag(store, [{ path: 'x.txt', content: 'x' }], INFO, { now: NOW });
    store.files.set('manifest-foo.txt', text(`${'0'.repeat(64)}  data/x.txt\n`));
    const bag = await validateBag(store);
    const pr = packageReport({ id: 'P', bag, items: [], expectedItemCount: 2 }, opts);
    expect(failing(pr)).toEqual([
      'authenticity.items',
      'integrity.bagComplete', // the tag manifests do not list manifest-foo.txt
      'integrity.itemCount',
      'integrity.items',
      'usability.bagReadable',
      'usability.items',
      'security.items',
    ]);
  });
});
