/**
 * Screenshot bytes through the blob endpoints, over real HTTP: a device uploads to the sha256
 * its document names, and only whole bytes that hash to it are stored; it asks first whether
 * it uploaded them already; the contract's client reads the images of shared screenshots, and
 * everyone else hears what a missing blob answers.
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { dayStart, dayMs, weekMs, weekOf } from '../../shared/time/slots.ts';
import {
  marketplaceWorld,
  signUpAs,
  tableRows,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';
import {
  changed,
  created,
  screenshotOf,
  syncCalls,
  timeContractBetween,
  trackedEntry,
} from '../support/time-fixtures.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A real WebP of a screen and of its thumbnail, as the tracker encodes them. */
async function webp(width: number, height: number, red: number) {
  const bytes = await sharp({
    create: { width, height, channels: 3, background: { r: red, g: 90, b: 160 } },
  })
    .webp()
    .toBuffer();
  return {
    bytes,
    ref: {
      hash: sha256(bytes),
      size: bytes.length,
      width,
      height,
      mimeType: 'image/webp' as const,
    },
  };
}

describe.each(['sqlite', 'postgres'] as Dialect[])('screenshot blobs on %s', (dialect) => {
  let server: TestServer;
  let owner: Member;
  let freelancer: Member;
  let otherClient: Member;
  let outsider: Member;
  let categoryId: string;

  beforeAll(async () => {
    const world = await marketplaceWorld(dialect, {
      owner: 'client',
      freelancer: 'freelancer',
      otherClient: 'client',
    });
    ({ server, owner, freelancer, otherClient } = world);
    categoryId = world.category.id;
    outsider = await signUpAs(server, 'freelancer');
  });
  afterAll(async () => {
    await server?.close();
  });

  const blobUrl = (hash: string) => `${server.baseUrl}/api/v1/blobs/${hash}`;
  const put = (who: Member, hash: string, bytes: Buffer) =>
    fetch(blobUrl(hash), {
      method: 'PUT',
      headers: { authorization: `Bearer ${who.token}`, 'content-type': 'image/webp' },
      body: new Uint8Array(bytes),
    });
  const head = (who: Member, hash: string) =>
    fetch(blobUrl(hash), { method: 'HEAD', headers: { authorization: `Bearer ${who.token}` } });
  const get = (who: Member, hash: string) =>
    fetch(blobUrl(hash), { headers: { authorization: `Bearer ${who.token}` } });
  const stored = () => tableRows(server, { blobs: ['hash'], blob_uploads: ['hash', 'user_id'] });

  /** An upload cut short: the body ends (the socket closes) before its Content-Length. */
  function truncatedPut(who: Member, hash: string, bytes: Buffer): Promise<string> {
    const url = new URL(blobUrl(hash));
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `PUT ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${who.token}\r\n` +
            `Content-Type: image/webp\r\nContent-Length: ${bytes.length}\r\n\r\n`,
        );
        socket.end(bytes.subarray(0, Math.floor(bytes.length / 2)));
      });
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  it('stores only whole bytes that hash to their name, and says who uploaded them', async () => {
    const image = await webp(640, 360, 200);
    const before = await stored();

    const misnamed = await put(freelancer, sha256(Buffer.from('other bytes')), image.bytes);
    expect(misnamed.status).toBe(422);
    const problem = (await misnamed.json()) as Problem;
    expect(problem.type).toBe(problemTypes.validation);
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/hash']);
    expect(problem.errors?.[0]?.detail).toContain(image.ref.hash);

    const cut = await truncatedPut(freelancer, image.ref.hash, image.bytes);
    expect(cut).not.toMatch(/^HTTP\/1\.1 2/);

    const unsized = await fetch(blobUrl(image.ref.hash), {
      method: 'PUT',
      headers: { authorization: `Bearer ${freelancer.token}`, 'content-type': 'image/webp' },
      body: new Blob([new Uint8Array(image.bytes)]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(unsized.status).toBe(411);
    const badName = await put(freelancer, 'not-a-hash', image.bytes);
    expect(badName.status).toBe(422);
    expect((await head(freelancer, image.ref.hash)).status).toBe(404);
    const anonymous = await fetch(blobUrl(image.ref.hash), { method: 'PUT', body: 'x' });
    expect(anonymous.status).toBe(401);
    expect(await stored()).toEqual(before);

    const first = await put(freelancer, image.ref.hash, image.bytes);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({
      hash: image.ref.hash,
      size: image.bytes.length,
      mimeType: 'image/webp',
    });
    // Sending it again stores nothing new and says so.
    expect((await put(freelancer, image.ref.hash, image.bytes)).status).toBe(200);
    const known = await head(freelancer, image.ref.hash);
    expect(known.status).toBe(200);
    expect(known.headers.get('content-length')).toBe(String(image.bytes.length));
    expect(await known.text()).toBe('');
    // Only the uploader's HEAD says so: for anyone else it is as if it did not exist.
    expect((await head(owner, image.ref.hash)).status).toBe(404);
    expect((await head(freelancer, sha256(Buffer.from('never sent')))).status).toBe(404);
    const rows = await tableRows(server, { blob_uploads: ['hash', 'user_id'] });
    expect(
      rows.blob_uploads?.filter((row) => (row as { hash: string }).hash === image.ref.hash),
    ).toHaveLength(1);
  });

  it('lets the contract’s client read a shared screenshot’s images, nobody else', async () => {
    const hourly = await timeContractBetween(
      server,
      { client: owner, freelancer, categoryId },
      'hourly',
    );
    const screen = await webp(800, 450, 30);
    const thumbnail = await webp(160, 90, 30);
    for (const image of [screen, thumbnail]) {
      expect((await put(freelancer, image.ref.hash, image.bytes)).status).toBe(201);
    }
    const slot = dayStart(weekOf(Date.now() - weekMs)) + dayMs + 9 * 3_600_000;
    const entry = trackedEntry(hourly, [{ start: slot }]);
    const shot = screenshotOf(entry, slot, { image: screen.ref, thumbnail: thumbnail.ref });
    const sync = syncCalls(server);

    // Uploaded but not yet shared as a screenshot: the client cannot read it.
    expect((await get(owner, screen.ref.hash)).status).toBe(404);
    expect((await sync.push('timeEntries', freelancer, [created(entry)])).status).toBe(200);
    expect((await sync.push('screenshots', freelancer, [created(shot)])).status).toBe(200);

    for (const image of [screen, thumbnail]) {
      const answer = await get(owner, image.ref.hash);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('image/webp');
      expect(Buffer.from(await answer.arrayBuffer()).equals(image.bytes)).toBe(true);
    }
    // Reading is not having uploaded: the client's device would still have to send its own.
    expect((await head(owner, screen.ref.hash)).status).toBe(404);
    const missing = await get(owner, sha256(Buffer.from('never uploaded')));
    expect(missing.status).toBe(404);
    const missingProblem = (await missing.json()) as Problem;
    for (const stranger of [otherClient, outsider]) {
      const answer = await get(stranger, screen.ref.hash);
      expect(answer.status).toBe(404);
      // The same answer as for bytes that do not exist: a hash reveals nothing.
      const problem = (await answer.json()) as Problem;
      expect([problem.type, problem.title, problem.detail]).toEqual([
        missingProblem.type,
        missingProblem.title,
        missingProblem.detail,
      ]);
    }

    // Once the freelancer deletes the screenshot, the client can no longer read its images.
    const deleted = { ...shot, _deleted: true, updatedAt: new Date().toISOString() };
    expect((await sync.push('screenshots', freelancer, [changed(shot, deleted)])).status).toBe(200);
    expect((await get(owner, screen.ref.hash)).status).toBe(404);
    expect((await get(owner, thumbnail.ref.hash)).status).toBe(404);
    expect((await get(freelancer, screen.ref.hash)).status).toBe(200);
  });

  it('describes the blob endpoints in the OpenAPI document', async () => {
    const document = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const path = document.paths['/api/v1/blobs/{hash}'];
    expect(Object.keys(path ?? {}).sort()).toEqual(['get', 'head', 'put']);
    expect(Object.keys(path?.put?.responses ?? {}).sort()).toEqual(['200', '201', '411', '422']);
  });
});
