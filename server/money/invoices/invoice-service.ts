import type { Kysely, Selectable, Transaction } from 'kysely';
import { randomUUID } from 'node:crypto';
import { problemTypes } from '../../../shared/api/problem.ts';
import {
  invoiceNumber,
  invoiceTotals,
  invoiceTransitions,
  type CreateInvoiceInput,
  type InvoiceDocument,
  type InvoiceLine,
  type InvoiceListQuery,
  type InvoiceStatus,
  type UpdateInvoiceInput,
} from '../../../shared/money/invoices.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import {
  automaticActor,
  recordActorAudit,
  type AuditAction,
  type AuditActor,
} from '../../audit/audit-log.ts';
import { isUniqueViolation } from '../../auth/users.ts';
import type { Db } from '../../db/database.ts';
import type { Database, InvoicesTable } from '../../db/schema.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext } from '../../http/route.ts';
import type { NotificationKind } from '../../../shared/notifications/preferences.ts';
import { notify } from '../../notifications/notify.ts';
import { invoiceFromRow } from '../../sync/collections/invoices.ts';
import type { SyncedWrites } from '../../sync/synced-writes.ts';
import type { SyncWriteContext } from '../../sync/write-context.ts';
import { manualLines, milestoneLines, weekLines } from './invoice-lines.ts';
import { nextInvoiceSequence } from './invoice-numbering.ts';

type InvoiceRow = Selectable<InvoicesTable>;

const dayMs = 86_400_000;
/** Days from today to the default due date. */
export const DEFAULT_PAYMENT_TERM_DAYS = 14;

const utcDate = (at: number): string => new Date(at).toISOString().slice(0, 10);

const notFound = () =>
  problems.notFound('There is no such invoice, or you are neither its issuer nor its recipient.');

const notADraft = (status: InvoiceStatus) =>
  new HttpProblem(
    409,
    problemTypes.conflict,
    'Invoice is not a draft',
    `The invoice is ${status}; only a draft can be edited. Void it and create a new one instead.`,
  );

function invalidTransition(from: InvoiceStatus, to: InvoiceStatus) {
  // Overdue follows the due date (the server's sweep), never a command.
  const allowed = invoiceTransitions[from].filter((status) => status !== 'overdue');
  let detail: string;
  if (to === 'overdue' && invoiceTransitions[from].includes('overdue')) {
    detail = 'An invoice becomes overdue by itself once its due date has passed; it cannot be set.';
  } else if (allowed.length === 0) {
    detail = `A ${from} invoice is final; it cannot become ${to}.`;
  } else {
    detail = `A ${from} invoice can become ${allowed.join(' or ')}, not ${to}.`;
  }
  return new HttpProblem(409, problemTypes.invalidTransition, 'Status change not allowed', detail, {
    extensions: { from, to, allowed },
  });
}

const dueDateProblem = (detail: string) =>
  new HttpProblem(422, problemTypes.validation, 'Invalid input', detail, {
    errors: [{ pointer: '/dueDate', detail }],
  });

/** Strips the wire's tombstone flag: REST answers carry the document itself. */
function present(row: InvoiceRow): InvoiceDocument {
  const { _deleted: _tombstone, ...document } = invoiceFromRow(row);
  return document;
}

/** The totals' columns for the lines and rate. */
function totalsOf(lines: readonly InvoiceLine[], taxRateBps: number) {
  try {
    const totals = invoiceTotals(lines, taxRateBps);
    return {
      subtotal_minor: totals.subtotalMinor,
      tax_minor: totals.taxMinor,
      total_minor: totals.totalMinor,
    };
  } catch {
    throw new HttpProblem(
      422,
      problemTypes.validation,
      'Invalid input',
      'The invoice total is too large to be represented exactly.',
      { errors: [{ pointer: '/lines', detail: 'add up to more than the largest amount allowed' }] },
    );
  }
}

/**
 * Invoices: the contract's freelancer issues them to its client, from approved time of a week,
 * a released milestone, or by hand. Every change is stamped for sync in its transaction (the
 * `invoices` collection, read-only on devices) and announced to issuer and recipient. Numbers
 * are assigned when an invoice is sent, gapless per issuer (invoice-numbering.ts).
 *
 * Every write takes the `invoices` sync counter first (SyncWriteContext.stamp), which
 * serialises invoice writes on PostgreSQL; checks made after it (status, one invoice per week
 * or milestone) cannot be raced.
 */
export class InvoiceService {
  private readonly db: Db;
  private readonly writes: SyncedWrites;
  private readonly now: () => number;

  constructor(db: Db, writes: SyncedWrites, now: () => number = Date.now) {
    this.db = db;
    this.writes = writes;
    this.now = now;
  }

  async create(
    auth: AuthContext,
    input: CreateInvoiceInput,
    actor: AuditActor,
  ): Promise<InvoiceDocument> {
    const contract = await this.db.kysely
      .selectFrom('contracts as c')
      .innerJoin('projects as p', 'p.id', 'c.project_id')
      .innerJoin('users as f', 'f.id', 'c.freelancer_id')
      .innerJoin('users as cl', 'cl.id', 'c.client_id')
      .select([
        'c.id',
        'c.client_id',
        'c.freelancer_id',
        'c.currency',
        'p.title as project_title',
        'f.name as freelancer_name',
        'cl.name as client_name',
      ])
      .where('c.id', '=', input.contractId)
      .executeTakeFirst();
    if (
      !contract ||
      (contract.client_id !== auth.userId && contract.freelancer_id !== auth.userId)
    ) {
      throw new HttpProblem(
        422,
        problemTypes.validation,
        'Invalid input',
        'There is no such contract, or you are not a party to it.',
        { errors: [{ pointer: '/contractId', detail: 'is not one of your contracts' }] },
      );
    }
    if (contract.freelancer_id !== auth.userId) {
      throw problems.forbidden('Only the contract’s freelancer issues invoices on it.');
    }
    const today = utcDate(this.now());
    const dueDate = input.dueDate ?? utcDate(this.now() + DEFAULT_PAYMENT_TERM_DAYS * dayMs);
    if (dueDate < today) {
      throw dueDateProblem(`The due date ${dueDate} is in the past (today is ${today}, UTC).`);
    }
    const { source } = input;
    const lines =
      source.kind === 'week'
        ? await weekLines(this.db.kysely, contract.id, source.week)
        : source.kind === 'milestone'
          ? await milestoneLines(this.db.kysely, contract.id, source.milestoneId)
          : manualLines(input.lines ?? []);
    const totals = totalsOf(lines, input.taxRateBps);
    const id = randomUUID();
    const at = new Date(this.now()).toISOString();
    const audience = [contract.freelancer_id, contract.client_id];
    try {
      const row = await this.writes.transaction(async (sync) => {
        const seq = await sync.stamp('invoices', audience);
        await refuseSecondInvoice(sync.trx, contract.id, source);
        await sync.trx
          .insertInto('invoices')
          .values({
            id,
            seq,
            issuer_id: contract.freelancer_id,
            issuer_name: contract.freelancer_name,
            recipient_id: contract.client_id,
            recipient_name: contract.client_name,
            contract_id: contract.id,
            contract_title: contract.project_title,
            number: null,
            sequence: null,
            source_kind: source.kind,
            source_week: source.kind === 'week' ? source.week : null,
            source_milestone_id: source.kind === 'milestone' ? source.milestoneId : null,
            lines: JSON.stringify(lines),
            tax_rate_bps: input.taxRateBps,
            currency: contract.currency,
            ...totals,
            issue_date: null,
            due_date: dueDate,
            status: 'draft',
            notes: input.notes,
            sent_at: null,
            paid_at: null,
            voided_at: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
        const created = await readRow(sync.trx, id);
        await auditInvoice(sync, actor, 'invoice.created', created);
        return created;
      });
      return present(row);
    } catch (error) {
      // The partial unique indexes are the last word if a check above was somehow passed twice.
      if (isUniqueViolation(error)) throw alreadyInvoiced(source);
      throw error;
    }
  }

  /** A draft's lines (by hand only), tax rate, due date or notes; totals follow. */
  async update(
    auth: AuthContext,
    id: string,
    input: UpdateInvoiceInput,
    actor: AuditActor,
  ): Promise<InvoiceDocument> {
    const row = await this.issuerRow(auth, id, 'edits');
    if (row.status !== 'draft') throw notADraft(row.status);
    if (input.lines !== undefined && row.source_kind !== 'manual') {
      const detail = `lines of an invoice for a ${row.source_kind} follow the ${row.source_kind === 'week' ? 'approved time' : 'milestone'}; only invoices by hand take lines`;
      throw new HttpProblem(422, problemTypes.validation, 'Invalid input', `The ${detail}.`, {
        errors: [{ pointer: '/lines', detail }],
      });
    }
    const today = utcDate(this.now());
    if (input.dueDate !== undefined && input.dueDate < today) {
      throw dueDateProblem(
        `The due date ${input.dueDate} is in the past (today is ${today}, UTC).`,
      );
    }
    const lines =
      input.lines !== undefined
        ? manualLines(input.lines)
        : (JSON.parse(row.lines) as InvoiceLine[]);
    const taxRateBps = input.taxRateBps ?? Number(row.tax_rate_bps);
    const totals = totalsOf(lines, taxRateBps);
    const updated = await this.writes.transaction(async (sync) => {
      const result = await sync.trx
        .updateTable('invoices')
        .set({
          lines: JSON.stringify(lines),
          tax_rate_bps: taxRateBps,
          ...totals,
          ...(input.dueDate !== undefined ? { due_date: input.dueDate } : {}),
          ...(input.notes !== undefined ? { notes: input.notes } : {}),
          updated_at: new Date(this.now()).toISOString(),
          seq: await sync.stamp('invoices', [row.issuer_id, row.recipient_id]),
        })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        throw notADraft((await readRow(sync.trx, id)).status);
      }
      const after = await readRow(sync.trx, id);
      await auditInvoice(sync, actor, 'invoice.updated', after, {
        changed: Object.keys(input).sort(),
      });
      return after;
    });
    return present(updated);
  }

  /**
   * Draft → sent (numbered) | void; sent → paid | void; overdue → paid | void. The issuer moves
   * them; `overdue` only follows the due date (markOverdue). Anything else answers 409 with
   * the statuses allowed.
   */
  async transition(
    auth: AuthContext,
    id: string,
    to: InvoiceStatus,
    actor: AuditActor,
  ): Promise<InvoiceDocument> {
    const row = await this.issuerRow(auth, id, 'changes the status of');
    if (to === 'overdue' || !invoiceTransitions[row.status].includes(to)) {
      throw invalidTransition(row.status, to);
    }
    const updated = await this.writes.transaction(async (sync) => {
      const seq = await sync.stamp('invoices', [row.issuer_id, row.recipient_id]);
      // Read again under the counter's lock: a concurrent command may have moved it.
      const current = await readRow(sync.trx, id);
      if (!invoiceTransitions[current.status].includes(to)) {
        throw invalidTransition(current.status, to);
      }
      const at = new Date(this.now()).toISOString();
      if (to === 'sent') {
        const today = utcDate(this.now());
        if (current.due_date < today) {
          throw dueDateProblem(
            `The due date ${current.due_date} is before today’s issue date ${today}; change it before sending.`,
          );
        }
        const sequence = await nextInvoiceSequence(sync.trx, current.issuer_id);
        await sync.trx
          .updateTable('invoices')
          .set({
            status: 'sent',
            sequence,
            number: invoiceNumber(sequence),
            issue_date: today,
            sent_at: at,
            updated_at: at,
            seq,
          })
          .where('id', '=', id)
          .execute();
      } else {
        await sync.trx
          .updateTable('invoices')
          .set({
            status: to,
            ...(to === 'paid' ? { paid_at: at } : {}),
            ...(to === 'void' ? { voided_at: at } : {}),
            updated_at: at,
            seq,
          })
          .where('id', '=', id)
          .execute();
      }
      const after = await readRow(sync.trx, id);
      await auditInvoice(sync, actor, transitionActions[to], after, { from: current.status });
      await notify(sync, {
        userId: after.recipient_id,
        ...transitionNotice(after),
        link: `/invoices/${after.id}`,
      });
      return after;
    });
    return present(updated);
  }

  async get(auth: AuthContext, id: string): Promise<InvoiceDocument> {
    return present(await this.partyRow(auth, id));
  }

  /** The caller's invoices, as issuer or recipient (or one of the two), newest first. */
  async list(auth: AuthContext, query: InvoiceListQuery): Promise<InvoiceDocument[]> {
    let select = this.db.kysely.selectFrom('invoices').selectAll();
    select =
      query.role === 'issuer'
        ? select.where('issuer_id', '=', auth.userId)
        : query.role === 'recipient'
          ? select.where('recipient_id', '=', auth.userId)
          : select.where((eb) =>
              eb.or([eb('issuer_id', '=', auth.userId), eb('recipient_id', '=', auth.userId)]),
            );
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(present);
  }

  /**
   * The overdue sweep: every sent invoice whose due date is before today (UTC) becomes
   * overdue, each stamped for sync so both parties' devices pull it. Returns how many.
   */
  async markOverdue(): Promise<number> {
    const today = utcDate(this.now());
    const due = await this.db.kysely
      .selectFrom('invoices')
      .select(['id', 'issuer_id', 'recipient_id'])
      .where('status', '=', 'sent')
      .where('due_date', '<', today)
      .orderBy('id')
      .limit(500)
      .execute();
    if (due.length === 0) return 0;
    return this.writes.transaction(async (sync) => {
      let changed = 0;
      const at = new Date(this.now()).toISOString();
      for (const { id, issuer_id, recipient_id } of due) {
        const result = await sync.trx
          .updateTable('invoices')
          .set({
            status: 'overdue',
            updated_at: at,
            seq: await stampOne(sync, issuer_id, recipient_id),
          })
          .where('id', '=', id)
          .where('status', '=', 'sent')
          .where('due_date', '<', today)
          .executeTakeFirst();
        // Paid or voided since the query above: nothing to say about it.
        if (Number(result.numUpdatedRows) === 0) continue;
        changed += 1;
        const invoice = await readRow(sync.trx, id);
        await auditInvoice(sync, automaticActor, 'invoice.overdue', invoice, { from: 'sent' });
        const label = invoiceLabel(invoice);
        for (const userId of [invoice.recipient_id, invoice.issuer_id]) {
          await notify(sync, {
            userId,
            kind: 'money-activity',
            title: `Invoice ${invoice.number ?? '(unnumbered)'} is overdue`,
            body:
              userId === invoice.recipient_id
                ? `${label} was due ${invoice.due_date} and is not marked paid.`
                : `Your invoice ${invoice.number ?? '(unnumbered)'} to ${invoice.recipient_name} (${totalOf(invoice)}) was due ${invoice.due_date} and is not marked paid.`,
            link: `/invoices/${invoice.id}`,
          });
        }
      }
      return changed;
    });
  }

  private async partyRow(auth: AuthContext, id: string): Promise<InvoiceRow> {
    const row = await this.db.kysely
      .selectFrom('invoices')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (row.issuer_id !== auth.userId && row.recipient_id !== auth.userId)) {
      throw notFound();
    }
    return row;
  }

  private async issuerRow(auth: AuthContext, id: string, verb: string): Promise<InvoiceRow> {
    const row = await this.partyRow(auth, id);
    if (row.issuer_id !== auth.userId) {
      throw problems.forbidden(`Only the invoice’s issuer ${verb} it.`);
    }
    return row;
  }
}

const stampOne = (sync: SyncWriteContext, issuerId: string, recipientId: string) =>
  sync.stamp('invoices', [issuerId, recipientId]);

const transitionActions: Record<InvoiceStatus, AuditAction> = {
  draft: 'invoice.updated',
  sent: 'invoice.sent',
  paid: 'invoice.paid',
  void: 'invoice.voided',
  overdue: 'invoice.overdue',
};

const totalOf = (row: InvoiceRow) =>
  formatMoney({ amountMinor: row.total_minor, currency: row.currency });

/** "Invoice INV-0001 from Ada Lovelace: $1,200.00, due 2026-12-01" */
function invoiceLabel(row: InvoiceRow): string {
  return `Invoice ${row.number ?? '(draft)'} from ${row.issuer_name}: ${totalOf(row)}, due ${row.due_date}`;
}

/** What the recipient is told when the issuer sends, marks paid or voids an invoice. */
function transitionNotice(row: InvoiceRow): {
  kind: NotificationKind;
  title: string;
  body: string;
} {
  const number = row.number ?? '(draft)';
  if (row.status === 'sent') {
    return {
      kind: 'invoice-generated',
      title: `Invoice ${number} from ${row.issuer_name}`,
      body: `${invoiceLabel(row)}.`,
    };
  }
  if (row.status === 'paid') {
    return {
      kind: 'invoice-paid',
      title: `Invoice ${number} marked paid`,
      body: `${row.issuer_name} marked invoice ${number} (${totalOf(row)}) as paid.`,
    };
  }
  return {
    kind: 'money-activity',
    title: `Invoice ${number} voided`,
    body: `${row.issuer_name} voided invoice ${number} (${totalOf(row)}); nothing is owed on it.`,
  };
}

async function auditInvoice(
  sync: SyncWriteContext,
  actor: AuditActor,
  action: AuditAction,
  row: InvoiceRow,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await recordActorAudit(sync.trx, actor, action, {
    invoiceId: row.id,
    number: row.number,
    contractId: row.contract_id,
    issuerId: row.issuer_id,
    recipientId: row.recipient_id,
    totalMinor: row.total_minor,
    currency: row.currency,
    status: row.status,
    ...extra,
  });
}

function readRow(db: Kysely<Database>, id: string): Promise<InvoiceRow> {
  return db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function alreadyInvoiced(source: CreateInvoiceInput['source']) {
  const what =
    source.kind === 'week'
      ? `the week of ${source.week}`
      : source.kind === 'milestone'
        ? 'this milestone'
        : 'this';
  return new HttpProblem(
    409,
    problemTypes.conflict,
    'Already invoiced',
    `There is already an invoice for ${what} on this contract; void it first to invoice it again.`,
  );
}

/** One live (not void) invoice per week or milestone of a contract. */
async function refuseSecondInvoice(
  trx: Transaction<Database>,
  contractId: string,
  source: CreateInvoiceInput['source'],
): Promise<void> {
  if (source.kind === 'manual') return;
  let select = trx
    .selectFrom('invoices')
    .select('id')
    .where('contract_id', '=', contractId)
    .where('status', '!=', 'void');
  select =
    source.kind === 'week'
      ? select.where('source_week', '=', source.week)
      : select.where('source_milestone_id', '=', source.milestoneId);
  if (await select.executeTakeFirst()) throw alreadyInvoiced(source);
}
