/**
 * The Marketplace screens' pure parts: how search excerpts are split (never parsed as markup),
 * how the server's field errors find their fields, how typed amounts become minor units, and
 * how the search screen's address becomes a request.
 */
import { describe, expect, it } from 'vitest';
import { ProblemError, problemTypes } from '../../shared/api/problem.ts';
import { createProposalInputSchema } from '../../shared/marketplace/proposals.ts';
import {
  applyServerErrors,
  inMoney,
  pointerPath,
} from '../../src-renderer/features/marketplace/form-problems.ts';
import { buildMilestones } from '../../src-renderer/features/marketplace/milestone-plan.ts';
import { parseAmount } from '../../src-renderer/features/marketplace/money-fields.ts';
import { projectFieldFor } from '../../src-renderer/features/marketplace/project-form.ts';
import {
  buildProposalInput,
  proposalFieldFor,
  validateProposal,
  type ProposalValues,
} from '../../src-renderer/features/marketplace/proposal-form.ts';
import {
  searchRequest,
  validateSearchParams,
} from '../../src-renderer/features/marketplace/search-params.ts';
import { snippetParts } from '../../src-renderer/features/marketplace/snippet-parts.ts';

describe('search excerpts', () => {
  it('splits marked words out and decodes the escaping, leaving markup as text', () => {
    expect(
      snippetParts(
        'A &lt;script&gt;alert(1)&lt;/script&gt; <mark>time</mark> &amp; <mark>tracker</mark>…',
      ),
    ).toEqual([
      { text: 'A <script>alert(1)</script> ', marked: false },
      { text: 'time', marked: true },
      { text: ' & ', marked: false },
      { text: 'tracker', marked: true },
      { text: '…', marked: false },
    ]);
  });

  it('does not decode twice: an escaped entity stays the entity’s text', () => {
    expect(snippetParts('&amp;lt;b&amp;gt;')).toEqual([{ text: '&lt;b&gt;', marked: false }]);
  });
});

describe('server field errors on form fields', () => {
  const refused = (errors: { pointer: string; detail: string }[]) =>
    new ProblemError({
      type: problemTypes.validation,
      title: 'Invalid request body',
      status: 422,
      errors,
    });

  it('reads JSON pointers, escapes included', () => {
    expect(pointerPath('/milestonePlan/1/amount/amountMinor')).toEqual([
      'milestonePlan',
      '1',
      'amount',
      'amountMinor',
    ]);
    expect(pointerPath('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  });

  it('puts each error on its field, however deep, with money said as money', () => {
    const set: Record<string, string> = {};
    const left = applyServerErrors(
      refused([
        {
          pointer: '/milestonePlan',
          detail: 'must sum to the bid of 240000 minor units, not 200000',
        },
        { pointer: '/milestonePlan/1/title', detail: 'must not be empty' },
        { pointer: '/bid/amount/amountMinor', detail: 'must be at least 1 minor unit' },
        { pointer: '/somethingElse', detail: 'is not known' },
      ]),
      (field, message) => (set[field] = message),
      proposalFieldFor,
      'EUR',
    );
    expect(set).toEqual({
      milestones: 'Must sum to the bid of €2,400.00, not €2,000.00',
      'milestones.1.title': 'Must not be empty',
      amount: 'Must be at least €0.01',
    });
    expect(left).toBe('/somethingElse: is not known');
  });

  it('maps a project body’s budget to its three fields', () => {
    expect(projectFieldFor(['budget', 'min', 'amountMinor'])).toBe('budgetMin');
    expect(projectFieldFor(['budget', 'max', 'amountMinor'])).toBe('budgetMax');
    expect(projectFieldFor(['budget', 'max', 'currency'])).toBe('currency');
    expect(projectFieldFor(['deadline'])).toBe('deadline');
    expect(projectFieldFor(['publish'])).toBeUndefined();
  });

  it('leaves a message alone when the currency is not known', () => {
    expect(inMoney('must be at least 1 minor unit', undefined)).toBe(
      'must be at least 1 minor unit',
    );
    expect(inMoney('must be at least 100 minor units', 'JPY')).toBe('must be at least ¥100');
  });
});

describe('typed amounts', () => {
  it('become exact minor units of the currency, or say why not', () => {
    expect(parseAmount('1,250.5', 'EUR')).toEqual({ ok: true, amountMinor: 125_050 });
    expect(parseAmount('', 'EUR')).toEqual({ ok: true, amountMinor: null });
    expect(parseAmount('12.5', 'JPY')).toEqual({
      ok: false,
      error: 'JPY amounts are whole numbers',
    });
    expect(parseAmount('12.345', 'USD')).toEqual({
      ok: false,
      error: 'USD amounts have at most 2 decimal places',
    });
    expect(parseAmount('ten', 'USD')).toEqual({
      ok: false,
      error: 'Enter an amount such as 850.00',
    });
  });

  it('reports each milestone whose amount is not one, at that milestone', () => {
    const rows = [
      { key: 'a', title: 'Design', amount: '500', dueDate: '' },
      { key: 'b', title: 'Build', amount: 'lots', dueDate: '2099-01-01' },
    ];
    expect(buildMilestones(rows, 'USD')).toEqual({
      ok: false,
      errors: { 'milestones.1.amount': 'Enter an amount such as 850.00' },
    });
    rows[1] = { ...rows[1]!, amount: '1500' };
    expect(buildMilestones(rows, 'USD')).toEqual({
      ok: true,
      plan: [
        { title: 'Design', amount: { amountMinor: 50_000, currency: 'USD' }, dueDate: null },
        {
          title: 'Build',
          amount: { amountMinor: 150_000, currency: 'USD' },
          dueDate: '2099-01-01',
        },
      ],
    });
  });
});

describe('a proposal from the form', () => {
  const values: ProposalValues = {
    coverLetter: 'I can do it.',
    amount: '65.50',
    durationDays: '14',
    withPlan: true,
    milestones: [{ key: 'a', title: 'All', amount: '65.50', dueDate: '' }],
  };

  it('is a body the shared schema accepts, of the project’s type and currency', () => {
    const hourly = buildProposalInput(values, { type: 'hourly', currency: 'GBP' });
    expect(hourly).toEqual({
      ok: true,
      input: {
        coverLetter: 'I can do it.',
        bid: { type: 'hourly', rate: { amountMinor: 6_550, currency: 'GBP' } },
        durationDays: 14,
        // A plan is for fixed bids only, whatever the switch says.
        milestonePlan: null,
      },
    });
    const fixed = buildProposalInput(values, { type: 'fixed', currency: 'GBP' });
    expect(fixed.ok && createProposalInputSchema.safeParse(fixed.input).success).toBe(true);
    expect(fixed.ok && fixed.input.milestonePlan).toEqual([
      { title: 'All', amount: { amountMinor: 6_550, currency: 'GBP' }, dueDate: null },
    ]);
  });

  it('shows every problem at once: the shared schema’s and the amounts’', () => {
    expect(
      validateProposal(
        { ...values, coverLetter: '  ', amount: '0', durationDays: 'two weeks', withPlan: false },
        { type: 'fixed', currency: 'USD' },
      ),
    ).toEqual({
      coverLetter: 'Must not be empty',
      amount: 'Must be at least $0.01',
      durationDays: 'Enter a number of days, such as 14',
    });
    expect(
      validateProposal(
        { ...values, amount: '0', withPlan: false },
        { type: 'fixed', currency: 'USD' },
      ),
    ).toEqual({ amount: 'Must be at least $0.01' });
  });
});

describe('the search screen’s address', () => {
  it('keeps only what is well formed', () => {
    expect(
      validateSearchParams({
        q: 'react',
        category: 'not-a-uuid',
        budgetMin: '5000',
        budgetMax: '-1',
        currency: 'XXQ',
        type: 'weekly',
        since: '7',
        sort: 'budget',
      }),
    ).toEqual({ q: 'react', budgetMin: 5000, since: '7', sort: 'budget' });
  });

  it('asks for a budget in a currency, and for "posted within" as an instant', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(searchRequest({ budgetMin: 5000, since: '7' }, now)).toEqual({
      q: undefined,
      categoryId: undefined,
      skills: undefined,
      budgetMin: 5000,
      budgetMax: undefined,
      currency: 'USD',
      type: undefined,
      postedSince: '2026-11-14T12:00:00.000Z',
      sort: undefined,
    });
  });
});
