import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
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
 * `POST /blobs` takes raw bytes (any media type) and answers their sha256; `PUT /blobs/:hash`
 * stores bytes under the sha256 the device already computed (refusing any that do not match);
 * `HEAD /blobs/:hash` tells a device whether it uploaded them already; `GET /blobs/:hash`
 * serves them to the uploader and to whoever may see a message, project, portfolio or
 * screenshot that references them. Anyone else hears "not found", as for a missing blob.
 */
export function blobRouter(db: Db, store: BlobStore, authenticate: Authenticate): Router {
  const router = express.Router();

  router.post(
    '/blobs',
    express.raw({ type: () => true, limit: MAX_BLOB_BYTES }),
    async (req, res) => {
      const auth = await authenticate(req);
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (bytes.length === 0) throw emptyBody();
      const mimeType = mediaTypeOf(req);
      const { hash, size } = await store.put(bytes);
      await recordUpload(db, { hash, size, mimeType, userId: auth.userId });
      res.status(201).json({ hash, size, mimeType });
    },
  );

  /**
   * A device that already knows the hash (a screenshot's document names it) uploads to it:
   * the bytes are stored only when they are whole (as long as Content-Length says) and hash
   * to the name, so an interrupted or corrupted upload never becomes a blob.
   */
  router.put('/blobs/:hash', async (req, res) => {
    const auth = await authenticate(req);
    const hash = hashParam(req.params.hash);
    const declared = req.get('content-length');
    if (declared === undefined || !/^\d+$/.test(declared)) {
      throw new HttpProblem(
        411,
        problemTypes.validation,
        'Length required',
        'Send the bytes with their Content-Length: the server checks it before storing them.',
      );
    }
    const bytes = await readBytes(req, res);
    if (bytes.length === 0) throw emptyBody();
    if (bytes.length !== Number(declared)) {
      throw new HttpProblem(
        422,
        problemTypes.validation,
        'Incomplete upload',
        `The body held ${bytes.length} bytes, not the ${declared} its Content-Length declared; nothing was stored.`,
      );
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash) {
      throw new HttpProblem(
        422,
        problemTypes.validation,
        'Invalid input',
        'The bytes do not hash to the name they were sent to; nothing was stored.',
        { errors: [{ pointer: '/hash', detail: `is not the sha256 of the body (${actual})` }] },
      );
    }
    const mimeType = mediaTypeOf(req);
    const { size } = await store.put(bytes);
    const created = await recordUpload(db, { hash, size, mimeType, userId: auth.userId });
    res.status(created ? 201 : 200).json({ hash, size, mimeType });
  });

  /** 200 when the caller has uploaded these bytes already, so a device skips sending them again. */
  router.head('/blobs/:hash', async (req, res) => {
    const auth = await authenticate(req);
    const hash = hashParam(req.params.hash);
    const blob = await db.kysely
      .selectFrom('blob_uploads as u')
      .innerJoin('blobs as b', 'b.hash', 'u.hash')
      .select(['b.size', 'b.mime_type'])
      .where('u.hash', '=', hash)
      .where('u.user_id', '=', auth.userId)
      .executeTakeFirst();
    if (!blob || !store.has(hash)) throw problems.notFound('You have not uploaded that blob.');
    res.set({ 'Content-Type': blob.mime_type, 'Content-Length': String(blob.size) });
    res.status(200).end();
  });

  router.get('/blobs/:hash', async (req, res) => {
    const auth = await authenticate(req);
    const hash = hashParam(req.params.hash);
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

function hashParam(param: unknown): string {
  const hash = String(param);
  if (!HASH.test(hash)) {
    throw new HttpProblem(
      422,
      problemTypes.validation,
      'Invalid input',
      'A blob is named by a sha256 in hex.',
      { errors: [{ pointer: '/hash', detail: 'must be 64 hex digits' }] },
    );
  }
  return hash;
}

const emptyBody = () =>
  new HttpProblem(
    422,
    problemTypes.validation,
    'Invalid input',
    'The body must hold the bytes to store.',
  );

function mediaTypeOf(req: Request): string {
  const declared = req.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  return MEDIA_TYPE.test(declared) ? declared : 'application/octet-stream';
}

const rawBody = express.raw({ type: () => true, limit: MAX_BLOB_BYTES });

/** The raw body, read after authentication so strangers cannot make the server read 25 MB. */
function readBytes(req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    rawBody(req, res, (error?: unknown) => {
      const parserError = error as { type?: string } | undefined;
      if (parserError?.type === 'request.size.invalid') {
        reject(
          new HttpProblem(
            422,
            problemTypes.validation,
            'Incomplete upload',
            'The body was not as long as its Content-Length declared; nothing was stored.',
          ),
        );
      } else if (parserError?.type === 'request.aborted') {
        reject(
          new HttpProblem(
            400,
            problemTypes.validation,
            'Upload interrupted',
            'The body ended before its Content-Length; nothing was stored.',
          ),
        );
      } else if (error) {
        reject(
          error instanceof Error
            ? error
            : new Error('the body could not be read', { cause: error }),
        );
      } else {
        resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      }
    });
  });
}

/** Records the blob (once) and that this user uploaded it; true when the user had not before. */
async function recordUpload(
  db: Db,
  upload: { hash: string; size: number; mimeType: string; userId: string },
): Promise<boolean> {
  const now = new Date().toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('blobs')
      .values({ hash: upload.hash, size: upload.size, mime_type: upload.mimeType, created_at: now })
      .onConflict((conflict) => conflict.column('hash').doNothing())
      .execute();
    const inserted = await trx
      .insertInto('blob_uploads')
      .values({ hash: upload.hash, user_id: upload.userId, created_at: now })
      .onConflict((conflict) => conflict.columns(['hash', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  });
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
  // A contract's client sees the screenshots of its tracked time (until the freelancer deletes
  // one); the freelancer uploaded them, so reads them as their uploader.
  const screenshot = await db.kysely
    .selectFrom('screenshots as s')
    .innerJoin('contracts as c', 'c.id', 's.contract_id')
    .select('s.id')
    .where((eb) => eb.or([eb('s.image_hash', '=', hash), eb('s.thumbnail_hash', '=', hash)]))
    .where('s.deleted', '=', 0)
    .where('c.client_id', '=', userId)
    .executeTakeFirst();
  if (screenshot) return blob;
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

const hashParameter = {
  name: 'hash',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
};

const storedSchema = {
  type: 'object',
  properties: {
    hash: { type: 'string' },
    size: { type: 'integer' },
    mimeType: { type: 'string' },
  },
  required: ['hash', 'size', 'mimeType'],
};

const problemContent = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};

/** The blob endpoints in the OpenAPI document (they are not JSON routes). */
export const blobOpenApiPaths = {
  '/api/v1/blobs': {
    post: {
      summary: 'Store bytes; answers their sha256 (content-addressed)',
      tags: ['Blobs'],
      security: [{ bearerAuth: [] }],
      requestBody: { content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
      responses: {
        '201': { description: 'Stored', content: { 'application/json': { schema: storedSchema } } },
      },
    },
  },
  '/api/v1/blobs/{hash}': {
    get: {
      summary:
        'The bytes of a blob you uploaded, that a message or project you can see references, a portfolio image, or a screenshot of a contract you are the client of',
      tags: ['Blobs'],
      security: [{ bearerAuth: [] }],
      parameters: [hashParameter],
      responses: {
        '200': {
          description: 'The bytes',
          content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
        },
        '404': { description: 'Missing, or not yours to read', content: problemContent },
      },
    },
    put: {
      summary:
        'Store bytes under their sha256: refused (nothing stored) unless they hash to it and are as long as Content-Length',
      tags: ['Blobs'],
      security: [{ bearerAuth: [] }],
      parameters: [hashParameter],
      requestBody: {
        required: true,
        content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
      },
      responses: {
        '200': {
          description: 'You had uploaded these bytes already',
          content: { 'application/json': { schema: storedSchema } },
        },
        '201': { description: 'Stored', content: { 'application/json': { schema: storedSchema } } },
        '411': { description: 'No Content-Length', content: problemContent },
        '422': {
          description: 'The bytes do not hash to the name, or are not as long as declared',
          content: problemContent,
        },
      },
    },
    head: {
      summary: 'Whether you uploaded these bytes already (a device skips sending them again)',
      tags: ['Blobs'],
      security: [{ bearerAuth: [] }],
      parameters: [hashParameter],
      responses: {
        '200': { description: 'You uploaded them; Content-Length is their size' },
        '404': { description: 'You have not uploaded them' },
      },
    },
  },
};
