import type { Selectable } from 'kysely';
import type { WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import { workLogId } from '../../../shared/time/stable-ids.ts';
import type { WorkLogsTable } from '../../db/schema.ts';
import type { Problem } from '../../time/entry-rules.ts';
import { timeContract } from '../../time/time-contract.ts';
import { contractTimeReads } from '../../time/contract-time-reads.ts';
import {
  allowed,
  denied,
  flag,
  refuseDeviceWrite,
  unchangedFields,
  type SyncSpec,
  upsertDocumentRow,
} from '../spec.ts';

type WorkLog = WireDocument<'workLogs'>;

function fromRow(row: Selectable<WorkLogsTable>): WorkLog {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    contractId: row.contract_id,
    freelancerId: row.freelancer_id,
    day: row.day,
    tasksDone: row.tasks_done,
    blockers: row.blockers,
    notes: row.notes,
    createdAt: row.created_at,
    _deleted: row.deleted === 1,
  };
}

const immutable = ['contractId', 'freelancerId', 'day', 'createdAt'] as const;

/**
 * Work logs: the freelancer's note of a contract's UTC day (one per day: its id is derived),
 * written by the freelancer's devices, read by both parties.
 */
export const workLogsSpec: SyncSpec<'workLogs'> = {
  ...contractTimeReads('workLogs', fromRow),
  async authorize(db, user, incoming, existing) {
    if (existing) {
      if (existing.freelancerId !== user.userId) {
        return refuseDeviceWrite(incoming, existing, sameDocument, {
          create: '',
          change: 'only the freelancer writes their work log',
        });
      }
      const problems = unchangedFields(incoming, existing, immutable, sameDocument);
      return problems.length ? denied(...problems) : allowed;
    }
    const problems: Problem[] = [];
    if (incoming.freelancerId !== user.userId) {
      problems.push(['/freelancerId', 'must be you: a work log is its freelancer’s']);
    }
    const contract = await timeContract(db, incoming.contractId);
    if (contract?.freelancer_id !== user.userId) {
      problems.push(['/contractId', 'is not a contract you work on as its freelancer']);
    } else if (
      incoming.id !== workLogId(incoming.contractId, incoming.freelancerId, incoming.day)
    ) {
      problems.push([
        '/id',
        'must be workLogId(contractId, freelancerId, day): one work log per contract and UTC day',
      ]);
    }
    return problems.length ? denied(...problems) : allowed;
  },
  async write({ trx }, document, _existing, seq) {
    const row = {
      id: document.id,
      seq,
      deleted: flag(document._deleted),
      updated_at: document.updatedAt,
      contract_id: document.contractId,
      freelancer_id: document.freelancerId,
      day: document.day,
      tasks_done: document.tasksDone,
      blockers: document.blockers,
      notes: document.notes,
      created_at: document.createdAt,
    };
    await upsertDocumentRow(trx, 'work_logs', row);
  },
};
