import express, { type Router } from 'express';
import { problemTypes } from '../../shared/api/problem.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import type { AuthContext, Authenticate } from '../http/route.ts';
import { projectVisibleTo } from '../marketplace/engagement/visibility.ts';
import type { BlobStore } from './blob-store.ts';

export const MAX_BLOB_BYTES = 25 * 1024 * 1024;
const HASH = /^[0-9a-f]{64}$/;
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/**
 * `POST /blobs` takes raw bytes (any media type) and answers their sha256; `GET /blobs/:hash`
 * serves them to the uploader and to whoever may see a message that references them.
 * Built once for message attachments and screenshots alike.
 */
export function blobRouter(db: Db, store: BlobStore, authenticate: Authenticate): Router {
  const router = express.Router();

  router.post(
    '/blobs',
    express.raw({ type: () => true, limit: MAX_BLOB_BYTES }),
    async (req, res) => {
      const auth = await authenticate(req);
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (bytes.length === 0) {
        throw new HttpProblem(
          422,
          problemTypes.validation,
          'Invalid input',
          'The body must hold the bytes to store.',
        );
      }
      const declared = req.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      const mimeType = MEDIA_TYPE.test(declared) ? declared : 'application/octet-stream';
      const { hash, size } = await store.put(bytes);
      const now = new Date().toISOString();
      await db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('blobs')
          .values({ hash, size, mime_type: mimeType, created_at: now })
          .onConflict((conflict) => conflict.column('hash').doNothing())
          .execute();
        await trx
          .insertInto('blob_uploads')
          .values({ hash, user_id: auth.userId, created_at: now })
          .onConflict((conflict) => conflict.columns(['hash', 'user_id']).doNothing())
          .execute();
      });
      res.status(201).json({ hash, size, mimeType });
    },
  );

  router.get('/blobs/:hash', async (req, res) => {
    const auth = await authenticate(req);
    const hash = String(req.params.hash);
    if (!HASH.test(hash)) {
      throw new HttpProblem(
        422,
        problemTypes.validation,
        'Invalid input',
        'A blob is named by a sha256 in hex.',
        {
          errors: [{ pointer: '/hash', detail: 'must be 64 hex digits' }],
        },
      );
    }
    const blob = await readableBlob(db, hash, auth);
    const stream = blob ? store.open(hash) : null;
    // Not yours and missing answer alike, so hashes reveal nothing.
    if (!blob || !stream)
      throw problems.notFound('There is no blob with that hash that you can read.');
    res.set({
      'Content-Type': blob.mime_type,
      'Content-Length': String(blob.size),
      'Cache-Control': 'private, max-age=31536000, immutable',
      // Uploaded HTML or SVG must never run as a page of ours.
      'Content-Security-Policy':
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
      'Content-Disposition': blob.mime_type.startsWith('image/') ? 'inline' : 'attachment',
    });
    stream.pipe(res);
  });

  return router;
}

async function readableBlob(db: Db, hash: string, auth: AuthContext) {
  const { userId } = auth;
  const blob = await db.kysely
    .selectFrom('blobs')
    .selectAll()
    .where('hash', '=', hash)
    .executeTakeFirst();
  if (!blob) return null;
  const uploaded = await db.kysely
    .selectFrom('blob_uploads')
    .select('hash')
    .where('hash', '=', hash)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (uploaded) return blob;
  const referenced = await db.kysely
    .selectFrom('message_attachments as a')
    .innerJoin('messages as m', 'm.id', 'a.message_id')
    .innerJoin('conversation_participants as p', 'p.conversation_id', 'm.conversation_id')
    .select('a.hash')
    .where('a.hash', '=', hash)
    .where('p.user_id', '=', userId)
    .where('m.deleted', '=', 0)
    .executeTakeFirst();
  if (referenced) return blob;
  // A freelancer's portfolio images are on a profile every member may read.
  const inPortfolio = await db.kysely
    .selectFrom('portfolio_items')
    .select('image_hash')
    .where('image_hash', '=', hash)
    .executeTakeFirst();
  if (inPortfolio) return blob;
  // A project's files are for whoever may see the project.
  const attached = await db.kysely
    .selectFrom('project_attachments as a')
    .innerJoin('projects as p', 'p.id', 'a.project_id')
    .select('a.blob_hash')
    .where('a.blob_hash', '=', hash)
    .where(projectVisibleTo(auth))
    .executeTakeFirst();
  return attached ? blob : null;
}

/** The blob endpoints in the OpenAPI document (they are not JSON routes). */
export const blobOpenApiPaths = {
  '/api/v1/blobs': {
    post: {
      summary: 'Store bytes; answers their sha256 (content-addressed)',
      tags: ['Blobs'],
      security: [{ bearerAuth: [] }],
      requestBody: { content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
      responses: {
        '201': {
          description: 'Stored',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  hash: { type: 'string' },
                  size: { type: 'integer' },
                  mimeType: { type: 'string' },
                },
                required: ['hash', 'size', 'mimeType'],
              },
            },
          },
        },
      },
    },
  },
  '/api/v1/blobs/{hash}': {
    get: {
      summary:
        'The bytes of a blob you uploaded, that a message or project you can see references, or a portfolio image',
      tags: ['Blobs'],
      security: [{ bearerAuth: [] }],
      parameters: [
        {
          name: 'hash',
          in: 'path',
          required: true,
          schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        },
      ],
      responses: {
        '200': {
          description: 'The bytes',
          content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
        },
      },
    },
  },
};
