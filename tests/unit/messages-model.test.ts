import { describe, expect, it } from 'vitest';
import {
  conversationTitle,
  editedFields,
  editProblem,
  literalPattern,
  messagePreview,
  myReceiptAfter,
  ownMessageStatus,
  threadItems,
  typingLine,
  unreadCounts,
} from '../../src-renderer/features/messages/messages-model.ts';

const me = 'me';
const grace = 'grace';
const alan = 'alan';

describe('the rules of the Messages screen', () => {
  it('names a conversation by its title, else by the other people in it', () => {
    const participants = [
      { id: me, name: 'Ada' },
      { id: grace, name: 'Grace Hopper' },
      { id: alan, name: 'Alan Turing' },
    ];
    expect(conversationTitle({ participants, title: null }, me)).toBe('Grace Hopper, Alan Turing');
    expect(conversationTitle({ participants, title: 'Launch' }, me)).toBe('Launch');
  });

  it('counts unread messages from others per conversation', () => {
    const counts = unreadCounts(
      [
        { conversationId: 'c1', senderId: grace, receipts: {} },
        {
          conversationId: 'c1',
          senderId: grace,
          receipts: { [me]: { deliveredAt: 't', readAt: 't' } },
        },
        { conversationId: 'c1', senderId: me, receipts: {} },
        {
          conversationId: 'c2',
          senderId: alan,
          receipts: { [me]: { deliveredAt: 't', readAt: null } },
        },
      ],
      me,
    );
    expect([...counts]).toEqual([
      ['c1', 1],
      ['c2', 1],
    ]);
  });

  it('moves my receipt only forward, and writes nothing when nothing changes', () => {
    expect(myReceiptAfter(undefined, 't1', false)).toEqual({ deliveredAt: 't1', readAt: null });
    expect(myReceiptAfter({ deliveredAt: 't1', readAt: null }, 't2', true)).toEqual({
      deliveredAt: 't1',
      readAt: 't2',
    });
    expect(myReceiptAfter({ deliveredAt: 't1', readAt: 't2' }, 't3', true)).toBeNull();
    expect(myReceiptAfter({ deliveredAt: 't1', readAt: null }, 't3', false)).toBeNull();
  });

  it('shows my message as failed, pending, sent, delivered or read, in that precedence', () => {
    const message = { id: 'm', senderId: me, receipts: {} };
    const none = new Set<string>();
    const noFailures = new Map<string, string>();
    expect(ownMessageStatus(message, none, new Map([['m', 'refused']]))).toEqual({
      kind: 'failed',
      reason: 'refused',
    });
    expect(ownMessageStatus(message, new Set(['m']), noFailures)).toEqual({ kind: 'pending' });
    expect(ownMessageStatus(message, none, noFailures)).toEqual({ kind: 'sent' });
    const delivered = { ...message, receipts: { [grace]: { deliveredAt: 't', readAt: null } } };
    expect(ownMessageStatus(delivered, none, noFailures)).toEqual({ kind: 'delivered' });
    const read = {
      ...message,
      receipts: {
        [grace]: { deliveredAt: 't', readAt: 't' },
        [me]: { deliveredAt: 't', readAt: null },
      },
    };
    expect(ownMessageStatus(read, none, noFailures)).toEqual({ kind: 'read' });
  });

  it('puts a separator before each day and starts a new run on a new sender or after five minutes', () => {
    const items = threadItems(
      [
        { id: '1', senderId: grace, sentAt: '2026-11-20T10:00:00' },
        { id: '2', senderId: grace, sentAt: '2026-11-20T10:02:00' },
        { id: '3', senderId: grace, sentAt: '2026-11-20T10:09:00' },
        { id: '4', senderId: me, sentAt: '2026-11-20T10:10:00' },
        { id: '5', senderId: me, sentAt: '2026-11-21T09:00:00' },
      ],
      (iso) => iso.slice(0, 10),
    );
    expect(
      items.map((item) =>
        item.kind === 'day' ? `day ${item.label}` : `${item.key}${item.firstOfRun ? '*' : ''}`,
      ),
    ).toEqual(['day 2026-11-20', '1*', '2', '3*', '4*', 'day 2026-11-21', '5*']);
  });

  it('previews text, else attachments, and marks my own', () => {
    const file = { hash: 'h', name: 'brief.pdf', size: 1, mimeType: 'application/pdf' };
    expect(
      messagePreview({ body: '  hello\n  there ', attachments: [], senderId: grace }, me),
    ).toBe('hello there');
    expect(messagePreview({ body: '', attachments: [file], senderId: me }, me)).toBe(
      'You: 📎 brief.pdf',
    );
    expect(messagePreview({ body: '', attachments: [file, file], senderId: grace }, me)).toBe(
      '📎 2 files',
    );
  });

  it('searches literally and says who is typing', () => {
    expect(new RegExp(literalPattern('rate ($)?'), 'i').test('Hourly RATE ($)?')).toBe(true);
    expect(typingLine([])).toBeNull();
    expect(typingLine(['Grace'])).toBe('Grace is typing…');
    expect(typingLine(['Grace', 'Alan'])).toBe('Grace and Alan are typing…');
    expect(typingLine(['Grace', 'Alan', 'Ada'])).toBe('Several people are typing…');
  });

  it('edits only with something to say, within the limit', () => {
    const file = { hash: 'h', name: 'a.png', size: 1, mimeType: 'image/png' };
    expect(editProblem('   ', { attachments: [] })).toMatch(/needs some text/);
    expect(editProblem('   ', { attachments: [file] })).toBeNull();
    expect(editProblem('x'.repeat(10_001), { attachments: [] })).toMatch(/up to 10,000 characters/);
    expect(editProblem('fine', { attachments: [] })).toBeNull();
  });

  it('stamps an edit later than the last one, even on a clock set back', () => {
    const message = {
      body: 'old',
      editedAt: '2026-11-21T12:00:00.000Z',
      updatedAt: '2026-11-21T12:00:00.000Z',
    };
    expect(editedFields(message, '  old  ', '2026-11-21T13:00:00.000Z')).toBeNull();
    expect(editedFields(message, ' new ', '2026-11-21T13:00:00.000Z')).toEqual({
      body: 'new',
      editedAt: '2026-11-21T13:00:00.000Z',
      updatedAt: '2026-11-21T13:00:00.000Z',
    });
    expect(editedFields(message, 'new', '2026-11-21T11:00:00.000Z')).toEqual({
      body: 'new',
      editedAt: '2026-11-21T12:00:00.001Z',
      updatedAt: '2026-11-21T12:00:00.001Z',
    });
  });
});
