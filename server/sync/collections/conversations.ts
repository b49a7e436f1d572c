import type { Kysely, Selectable } from 'kysely';
import type { Participant, WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type { ConversationsTable, Database } from '../../db/schema.ts';
import {
  allowed,
  denied,
  flag,
  unchangedFields,
  pullPage,
  type SyncSpec,
  upsertDocumentRow,
} from '../spec.ts';

type Conversation = WireDocument<'conversations'>;

function fromRow(row: Selectable<ConversationsTable>): Conversation {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    kind: row.kind as Conversation['kind'],
    title: row.title,
    participants: JSON.parse(row.participants) as Participant[],
    contractId: row.contract_id,
    projectId: row.project_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    _deleted: Boolean(row.deleted),
  };
}

/** Whether `userId` takes part in a conversation: the one question every message asks too. */
export async function isParticipant(db: Kysely<Database>, conversationId: string, userId: string) {
  const row = await db
    .selectFrom('conversation_participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function participantIds(
  db: Kysely<Database>,
  conversationId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('conversation_participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .execute();
  return rows.map((row) => row.user_id);
}

const immutable = [
  'kind',
  'participants',
  'contractId',
  'projectId',
  'createdBy',
  'createdAt',
] as const;

export const conversationsSpec: SyncSpec<'conversations'> = {
  collection: 'conversations',
  async find(db, id) {
    const row = await db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  },
  pull: (db, userId, afterSeq, limit) =>
    pullPage(
      db
        .selectFrom('conversations as c')
        .innerJoin('conversation_participants as p', 'p.conversation_id', 'c.id')
        .selectAll('c')
        .where('p.user_id', '=', userId),
      'c.seq',
      afterSeq,
      limit,
      fromRow,
    ),
  canSee: (db, userId, document) => isParticipant(db, document.id, userId),
  async authorize(db, user, incoming, existing) {
    if (existing) {
      const problems = unchangedFields(incoming, existing, immutable, sameDocument);
      if (incoming._deleted && !existing._deleted && existing.createdBy !== user.userId) {
        problems.push(['/_deleted', 'only the person who started a conversation can delete it']);
      }
      return problems.length ? denied(...problems) : allowed;
    }
    const ids = incoming.participants.map((p) => p.id);
    const problems: Array<[string, string]> = [];
    if (incoming.createdBy !== user.userId) problems.push(['/createdBy', 'must be you']);
    if (!ids.includes(user.userId)) problems.push(['/participants', 'must include you']);
    if (new Set(ids).size !== ids.length)
      problems.push(['/participants', 'must not repeat a person']);
    const known = await db.selectFrom('users').select('id').where('id', 'in', ids).execute();
    if (known.length !== new Set(ids).size)
      problems.push(['/participants', 'must all be MegiLance users']);
    return problems.length ? denied(...problems) : allowed;
  },
  async write({ trx }, document, existing, seq) {
    const row = {
      id: document.id,
      seq,
      deleted: flag(document._deleted),
      updated_at: document.updatedAt,
      kind: document.kind,
      title: document.title,
      participants: JSON.stringify(document.participants),
      contract_id: document.contractId,
      project_id: document.projectId,
      created_by: document.createdBy,
      created_at: document.createdAt,
    };
    await upsertDocumentRow(trx, 'conversations', row);
    // Participants never change after creation, so their rows are written once.
    if (!existing) {
      await trx
        .insertInto('conversation_participants')
        .values(document.participants.map((p) => ({ conversation_id: document.id, user_id: p.id })))
        .execute();
    }
  },
  audience: (_db, document) => Promise.resolve(document.participants.map((p) => p.id)),
};
