import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import type { Response } from 'supertest';
import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createOtherMerchant, createStaff, type StaffLogin } from '../support/factories.js';
import { WidgetEvidenceTestModule } from '../support/evidence-module.js';
import { jpegPhoto, jpegWithMetadata, PHOTO_LAT, pngImage, pngWithMetadata } from '../support/images.js';
import { multipartBody, type Part } from '../support/multipart.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WIDGET_TABLE_SQL } from '../support/widget-machine.js';


/** A supertest parser keeping the response body as raw bytes (superagent hands it the response stream). */
const binary = (res: Response, done: (err: Error | null, body: unknown) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

const SHA256_PATH = /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

describe('attachments: case evidence through the kernel service (test-only widget module)', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let uploads: string;

  beforeAll(async () => {
    t = await startTestApp({ extraModules: [WidgetEvidenceTestModule] });
    await t.db.query(WIDGET_TABLE_SQL);
    agent = await createStaff(t, Role.Agent);
    uploads = resolve(t.config.dataDir, 'uploads');
  });
  afterAll(async () => {
    await t?.close();
  });

  const newCase = async (token = agent.token): Promise<string> => {
    const res = await t.http().post('/api/v1/widgets').set(bearer(token)).send({});
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const upload = (id: string, parts: Part[], token = agent.token, route = 'evidence') => {
    const { body, contentType } = multipartBody(parts);
    return t.http().post(`/api/v1/widgets/${id}/${route}`).set(bearer(token)).set('content-type', contentType).send(body);
  };
  const listOf = async (id: string, token = agent.token) => {
    const res = await t.http().get(`/api/v1/widgets/${id}/evidence`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body as Array<{ id: string; kind: string | null; sha256: string; originalName: string | null }>;
  };
  const fetchFile = (url: string, token = agent.token) => t.http().get(url).set(bearer(token)).buffer(true).parse(binary);
  const expectError = (res: Response, status: number, message: RegExp) => {
    expect({ status: res.status, message: res.body.message }).toEqual({ status, message: expect.stringMatching(message) });
    expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String) });
  };

  it('takes several photos in one upload, each with its kind, and serves each back by content type', async () => {
    const id = await newCase();
    const outer = jpegPhoto(11);
    const inner = pngImage(12);
    const item = jpegPhoto(13);
    const res = await t
      .http()
      .post(`/api/v1/widgets/${id}/evidence`)
      .set(bearer(agent.token))
      .attach('outer_package', outer, { filename: 'box.jpg', contentType: 'image/jpeg' })
      .attach('inner_package', inner, { filename: 'inside.png', contentType: 'application/octet-stream' })
      .attach('file', item, { filename: '商品.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(201);
    expect(res.body.reuse).toEqual([]);
    const got = res.body.attachments as Array<Record<string, unknown>>;
    expect(got.map((a) => [a.kind, a.mime, a.size, a.originalName])).toEqual([
      ['outer_package', 'image/jpeg', outer.length, 'box.jpg'],
      ['inner_package', 'image/png', inner.length, 'inside.png'],
      [null, 'image/jpeg', item.length, '商品.jpg'],
    ]);
    expect(got.every((a) => a.caseId === id && a.caseModule === 'test_widget' && a.uploadedBy === agent.id && a.url === `/api/v1/attachments/${a.id as string}`)).toBe(true);
    expect((await listOf(id)).map((a) => a.id)).toEqual(got.map((a) => a.id));

    const served = await fetchFile(got[1].url as string);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-disposition']).toBe(`inline; filename="inner_package-${got[1].id as string}.png"`);
    expect((served.body as Buffer).equals(inner)).toBe(true); // nothing to strip: the same bytes
  });

  it('judges the type by content: a text file named .jpg and declared image/jpeg is refused, and nothing is saved', async () => {
    const id = await newCase();
    const res = await upload(id, [
      { name: 'item', filename: 'good.jpg', type: 'image/jpeg', body: jpegPhoto(21) },
      { name: 'item', filename: 'photo.jpg', type: 'image/jpeg', body: 'just some text, not a photo\n'.repeat(10) },
    ]);
    expectError(res, 415, /"photo\.jpg" is not a JPEG, PNG, WebP file by its content/);
    expect(await listOf(id)).toEqual([]);
  });

  it('refuses a PDF where photos are asked for, takes it as a chat transcript, and serves it as a download', async () => {
    const id = await newCase();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    expectError(await upload(id, [{ name: 'file', filename: 'chat.pdf', body: pdf }]), 415, /"chat\.pdf" is a PDF file; accepted here: JPEG, PNG, WebP/);
    const ok = await upload(id, [{ name: 'chat_transcript', filename: 'chat.pdf', body: pdf }], agent.token, 'transcripts');
    expect(ok.status).toBe(201);
    expect(ok.body.attachments[0]).toMatchObject({ kind: 'chat_transcript', mime: 'application/pdf' });
    const served = await fetchFile(ok.body.attachments[0].url);
    expect(served.headers['content-type']).toBe('application/pdf');
    expect(served.headers['content-disposition']).toMatch(/^attachment; filename="chat_transcript-[0-9a-f-]{36}\.pdf"$/);
    expect((served.body as Buffer).equals(pdf)).toBe(true);
  });

  it('answers 413 for a file over 10 MB, and saves nothing of the upload', async () => {
    const id = await newCase();
    const big = Buffer.concat([jpegPhoto(31), Buffer.alloc(11 * 1024 * 1024, 0x55)]);
    const res = await upload(id, [
      { name: 'item', filename: 'small.jpg', body: jpegPhoto(32) },
      { name: 'item', filename: 'huge.jpg', body: big },
    ]);
    expectError(res, 413, /"huge\.jpg" is larger than 10 MB/);
    expect(await listOf(id)).toEqual([]);
    // The connection is still usable and the case takes a normal photo afterwards.
    expect((await upload(id, [{ name: 'item', filename: 'small.jpg', body: jpegPhoto(32) }])).status).toBe(201);
  });

  it('answers 422 for a 21st file, whether in one upload or on top of earlier ones', async () => {
    const id = await newCase();
    const photos = Array.from({ length: 21 }, (_, i) => ({ name: 'file', filename: `p${i}.jpg`, body: jpegPhoto(100 + i, 8, 8) }));
    expectError(await upload(id, photos), 422, /at most 20 attachments/);
    expect(await listOf(id)).toEqual([]);

    expect((await upload(id, photos.slice(0, 19))).status).toBe(201);
    expectError(await upload(id, photos.slice(19)), 422, /at most 20 attachments; this one has 19 and the upload would add 2/);
    expect(await listOf(id)).toHaveLength(19);
    expect((await upload(id, photos.slice(19, 20))).status).toBe(201);
    expectError(await upload(id, [{ name: 'file', filename: 'more.jpg', body: jpegPhoto(999, 8, 8) }]), 422, /has 20 and the upload would add 1/);
    // A photo the case already holds is the same attachment, not a 21st.
    const again = await upload(id, photos.slice(0, 1));
    expect(again.status).toBe(201);
    expect(await listOf(id)).toHaveLength(20);
  });

  it('holds the count under concurrent uploads: of two that each fit alone, exactly one is taken', async () => {
    const id = await newCase();
    const photos = Array.from({ length: 22 }, (_, i) => ({ name: 'file', filename: `c${i}.jpg`, body: jpegPhoto(300 + i, 8, 8) }));
    expect((await upload(id, photos.slice(0, 18))).status).toBe(201);
    const [a, b] = await Promise.all([upload(id, photos.slice(18, 20)), upload(id, photos.slice(20, 22))]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    expect(await listOf(id)).toHaveLength(20);
  });

  it('stores "../../x.jpg" by its hash only: the name is kept as metadata, no file lands outside uploads/<hash path>', async () => {
    const id = await newCase();
    const photo = jpegPhoto(41);
    const res = await upload(id, [{ name: 'file', filename: '../../x.jpg', type: 'image/jpeg', body: photo }]);
    expect(res.status).toBe(201);
    const a = res.body.attachments[0];
    expect(a.originalName).toBe('x.jpg');
    const files = (await readdir(t.config.dataDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f.slice(uploads.length + 1)).toMatch(SHA256_PATH);
    expect(files).toContain(join(uploads, a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256));
    expect(existsSync(resolve(uploads, '../../x.jpg'))).toBe(false);
    expect(existsSync(resolve(uploads, '../x.jpg'))).toBe(false);
  });

  it('reports a photo already used in another case of the merchant, and not one of another merchant', async () => {
    const photo = jpegPhoto(51);
    const first = await newCase();
    const firstUp = await upload(first, [{ name: 'item', filename: 'a.jpg', body: photo }]);
    expect(firstUp.status).toBe(201);
    const second = await newCase();
    const res = await upload(second, [
      { name: 'item', filename: 'b.jpg', body: photo },
      { name: 'waybill', filename: 'c.jpg', body: jpegPhoto(52) },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.reuse).toEqual([
      {
        attachmentId: res.body.attachments[0].id,
        sha256: firstUp.body.attachments[0].sha256,
        caseModule: 'test_widget',
        caseId: first,
        otherAttachmentId: firstUp.body.attachments[0].id,
        attachedAt: firstUp.body.attachments[0].createdAt,
      },
    ]);

    const other = await createOtherMerchant(t);
    const theirs = await newCase(other.adminToken);
    const theirUp = await upload(theirs, [{ name: 'item', filename: 'a.jpg', body: photo }], other.adminToken);
    expect(theirUp.status).toBe(201);
    expect(theirUp.body.reuse).toEqual([]);
  });

  it('serves a file only to the merchant\'s staff: another merchant gets 404, as for an unknown id', async () => {
    const id = await newCase();
    const res = await upload(id, [{ name: 'item', filename: 'a.jpg', body: jpegPhoto(61) }]);
    const url = res.body.attachments[0].url as string;
    const other = await createOtherMerchant(t);
    for (const [path, token] of [
      [url, other.adminToken],
      ['/api/v1/attachments/00000000-0000-4000-8000-000000000000', agent.token],
      ['/api/v1/attachments/not-an-id', agent.token],
    ]) {
      const r = await fetchFile(path, token);
      expect(r.status).toBe(404);
      expect(JSON.parse((r.body as Buffer).toString())).toMatchObject({ statusCode: 404, message: expect.stringMatching(/^attachment .* not found/) });
    }
    expect((await t.http().get(url)).status).toBe(401);
    // Nor can another merchant upload to this case: 404 before the body is read, and still a clean answer for a big one.
    const big = Buffer.concat([jpegPhoto(62), Buffer.alloc(9 * 1024 * 1024, 0x11)]);
    const refused = await upload(id, [{ name: 'item', filename: 'a.jpg', body: big }], other.adminToken);
    expectError(refused, 404, /^widget .* not found$/);
    expect(await listOf(id)).toHaveLength(1);
  });

  it('serves photos without their GPS position: the JPEG starts with SOI, decodes, keeps its orientation', async () => {
    const id = await newCase();
    const original = jpegWithMetadata(jpegPhoto(71));
    const png = pngWithMetadata(pngImage(72));
    expect((await exifr.gps(original)).latitude).toBeCloseTo(PHOTO_LAT, 3);
    const res = await upload(id, [
      { name: 'item', filename: 'gps.jpg', body: original },
      { name: 'item', filename: 'gps.png', body: png },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.attachments[0].size).toBe(original.length); // stored as uploaded

    const served = (await fetchFile(res.body.attachments[0].url)).body as Buffer;
    expect(served.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(await exifr.gps(served)).toBeUndefined();
    expect(served.includes('GPSLatitude')).toBe(false);
    expect(await exifr.orientation(served)).toBe(6);
    expect(jpeg.decode(served).width).toBe(16);

    const servedPng = (await fetchFile(res.body.attachments[1].url)).body as Buffer;
    expect(await exifr.gps(servedPng)).toBeUndefined();
    expect(servedPng.includes('GPSLatitude')).toBe(false);
  });

  it('documents an upload route as multipart/form-data with a field per kind, and the file route', async () => {
    const doc = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>> };
    const body = doc.paths['/api/v1/widgets/{id}/evidence'].post.requestBody!.content['multipart/form-data'];
    expect(Object.keys(body.schema.properties)).toEqual(['file', 'outer_package', 'inner_package', 'item', 'waybill']);
    expect(doc.paths['/api/v1/attachments/{id}'].get).toBeDefined();
  });

  it('keeps multipart out of the JSON routes and JSON out of the upload routes (415), and says what is wrong with a form', async () => {
    const id = await newCase();
    const { body, contentType } = multipartBody([{ name: 'file', filename: 'a.jpg', body: jpegPhoto(81) }]);
    const json = await t.http().post(`/api/v1/widgets/${id}/submit`).set(bearer(agent.token)).set('content-type', contentType).send(body);
    expectError(json, 415, /Content-Type multipart\/form-data is not supported; send application\/json/);
    expectError(await t.http().post(`/api/v1/widgets/${id}/evidence`).set(bearer(agent.token)).send({ file: 'x' }), 415, /multipart\/form-data/);

    expectError(await upload(id, [{ name: 'chat_transcript', filename: 'a.jpg', body: jpegPhoto(82) }]), 422, /Kind "chat_transcript" is not used for test_widget evidence; allowed: outer_package, inner_package, item, waybill/);
    expectError(await upload(id, [{ name: 'photo', filename: 'a.jpg', body: jpegPhoto(83) }]), 400, /Unexpected form field "photo"/);
    expectError(await upload(id, [{ name: 'note', body: 'hello' }]), 400, /Unexpected form field "note"/);
    expectError(await upload(id, []), 400, /holds no file/);
    expectError(await upload(id, [{ name: 'file', filename: 'empty.jpg', body: Buffer.alloc(0) }]), 422, /"empty\.jpg" is empty/);
    expectError(await upload(id, [{ name: 'file', filename: 'cut.jpg', body: jpegPhoto(84).subarray(0, 30) }]), 422, /"cut\.jpg" is not a well-formed JPEG image/);
    const broken = await t.http().post(`/api/v1/widgets/${id}/evidence`).set(bearer(agent.token)).set('content-type', 'multipart/form-data; boundary=xyz').send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc');
    expect(broken.status).toBe(400);
    expect(await listOf(id)).toEqual([]);
  });
});
