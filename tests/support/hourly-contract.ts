import type { ContractDocument } from '../../shared/sync/documents.ts';

/**
 * The contract the renderer's time tests work on: Grace hires Ada by the hour at €45, with
 * manual time allowed and one screenshot per slot, as her device's database holds it.
 */
export const freelancerId = '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e02';
export const clientId = '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01';

export const hourlyContract: ContractDocument = {
  id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
  updatedAt: '2026-11-01T10:00:00.000Z',
  projectId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d05',
  projectTitle: 'Owl drawings',
  proposalId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d06',
  client: { id: clientId, name: 'Grace' },
  freelancer: { id: freelancerId, name: 'Ada' },
  type: 'hourly',
  currency: 'EUR',
  rate: { amountMinor: 4_500, currency: 'EUR' },
  total: null,
  weeklyHourLimit: null,
  manualTimeAllowed: true,
  screenshotsPerSlot: 1,
  status: 'active',
  createdAt: '2026-11-01T10:00:00.000Z',
};
