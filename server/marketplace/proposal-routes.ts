import {
  changeContractStatusInputSchema,
  contractIdParamsSchema,
  contractListQuerySchema,
  contractPageSchema,
  contractSchema,
  contractSettingsInputSchema,
} from '../../shared/marketplace/contracts.ts';
import { projectIdParamsSchema } from '../../shared/marketplace/projects.ts';
import {
  acceptProposalInputSchema,
  createProposalInputSchema,
  proposalIdParamsSchema,
  proposalListQuerySchema,
  proposalPageSchema,
  proposalSchema,
  updateProposalInputSchema,
} from '../../shared/marketplace/proposals.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import type { ContractService } from './contracts.ts';
import type { ProposalService } from './proposals.ts';

const tags = ['Marketplace'];

export function proposalRoutes(proposals: ProposalService, contracts: ContractService): AnyRoute[] {
  const decision = (
    action: 'withdraw' | 'shortlist' | 'reject',
    to: 'withdrawn' | 'shortlisted' | 'rejected',
    summary: string,
  ) =>
    defineRoute({
      method: 'post',
      path: `/proposals/:id/${action}`,
      summary,
      tags,
      auth: true,
      params: proposalIdParamsSchema,
      responses: { 200: { description: 'The proposal in its new status', schema: proposalSchema } },
      handle: async ({ auth, params, meta }) => ({
        status: 200,
        body: await proposals.decide(auth, params.id, to, meta),
      }),
    });
  return [
    defineRoute({
      method: 'post',
      path: '/projects/:id/proposals',
      summary: 'Propose on an open public project (freelancers; once per project)',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      body: createProposalInputSchema,
      responses: { 201: { description: 'Created', schema: proposalSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 201,
        body: await proposals.create(auth, params.id, body, meta),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/projects/:id/proposals',
      summary: 'A project’s proposals newest first: all for its client, your own otherwise',
      tags,
      auth: true,
      params: projectIdParamsSchema,
      query: proposalListQuerySchema,
      responses: { 200: { description: 'A page of proposals', schema: proposalPageSchema } },
      handle: async ({ auth, params, query }) => ({
        status: 200,
        body: await proposals.listForProject(auth, params.id, query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/proposals/mine',
      summary: 'The proposals you sent, newest first',
      tags,
      auth: true,
      query: proposalListQuerySchema,
      responses: { 200: { description: 'A page of proposals', schema: proposalPageSchema } },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: await proposals.listMine(auth, query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/proposals/:id',
      summary: 'A proposal (its freelancer and the project’s client only)',
      tags,
      auth: true,
      params: proposalIdParamsSchema,
      responses: { 200: { description: 'The proposal', schema: proposalSchema } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await proposals.get(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/proposals/:id',
      summary: 'Edit your proposal while it is pending or shortlisted',
      tags,
      auth: true,
      params: proposalIdParamsSchema,
      body: updateProposalInputSchema,
      responses: { 200: { description: 'The updated proposal', schema: proposalSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await proposals.update(auth, params.id, body, meta),
      }),
    }),
    decision('withdraw', 'withdrawn', 'Withdraw your proposal while pending or shortlisted'),
    decision('shortlist', 'shortlisted', 'Shortlist a proposal on your project'),
    decision('reject', 'rejected', 'Reject a proposal on your project'),
    defineRoute({
      method: 'post',
      path: '/proposals/:id/accept',
      summary: 'Accept a proposal on your open project: creates its one contract',
      tags,
      auth: true,
      params: proposalIdParamsSchema,
      body: acceptProposalInputSchema,
      responses: { 201: { description: 'The contract created', schema: contractSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 201,
        body: await proposals.accept(auth, params.id, body, meta),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts',
      summary: 'Your contracts, as client or freelancer, newest first',
      tags,
      auth: true,
      query: contractListQuerySchema,
      responses: { 200: { description: 'A page of contracts', schema: contractPageSchema } },
      handle: async ({ auth, query }) => ({ status: 200, body: await contracts.list(auth, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id',
      summary: 'A contract with its milestones (its two parties only)',
      tags,
      auth: true,
      params: contractIdParamsSchema,
      responses: { 200: { description: 'The contract', schema: contractSchema } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await contracts.get(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/contracts/:id/status',
      summary: 'Pause or resume (client) or end (either party) a contract',
      tags,
      auth: true,
      params: contractIdParamsSchema,
      body: changeContractStatusInputSchema,
      responses: { 200: { description: 'The contract in its new status', schema: contractSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await contracts.changeStatus(auth, params.id, body.to, meta),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/contracts/:id/settings',
      summary: 'Change how a contract is tracked, e.g. screenshots per slot (client, until ended)',
      tags,
      auth: true,
      params: contractIdParamsSchema,
      body: contractSettingsInputSchema,
      responses: {
        200: { description: 'The contract with its new settings', schema: contractSchema },
      },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await contracts.changeSettings(auth, params.id, body, meta),
      }),
    }),
  ];
}
