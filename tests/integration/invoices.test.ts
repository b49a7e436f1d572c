/**
 * Invoices over real HTTP on SQLite and PostgreSQL: created from a week's approved time (set up
 * through the real time sync and review flow), from a released milestone, or by hand; totals
 * with tax; the lifecycle with its refusals; gapless numbering per issuer under concurrent
 * sends; the overdue sweep; the PDF; and the synced documents both parties pull.
 */
import { randomUUID } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { formatMoney } from '../../shared/money/money.ts';
import type { InvoiceDocument } from '../../shared/money/invoices.ts';
import { dayMs, dayStart, minuteMs, weekMs, weekOf } from '../../shared/time/slots.ts';
import { client, type HttpAnswer } from '../support/http.ts';
import { createCategory, signUpAs, type Member } from '../support/marketplace-fixtures.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';
import {
  approvalOf,
  created,
  disputeOf,
  manualEntry,
  syncCalls,
  timeContractBetween,
  trackedEntry,
} from '../support/time-fixtures.ts';

const hourMs = 60 * minuteMs;
const lastWeek = weekOf(Date.now() - weekMs);
const twoWeeksAgo = weekOf(Date.now() - 2 * weekMs);
const at = (week: string, day: number, hour: number, minute = 0) =>
  dayStart(week) + day * dayMs + hour * hourMs + minute * minuteMs;
const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (days: number) =>
  new Date(Date.now() + days * dayMs).toISOString().slice(0, 10);

type InvoiceAnswer = HttpAnswer<InvoiceDocument>;

describe.each(['sqlite', 'postgres'] as Dialect[])('invoices on %s', (dialect) => {
  let server: TestServer;
  let owner: Member;
  let freelancer: Member;
  let otherClient: Member;
  let outsider: Member;
  let categoryId: string;
  let sync: ReturnType<typeof syncCalls>;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    // The overdue sweep runs every 100 ms here, so a passed due date shows within the test.
    server = await startTestServer({ dialect, env: { INVOICE_OVERDUE_SWEEP_MS: '100' } });
    const admin = await signUpAs(server, 'admin');
    owner = await signUpAs(server, 'client', 'Olivia Owner');
    freelancer = await signUpAs(server, 'freelancer', 'Fiona Freelancer');
    otherClient = await signUpAs(server, 'client');
    outsider = await signUpAs(server, 'freelancer');
    categoryId = (await createCategory(server, admin, { name: 'Software' })).id;
    sync = syncCalls(server);
    api = client(server.baseUrl);
  });
  afterAll(async () => {
    await server?.close();
  });

  const contract = (type: 'hourly' | 'fixed', who = freelancer) =>
    timeContractBetween(server, { client: owner, freelancer: who, categoryId }, type);

  /** A money command: every POST carries its own Idempotency-Key unless one is given. */
  const command = (path: string, who: Member, json: unknown, key: string = randomUUID()) =>
    api.post<InvoiceDocument>(path, {
      token: who.token,
      json,
      headers: { 'Idempotency-Key': key },
    }) as Promise<InvoiceAnswer>;
  const createInvoice = (who: Member, json: unknown) => command('/invoices', who, json);
  const transition = (id: string, who: Member, to: string, key?: string) =>
    command(`/invoices/${id}/transition`, who, { to }, key);
  const edit = (id: string, who: Member, json: unknown) =>
    api.patch<InvoiceDocument>(`/invoices/${id}`, {
      token: who.token,
      json,
    }) as Promise<InvoiceAnswer>;
  const byHand = (contractId: string, extra: Record<string, unknown> = {}) => ({
    contractId,
    source: { kind: 'manual' },
    lines: [{ description: 'Design review', quantityThousandths: 2_000, unitPriceMinor: 5_000 }],
    ...extra,
  });

  function expectCreated(answer: InvoiceAnswer, label = 'create'): InvoiceDocument {
    expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBe(201);
    return answer.body;
  }

  function expectProblem(
    answer: InvoiceAnswer | HttpAnswer<unknown>,
    status: number,
    type: string,
    detail: RegExp,
    pointers?: string[],
  ) {
    const problem = answer.body as Problem;
    expect(answer.status, JSON.stringify(problem)).toBe(status);
    expect(problem.type).toBe(type);
    expect(problem.detail).toMatch(detail);
    if (pointers) expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(pointers.sort());
  }

  const invoiceRows = () =>
    server.db.kysely.selectFrom('invoices').select(['id', 'seq', 'status']).orderBy('id').execute();

  /** The audit rows about one invoice, oldest first: action, who, request, details. */
  async function auditOf(invoiceId: string) {
    const rows = await server.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'user_id', 'session_id', 'request_id', 'details'])
      .where('action', 'like', 'invoice.%')
      .orderBy('id')
      .execute();
    return rows
      .map((row) => ({
        action: row.action,
        userId: row.user_id,
        sessionId: row.session_id,
        requestId: row.request_id,
        details: JSON.parse(row.details ?? '{}') as Record<string, unknown>,
      }))
      .filter((row) => row.details.invoiceId === invoiceId);
  }

  /** What a user was told about one invoice (by its link), oldest first. */
  const noticesOf = (userId: string, invoiceId: string) =>
    server.db.kysely
      .selectFrom('notifications')
      .select(['title', 'body', 'link'])
      .where('user_id', '=', userId)
      .where('link', '=', `/invoices/${invoiceId}`)
      .orderBy('created_at')
      .orderBy('seq')
      .execute();

  it('invoices a week’s approved time at exactly the amounts the time module billed', async () => {
    const hourly = await contract('hourly');
    // Monday: two slots, one of 7 min 13 s (an amount that rounds); Tuesday: one slot;
    // Thursday: a manual hour and seven minutes. Two weeks ago: time that is never approved.
    const monday = trackedEntry(hourly, [
      { start: at(lastWeek, 0, 9) },
      { start: at(lastWeek, 0, 9, 10), billedMs: 7 * minuteMs + 13_000 },
    ]);
    const tuesday = trackedEntry(hourly, [{ start: at(lastWeek, 1, 11) }]);
    const call = manualEntry(hourly, at(lastWeek, 3, 14), at(lastWeek, 3, 15, 7));
    const unapproved = trackedEntry(hourly, [{ start: at(twoWeeksAgo, 2, 9) }]);
    const pushed = await sync.push('timeEntries', freelancer, [
      created(monday),
      created(tuesday),
      created(call),
      created(unapproved),
    ]);
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);

    const before = await invoiceRows();
    const notYet = await createInvoice(freelancer, {
      contractId: hourly.contractId,
      source: { kind: 'week', week: lastWeek },
    });
    expectProblem(notYet, 409, problemTypes.conflict, /no approved billable time/);
    expect(await invoiceRows()).toEqual(before);

    // The client approves last week through the real review flow; Tuesday's slot is disputed.
    const reviewed = await sync.push('timeReviews', owner, [
      created(approvalOf(hourly.contractId, owner, lastWeek)),
      created(
        disputeOf(hourly.contractId, owner, lastWeek, [
          { entryId: tuesday.id, start: tuesday.segments[0]?.start ?? '' },
        ]),
      ),
    ]);
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    const entries = (await sync.pullAll('timeEntries', freelancer)).documents.filter(
      (e) => e.contractId === hourly.contractId,
    );
    const approved = entries.filter((e) => e.status === 'approved');
    expect(approved.map((e) => e.id).sort()).toEqual([monday.id, call.id].sort());

    const answer = await createInvoice(freelancer, {
      contractId: hourly.contractId,
      source: { kind: 'week', week: lastWeek },
      taxRateBps: 2_000,
      notes: 'Thank you',
    });
    const invoice = expectCreated(answer);
    // One line per day of approved time, each the sum of that day's billed amounts.
    const amountOf = (id: string) => approved.find((e) => e.id === id)?.amount?.amountMinor ?? -1;
    expect(invoice.lines).toEqual([
      {
        description: `Hours worked on Mon ${lastWeek}`,
        quantityThousandths: Math.floor((monday.billedMs + 1_800) / 3_600),
        unitPriceMinor: 4_500,
        amountMinor: amountOf(monday.id),
      },
      {
        description: `Hours worked on Thu ${call.day}`,
        quantityThousandths: Math.floor((call.billedMs + 1_800) / 3_600),
        unitPriceMinor: 4_500,
        amountMinor: amountOf(call.id),
      },
    ]);
    // 17 min 13 s and 67 min at 45 EUR/h: 12.91 (12.9125 rounded once) and 50.25.
    expect(invoice.lines.map((l) => l.amountMinor)).toEqual([1_291, 5_025]);
    expect(invoice).toMatchObject({
      issuerId: freelancer.id,
      issuerName: 'Fiona Freelancer',
      recipientId: owner.id,
      recipientName: 'Olivia Owner',
      contractId: hourly.contractId,
      source: { kind: 'week', week: lastWeek, milestoneId: null },
      currency: 'EUR',
      subtotalMinor: 6_316,
      // 20 % of 63.16 is 12.632: rounded half up once, on the subtotal.
      taxMinor: 1_263,
      totalMinor: 7_579,
      status: 'draft',
      number: null,
      sequence: null,
      issueDate: null,
      dueDate: daysFromToday(14),
      notes: 'Thank you',
    });

    // The same week again, the client, a week not named by its Monday, a week without time.
    const again = await createInvoice(freelancer, {
      contractId: hourly.contractId,
      source: { kind: 'week', week: lastWeek },
    });
    expectProblem(again, 409, problemTypes.conflict, new RegExp(`already an invoice.*${lastWeek}`));
    const byClient = await createInvoice(owner, {
      contractId: hourly.contractId,
      source: { kind: 'week', week: lastWeek },
    });
    expectProblem(byClient, 403, problemTypes.forbidden, /Only the contract’s freelancer/);
    const tuesdayWeek = await createInvoice(freelancer, {
      contractId: hourly.contractId,
      source: { kind: 'week', week: tuesday.day },
    });
    expectProblem(tuesdayWeek, 422, problemTypes.validation, /1 invalid field/, ['/source/week']);
    const empty = await createInvoice(freelancer, {
      contractId: hourly.contractId,
      source: { kind: 'week', week: twoWeeksAgo },
    });
    expectProblem(empty, 409, problemTypes.conflict, new RegExp(twoWeeksAgo));
    const stranger = await createInvoice(outsider, {
      contractId: hourly.contractId,
      source: { kind: 'week', week: lastWeek },
    });
    expectProblem(stranger, 422, problemTypes.validation, /not a party/, ['/contractId']);
    expect((await invoiceRows()).length).toBe(before.length + 1);

    // Voided, the week may be invoiced again.
    expect((await transition(invoice.id, freelancer, 'void')).status).toBe(200);
    expectCreated(
      await createInvoice(freelancer, {
        contractId: hourly.contractId,
        source: { kind: 'week', week: lastWeek },
      }),
      're-invoice after void',
    );
  });

  it('invoices a released milestone, and nothing before it is released', async () => {
    const fixed = await contract('fixed');
    const milestones = await server.db.kysely
      .selectFrom('milestones')
      .selectAll()
      .where('contract_id', '=', fixed.contractId)
      .orderBy('position')
      .execute();
    const milestone = milestones[0];
    if (!milestone) throw new Error('the fixed contract has no milestone');
    const source = { kind: 'milestone', milestoneId: milestone.id };

    const pending = await createInvoice(freelancer, { contractId: fixed.contractId, source });
    expectProblem(pending, 409, problemTypes.conflict, /is pending; only a released milestone/);

    // Releasing is the escrow module's: here the milestone's row is set as release leaves it.
    await server.db.kysely
      .updateTable('milestones')
      .set({ status: 'released' })
      .where('id', '=', milestone.id)
      .execute();
    const invoice = expectCreated(
      await createInvoice(freelancer, { contractId: fixed.contractId, source, taxRateBps: 0 }),
    );
    expect(invoice.lines).toEqual([
      {
        description: milestone.title,
        quantityThousandths: 1_000,
        unitPriceMinor: milestone.amount_minor,
        amountMinor: milestone.amount_minor,
      },
    ]);
    expect(invoice).toMatchObject({
      source: { kind: 'milestone', week: null, milestoneId: milestone.id },
      subtotalMinor: milestone.amount_minor,
      taxMinor: 0,
      totalMinor: milestone.amount_minor,
      currency: milestone.currency,
    });

    const twice = await createInvoice(freelancer, { contractId: fixed.contractId, source });
    expectProblem(twice, 409, problemTypes.conflict, /already an invoice for this milestone/);
    const otherFixed = await contract('fixed');
    const elsewhere = await createInvoice(freelancer, {
      contractId: otherFixed.contractId,
      source,
    });
    expectProblem(elsewhere, 422, problemTypes.validation, /not one of this contract’s/, [
      '/source/milestoneId',
    ]);
  });

  it('totals lines by hand with tax rounded half up once, and refuses bad input precisely', async () => {
    const hourly = await contract('hourly');
    const invoice = expectCreated(
      await createInvoice(freelancer, {
        contractId: hourly.contractId,
        source: { kind: 'manual' },
        lines: [
          // 1.5 × 33.33 = 49.995 → 50.00; 0.333 × 10.01 = 3.33333 → 3.33
          { description: 'Workshop', quantityThousandths: 1_500, unitPriceMinor: 3_333 },
          { description: 'Materials', quantityThousandths: 333, unitPriceMinor: 1_001 },
        ],
        taxRateBps: 825,
        dueDate: daysFromToday(30),
      }),
    );
    expect(invoice.lines.map((l) => l.amountMinor)).toEqual([5_000, 333]);
    // 8.25 % of 53.33 = 4.399725 → 4.40.
    expect(invoice).toMatchObject({
      subtotalMinor: 5_333,
      taxMinor: 440,
      totalMinor: 5_773,
      taxRateBps: 825,
      dueDate: daysFromToday(30),
      source: { kind: 'manual', week: null, milestoneId: null },
    });

    const before = await invoiceRows();
    const refusals: Array<[string, unknown, string[]]> = [
      [
        'no lines by hand',
        { contractId: hourly.contractId, source: { kind: 'manual' } },
        ['/lines'],
      ],
      [
        'lines for a week',
        { ...byHand(hourly.contractId), source: { kind: 'week', week: lastWeek } },
        ['/lines'],
      ],
      [
        'a negative price',
        byHand(hourly.contractId, {
          lines: [{ description: 'x', quantityThousandths: 1_000, unitPriceMinor: -1 }],
        }),
        ['/lines/0/unitPriceMinor'],
      ],
      [
        'a zero quantity and an empty description',
        byHand(hourly.contractId, {
          lines: [{ description: ' ', quantityThousandths: 0, unitPriceMinor: 1 }],
        }),
        ['/lines/0/description', '/lines/0/quantityThousandths'],
      ],
      [
        'a tax rate above 100 %',
        byHand(hourly.contractId, { taxRateBps: 10_001 }),
        ['/taxRateBps'],
      ],
      [
        'an unknown source',
        { ...byHand(hourly.contractId), source: { kind: 'gift' } },
        ['/source/kind'],
      ],
      [
        'a due date in the past',
        byHand(hourly.contractId, { dueDate: daysFromToday(-1) }),
        ['/dueDate'],
      ],
      ['an unknown field', byHand(hourly.contractId, { discount: 5 }), ['/discount']],
    ];
    for (const [label, json, pointers] of refusals) {
      const answer = await createInvoice(freelancer, json);
      expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBe(422);
      const problem = answer.body as unknown as Problem;
      expect(problem.type, label).toBe(problemTypes.validation);
      expect(problem.errors?.map((e) => e.pointer).sort(), label).toEqual(pointers.sort());
    }
    const tooLarge = await createInvoice(
      freelancer,
      byHand(hourly.contractId, {
        lines: Array.from({ length: 20 }, () => ({
          description: 'A lot',
          quantityThousandths: 1_000_000,
          unitPriceMinor: 1_000_000_000_000,
        })),
      }),
    );
    expectProblem(tooLarge, 422, problemTypes.validation, /too large/, ['/lines']);
    const lineTooLarge = await createInvoice(
      freelancer,
      byHand(hourly.contractId, {
        lines: [
          { description: 'Fine', quantityThousandths: 1_000, unitPriceMinor: 1 },
          {
            description: 'Huge',
            quantityThousandths: 1_000_000_000,
            unitPriceMinor: 1_000_000_000_000,
          },
        ],
      }),
    );
    expectProblem(lineTooLarge, 422, problemTypes.validation, /Line 2: .*too large/, ['/lines/1']);
    const noKey = await api.post('/invoices', {
      token: freelancer.token,
      json: byHand(hourly.contractId),
    });
    expectProblem(noKey, 400, problemTypes.idempotencyKeyRequired, /Idempotency-Key/);
    expect(await invoiceRows()).toEqual(before);
  });

  it('moves through its lifecycle: edits as a draft, numbered when sent, final when paid or void', async () => {
    const hourly = await contract('hourly');
    const draft = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));

    const edited = await edit(draft.id, freelancer, {
      lines: [
        { description: 'Design review', quantityThousandths: 3_000, unitPriceMinor: 5_000 },
        { description: 'Travel', quantityThousandths: 1_000, unitPriceMinor: 1_999 },
      ],
      taxRateBps: 1_000,
      dueDate: daysFromToday(7),
      notes: 'Net 7',
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      subtotalMinor: 16_999,
      // 10 % of 169.99 = 16.999 → 17.00
      taxMinor: 1_700,
      totalMinor: 18_699,
      dueDate: daysFromToday(7),
      notes: 'Net 7',
      status: 'draft',
    });
    expectProblem(
      await edit(draft.id, owner, { notes: 'mine' }),
      403,
      problemTypes.forbidden,
      /issuer/,
    );
    expectProblem(
      await edit(draft.id, outsider, { notes: 'x' }),
      404,
      problemTypes.notFound,
      /no such invoice/,
    );
    expectProblem(
      await edit(draft.id, freelancer, {}),
      422,
      problemTypes.validation,
      /invalid field/,
    );
    expectProblem(
      await edit(draft.id, freelancer, { dueDate: daysFromToday(-2) }),
      422,
      problemTypes.validation,
      /in the past/,
      ['/dueDate'],
    );

    const paidDraft = await transition(draft.id, freelancer, 'paid');
    expectProblem(
      paidDraft,
      409,
      problemTypes.invalidTransition,
      /A draft invoice can become sent or void, not paid/,
    );
    expect((paidDraft.body as unknown as Problem).allowed).toEqual(['sent', 'void']);
    expectProblem(
      await transition(draft.id, freelancer, 'overdue'),
      409,
      problemTypes.invalidTransition,
      /A draft invoice can become sent or void, not overdue/,
    );
    expectProblem(await transition(draft.id, owner, 'sent'), 403, problemTypes.forbidden, /issuer/);
    expectProblem(
      await transition(draft.id, otherClient, 'sent'),
      404,
      problemTypes.notFound,
      /no such invoice/,
    );
    expectProblem(
      await transition(draft.id, freelancer, 'archived'),
      422,
      problemTypes.validation,
      /invalid field/,
      ['/to'],
    );

    const key = randomUUID();
    const sent = await transition(draft.id, freelancer, 'sent', key);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toMatchObject({
      status: 'sent',
      issueDate: today(),
      number: expect.stringMatching(/^INV-\d{4}$/) as unknown,
    });
    expect(sent.body.sentAt).not.toBeNull();
    // A retried send answers the same, and takes no second number.
    const replay = await transition(draft.id, freelancer, 'sent', key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(sent.body);
    const counter = await server.db.kysely
      .selectFrom('invoice_counters')
      .select('last_sequence')
      .where('issuer_id', '=', freelancer.id)
      .executeTakeFirstOrThrow();
    expect(counter.last_sequence).toBe(sent.body.sequence);

    expectProblem(
      await edit(draft.id, freelancer, { notes: 'late' }),
      409,
      problemTypes.conflict,
      /The invoice is sent; only a draft can be edited/,
    );
    const resend = await transition(draft.id, freelancer, 'sent');
    expectProblem(
      resend,
      409,
      problemTypes.invalidTransition,
      /A sent invoice can become paid or void, not sent/,
    );
    expectProblem(
      await transition(draft.id, freelancer, 'overdue'),
      409,
      problemTypes.invalidTransition,
      /becomes overdue by itself once its due date has passed/,
    );

    const paid = await transition(draft.id, freelancer, 'paid');
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', number: sent.body.number });
    expect(paid.body.paidAt).not.toBeNull();
    const voidPaid = await transition(draft.id, freelancer, 'void');
    expectProblem(
      voidPaid,
      409,
      problemTypes.invalidTransition,
      /A paid invoice is final; it cannot become void/,
    );
    expect((voidPaid.body as unknown as Problem).allowed).toEqual([]);

    // A sent invoice voided keeps its number; a draft voided never had one.
    const second = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));
    const secondSent = await transition(second.id, freelancer, 'sent');
    expect(secondSent.body.sequence).toBe((sent.body.sequence ?? 0) + 1);
    const voided = await transition(second.id, freelancer, 'void');
    expect(voided.body).toMatchObject({ status: 'void', number: secondSent.body.number });
    expect(voided.body.voidedAt).not.toBeNull();
    expectProblem(
      await transition(second.id, freelancer, 'paid'),
      409,
      problemTypes.invalidTransition,
      /void invoice is final/,
    );
    const third = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));
    const voidedDraft = await transition(third.id, freelancer, 'void');
    expect(voidedDraft.body).toMatchObject({ status: 'void', number: null, sequence: null });

    // A draft whose due date passed while it waited is not sent until the date is changed.
    const stale = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));
    await server.db.kysely
      .updateTable('invoices')
      .set({ due_date: daysFromToday(-1) })
      .where('id', '=', stale.id)
      .execute();
    expectProblem(
      await transition(stale.id, freelancer, 'sent'),
      422,
      problemTypes.validation,
      /before today’s issue date/,
      ['/dueDate'],
    );
    const fixedDue = await edit(stale.id, freelancer, { dueDate: today() });
    expect(fixedDue.status).toBe(200);
    const staleSent = await transition(stale.id, freelancer, 'sent');
    // The refused send took no number: the next one follows the voided invoice’s directly.
    expect(staleSent.body.sequence).toBe((secondSent.body.sequence ?? 0) + 1);
  });

  it('marks a sent invoice overdue once its due date has passed, and lets it be paid', async () => {
    const hourly = await contract('hourly');
    const invoice = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));
    const sent = await transition(invoice.id, freelancer, 'sent');
    expect(sent.status).toBe(200);
    const draft = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));
    // Time passes: both due dates are now yesterday's.
    await server.db.kysely
      .updateTable('invoices')
      .set({ due_date: daysFromToday(-1) })
      .where('id', 'in', [invoice.id, draft.id])
      .execute();
    let status = sent.body.status;
    for (let tries = 0; tries < 100 && status !== 'overdue'; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await api.get<InvoiceDocument>(`/invoices/${invoice.id}`, { token: owner.token }))
        .body.status;
    }
    expect(status).toBe('overdue');
    // Only sent invoices become overdue; the client's device hears it through sync.
    const stillDraft = await api.get<InvoiceDocument>(`/invoices/${draft.id}`, {
      token: freelancer.token,
    });
    expect(stillDraft.body.status).toBe('draft');
    const pulled = (await sync.pullAll('invoices', owner)).documents.find(
      (d) => d.id === invoice.id,
    );
    expect(pulled?.status).toBe('overdue');
    // The sweep's doing: audited with no user or request, and both parties are told.
    const overdueAudit = (await auditOf(invoice.id)).filter((r) => r.action === 'invoice.overdue');
    expect(overdueAudit).toEqual([
      {
        action: 'invoice.overdue',
        userId: null,
        sessionId: null,
        requestId: null,
        details: expect.objectContaining({
          number: sent.body.number,
          totalMinor: sent.body.totalMinor,
          status: 'overdue',
          from: 'sent',
        }) as unknown,
      },
    ]);
    const number = sent.body.number ?? '';
    const total = formatMoney({ amountMinor: sent.body.totalMinor, currency: sent.body.currency });
    expect((await noticesOf(owner.id, invoice.id)).at(-1)).toEqual({
      title: `Invoice ${number} is overdue`,
      body: `Invoice ${number} from Fiona Freelancer: ${total}, due ${daysFromToday(-1)} was due ${daysFromToday(-1)} and is not marked paid.`,
      link: `/invoices/${invoice.id}`,
    });
    expect(await noticesOf(freelancer.id, invoice.id)).toEqual([
      {
        title: `Invoice ${number} is overdue`,
        body: `Your invoice ${number} to Olivia Owner (${total}) was due ${daysFromToday(-1)} and is not marked paid.`,
        link: `/invoices/${invoice.id}`,
      },
    ]);
    expect(await noticesOf(owner.id, draft.id)).toEqual([]);
    const paid = await transition(invoice.id, freelancer, 'paid');
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('paid');
  });

  it('audits each change in its transaction and tells the recipient when sent, paid or voided', async () => {
    const hourly = await contract('hourly');
    const draft = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));
    const edited = await edit(draft.id, freelancer, { notes: 'Net 14', taxRateBps: 500 });
    expect(edited.status).toBe(200);

    // Refused commands write no audit row and tell no one.
    const refusedCount = async () => (await auditOf(draft.id)).length;
    const before = await refusedCount();
    expect((await edit(draft.id, owner, { notes: 'mine' })).status).toBe(403);
    expect((await transition(draft.id, owner, 'sent')).status).toBe(403);
    expect((await transition(draft.id, freelancer, 'paid')).status).toBe(409);
    expect(await refusedCount()).toBe(before);
    expect(await noticesOf(owner.id, draft.id)).toEqual([]);

    const sent = await transition(draft.id, freelancer, 'sent');
    expect(sent.status).toBe(200);
    const paid = await transition(draft.id, freelancer, 'paid');
    expect(paid.status).toBe(200);

    const audit = await auditOf(draft.id);
    expect(audit.map((row) => row.action)).toEqual([
      'invoice.created',
      'invoice.updated',
      'invoice.sent',
      'invoice.paid',
    ]);
    for (const row of audit) {
      expect(row.userId).toBe(freelancer.id);
      expect(row.sessionId).toEqual(expect.any(String));
      expect(row.requestId).toEqual(expect.any(String));
    }
    expect(audit[1]?.details).toMatchObject({ changed: ['notes', 'taxRateBps'] });
    expect(audit[2]?.details).toMatchObject({
      invoiceId: draft.id,
      number: sent.body.number,
      contractId: hourly.contractId,
      issuerId: freelancer.id,
      recipientId: owner.id,
      totalMinor: sent.body.totalMinor,
      currency: sent.body.currency,
      status: 'sent',
      from: 'draft',
    });
    expect(audit[3]?.details).toMatchObject({ status: 'paid', from: 'sent' });

    const number = sent.body.number ?? '';
    const total = formatMoney({ amountMinor: sent.body.totalMinor, currency: sent.body.currency });
    expect(await noticesOf(owner.id, draft.id)).toEqual([
      {
        title: `Invoice ${number} from Fiona Freelancer`,
        body: `Invoice ${number} from Fiona Freelancer: ${total}, due ${sent.body.dueDate}.`,
        link: `/invoices/${draft.id}`,
      },
      {
        title: `Invoice ${number} marked paid`,
        body: `Fiona Freelancer marked invoice ${number} (${total}) as paid.`,
        link: `/invoices/${draft.id}`,
      },
    ]);
    // The issuer did it: they are not told.
    expect(await noticesOf(freelancer.id, draft.id)).toEqual([]);

    const second = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));
    const secondSent = await transition(second.id, freelancer, 'sent');
    const voided = await transition(second.id, freelancer, 'void');
    expect(voided.status).toBe(200);
    const secondNumber = secondSent.body.number ?? '';
    expect((await noticesOf(owner.id, second.id)).at(-1)).toEqual({
      title: `Invoice ${secondNumber} voided`,
      body: `Fiona Freelancer voided invoice ${secondNumber} (${formatMoney({ amountMinor: secondSent.body.totalMinor, currency: secondSent.body.currency })}); nothing is owed on it.`,
      link: `/invoices/${second.id}`,
    });
    expect((await auditOf(second.id)).at(-1)).toMatchObject({
      action: 'invoice.voided',
      userId: freelancer.id,
      details: { status: 'void', from: 'sent' },
    });
  });

  it('numbers an issuer’s invoices 1..n without gaps or duplicates when sent all at once', async () => {
    const issuer = await signUpAs(server, 'freelancer', 'Nina Numbers');
    const hourly = await contract('hourly', issuer);
    const drafts: InvoiceDocument[] = [];
    for (let i = 0; i < 22; i += 1) {
      drafts.push(
        expectCreated(
          await createInvoice(issuer, byHand(hourly.contractId, { notes: `draft ${i}` })),
        ),
      );
    }
    // Two of them cannot be sent (their due date passed): their refusals must take no number.
    const doomed = drafts.slice(0, 2).map((d) => d.id);
    await server.db.kysely
      .updateTable('invoices')
      .set({ due_date: daysFromToday(-3) })
      .where('id', 'in', doomed)
      .execute();
    const answers = await Promise.all(drafts.map((d) => transition(d.id, issuer, 'sent')));
    const sent = answers.filter((a) => a.status === 200).map((a) => a.body);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused.map((a) => a.status)).toEqual([422, 422]);
    expect(sent).toHaveLength(20);
    const sequences = sent.map((d) => d.sequence ?? 0).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(sent.map((d) => d.number)).size).toBe(20);
    for (const invoice of sent) {
      expect(invoice.number).toBe(`INV-${String(invoice.sequence).padStart(4, '0')}`);
    }
    // Stored as answered, and the counter stands at the last number given.
    const stored = await server.db.kysely
      .selectFrom('invoices')
      .select(['sequence'])
      .where('issuer_id', '=', issuer.id)
      .where('sequence', 'is not', null)
      .orderBy('sequence')
      .execute();
    expect(stored.map((r) => r.sequence)).toEqual(sequences);
    const counter = await server.db.kysely
      .selectFrom('invoice_counters')
      .select('last_sequence')
      .where('issuer_id', '=', issuer.id)
      .executeTakeFirstOrThrow();
    expect(counter.last_sequence).toBe(20);

    // One draft sent five times at once (five keys: five intents): one number, four refusals.
    const racer = expectCreated(await createInvoice(issuer, byHand(hourly.contractId)));
    const race = await Promise.all(
      Array.from({ length: 5 }, () => transition(racer.id, issuer, 'sent')),
    );
    expect(race.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    for (const lost of race.filter((a) => a.status === 409)) {
      expectProblem(lost, 409, problemTypes.invalidTransition, /A sent invoice can become/);
    }
    expect(race.find((a) => a.status === 200)?.body.sequence).toBe(21);
    const after = await server.db.kysely
      .selectFrom('invoice_counters')
      .select('last_sequence')
      .where('issuer_id', '=', issuer.id)
      .executeTakeFirstOrThrow();
    expect(after.last_sequence).toBe(21);
  });

  it('renders a PDF holding the parties, number, dates and formatted totals, to the parties only', async () => {
    const hourly = await contract('hourly');
    const invoice = expectCreated(
      await createInvoice(freelancer, {
        ...byHand(hourly.contractId, { taxRateBps: 1_950, notes: 'Bank transfer please' }),
        lines: [
          { description: 'Landing page build', quantityThousandths: 12_250, unitPriceMinor: 8_000 },
          { description: 'Stock photos', quantityThousandths: 3_000, unitPriceMinor: 1_499 },
        ],
      }),
    );
    const pdfOf = async (who: Member | null, id = invoice.id) => {
      const response = await fetch(`${server.baseUrl}/api/v1/invoices/${id}/pdf`, {
        headers: who ? { authorization: `Bearer ${who.token}` } : {},
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        bytes: new Uint8Array(await response.arrayBuffer()),
      };
    };
    const textOf = async (bytes: Uint8Array) => {
      // pdf.js takes the buffer over (detaches it): hand it a copy.
      const { text } = await extractText(await getDocumentProxy(bytes.slice()), {
        mergePages: true,
      });
      return text;
    };
    const eur = (amountMinor: number) => formatMoney({ amountMinor, currency: 'EUR' });

    const draftPdf = await pdfOf(owner);
    expect(draftPdf.status).toBe(200);
    expect(draftPdf.type).toBe('application/pdf');
    expect(Buffer.from(draftPdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const draftText = await textOf(draftPdf.bytes);
    expect(draftText).toContain('DRAFT');
    expect(draftText).toContain('Not numbered until sent');

    const sent = (await transition(invoice.id, freelancer, 'sent')).body;
    const pdf = await pdfOf(freelancer);
    expect(pdf.status).toBe(200);
    const text = await textOf(pdf.bytes);
    // 12.25 h × 80.00 = 980.00; 3 × 14.99 = 44.97; 19.5 % of 1,024.97 = 199.86915 → 199.87.
    expect(sent).toMatchObject({ subtotalMinor: 102_497, taxMinor: 19_987, totalMinor: 122_484 });
    for (const expected of [
      'INVOICE',
      sent.number ?? 'no number',
      'Fiona Freelancer',
      'Olivia Owner',
      `Issue date: ${today()}`,
      `Due date: ${sent.dueDate}`,
      'Status: Sent',
      'Landing page build',
      '12.25',
      eur(8_000),
      eur(98_000),
      eur(4_497),
      eur(102_497),
      'Tax (19.5%)',
      eur(19_987),
      eur(122_484),
      'Bank transfer please',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('DRAFT');
    // Same invoice, same bytes.
    expect(Buffer.from((await pdfOf(owner)).bytes).equals(Buffer.from(pdf.bytes))).toBe(true);

    for (const [who, id] of [
      [outsider, invoice.id],
      [otherClient, invoice.id],
      [owner, randomUUID()],
      [owner, 'not-a-uuid'],
    ] as const) {
      const refused = await pdfOf(who, id);
      expect(refused.status).toBe(404);
      expect(refused.type).toContain('application/problem+json');
    }
    expect((await pdfOf(null)).status).toBe(401);
  });

  it('documents every invoice endpoint in the OpenAPI document', async () => {
    const document = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(document.paths['/api/v1/invoices'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/api/v1/invoices/{id}'] ?? {}).sort()).toEqual([
      'get',
      'patch',
    ]);
    expect(Object.keys(document.paths['/api/v1/invoices/{id}/transition'] ?? {})).toEqual(['post']);
    expect(Object.keys(document.paths['/api/v1/invoices/{id}/pdf'] ?? {})).toEqual(['get']);
    for (const schema of [
      'InvoiceDocument',
      'CreateInvoice',
      'UpdateInvoice',
      'InvoiceTransition',
    ]) {
      expect(document.components.schemas[schema], schema).toBeDefined();
    }
  });

  it('shows invoices to their issuer and recipient only: reads, list filters and sync pulls', async () => {
    const hourly = await contract('hourly');
    const invoice = expectCreated(await createInvoice(freelancer, byHand(hourly.contractId)));
    const sent = (await transition(invoice.id, freelancer, 'sent')).body;

    for (const who of [freelancer, owner]) {
      const read = await api.get<InvoiceDocument>(`/invoices/${invoice.id}`, { token: who.token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(sent);
      const pulled = await sync.pullAll('invoices', who);
      expect(pulled.documents.find((d) => d.id === invoice.id)).toEqual({
        ...sent,
        _deleted: false,
      });
    }
    for (const who of [outsider, otherClient]) {
      const read = await api.get<Problem>(`/invoices/${invoice.id}`, { token: who.token });
      expectProblem(read, 404, problemTypes.notFound, /no such invoice/);
      const pulled = await sync.pullAll('invoices', who);
      expect(pulled.documents.some((d) => d.id === invoice.id)).toBe(false);
      const list = await api.get<{ invoices: InvoiceDocument[] }>('/invoices', {
        token: who.token,
      });
      expect(list.body.invoices.some((d) => d.id === invoice.id)).toBe(false);
    }

    const list = async (who: Member, query: string) =>
      (await api.get<{ invoices: InvoiceDocument[] }>(`/invoices${query}`, { token: who.token }))
        .body.invoices;
    expect((await list(owner, '?role=recipient')).some((d) => d.id === invoice.id)).toBe(true);
    expect((await list(owner, '?role=issuer')).some((d) => d.id === invoice.id)).toBe(false);
    const sentOnes = await list(freelancer, '?status=sent');
    expect(sentOnes.some((d) => d.id === invoice.id)).toBe(true);
    expect(sentOnes.every((d) => d.status === 'sent' && d.issuerId === freelancer.id)).toBe(true);
    expect((await list(freelancer, '?status=draft')).some((d) => d.id === invoice.id)).toBe(false);
    const all = await list(freelancer, '');
    expect(all.map((d) => d.createdAt)).toEqual([...all.map((d) => d.createdAt)].sort().reverse());
    expectProblem(
      await api.get('/invoices?status=lost', { token: owner.token }),
      422,
      problemTypes.validation,
      /query string/,
      ['/status'],
    );

    // Devices only read invoices: a push is refused and writes nothing.
    const checkpoint = (await sync.pullAll('invoices', owner)).checkpoint;
    const pushed = await sync.push('invoices', owner, [
      {
        newDocumentState: { ...sent, _deleted: false, status: 'paid' },
        assumedMasterState: { ...sent, _deleted: false },
      },
    ]);
    expect(pushed.status).toBe(403);
    expect((pushed.body as Problem).errors?.map((e) => e.pointer)).toEqual([
      '/0/newDocumentState/status',
    ]);
    const after = await sync.pull('invoices', owner, checkpoint);
    expect(after.body.documents).toEqual([]);
  });
});
