import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { AccountService } from './auth/accounts.ts';
import { accountRoutes } from './auth/routes.ts';
import { SessionService } from './auth/sessions.ts';
import { loadSigningKey } from './auth/signing-key.ts';
import { createAccessTokens } from './auth/tokens.ts';
import { twoFactorRoutes } from './auth/two-factor/routes.ts';
import { loadSecretBox } from './auth/two-factor/secret-box.ts';
import { TwoFactorService } from './auth/two-factor/two-factor-service.ts';
import type { Config } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { blobRouter, blobOpenApiPaths } from './blobs/routes.ts';
import { fileBlobStore } from './blobs/blob-store.ts';
import { healthRoutes } from './health/routes.ts';
import { attachLiveServer, type LiveServer } from './live/live-server.ts';
import { ProjectService } from './marketplace/projects.ts';
import { marketplaceRoutes } from './marketplace/routes.ts';
import { createProjectSearch } from './marketplace/search/index.ts';
import { createEngagement, engagementRoutes } from './marketplace/engagement/index.ts';
import { searchRoutes } from './marketplace/search/routes.ts';
import { TaxonomyService } from './marketplace/taxonomy.ts';
import { ContractService } from './marketplace/contracts.ts';
import { proposalRoutes } from './marketplace/proposal-routes.ts';
import { createProposalCountPublisher, proposalCountOf } from './marketplace/proposal-count.ts';
import { canSeeProject } from './marketplace/project-visibility.ts';
import { ProposalService } from './marketplace/proposals.ts';
import { createFreelancerSearch } from './marketplace/profiles/freelancer-search.ts';
import { PortfolioService } from './marketplace/profiles/portfolio.ts';
import { ProfileService } from './marketplace/profiles/profile-service.ts';
import { profileRoutes } from './marketplace/profiles/routes.ts';
import { ReviewService } from './marketplace/reviews/review-service.ts';
import { reviewRoutes } from './marketplace/reviews/routes.ts';
import { syncRoutes } from './sync/routes.ts';
import { SyncService } from './sync/sync-service.ts';
import { SyncedWrites } from './sync/synced-writes.ts';
import { userRoutes } from './users/routes.ts';
import { AccountEmailService } from './auth/account-email.ts';
import { accountEmailRoutes } from './auth/account-email-routes.ts';
import { emailLinkPagesRouter } from './auth/email-link-pages.ts';
import { guardUnverifiedEmail } from './auth/verified-email-guard.ts';
import { createEmailCapability, type EmailCapability } from './email/index.ts';
import { createApp } from './http/app.ts';
import { createRateLimits, type RateLimits } from './http/rate-limits.ts';
import { buildOpenApiDocument } from './http/openapi.ts';
import { createEscrowCapability, type EscrowCapability } from './money/escrow/escrow-capability.ts';
import { registerPayoutAccountWebhooks } from './money/payment-accounts/payout-accounts.ts';
import { paymentAccountRoutes, paymentPagesRouter } from './money/payment-accounts/routes.ts';
import type { PaymentRail } from './money/rails/payment-rail.ts';
import { railFromConfig } from './money/rails/rail-from-config.ts';
import {
  stripeVerifier,
  stripeWebhookOpenApiPaths,
  stripeWebhookRouter,
} from './money/webhooks/stripe-webhook-router.ts';
import { createWebhookRegistry, type WebhookRegistry } from './money/webhooks/webhook-registry.ts';
import { chargebackWebhookHandlers } from './money/disputes/chargebacks.ts';
import { disputeRoutes } from './money/disputes/dispute-routes.ts';
import { DisputeService } from './money/disputes/dispute-service.ts';
import { refundRoutes } from './money/refunds/refund-routes.ts';
import { RefundService } from './money/refunds/refund-service.ts';
import { refundWebhookHandlers } from './money/refunds/refund-webhooks.ts';
import { InvoiceService } from './money/invoices/invoice-service.ts';
import { startOverdueSweep } from './money/invoices/overdue-sweep.ts';
import { invoiceOpenApiPaths, invoicePdfRouter, invoiceRoutes } from './money/invoices/routes.ts';

export const serverVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  logger: Logger;
  /** The payment rail chosen at startup (Stripe, or the sandbox without keys). */
  rail: PaymentRail;
  /** Stripe webhook handlers by event type; register at startup. */
  webhooks: WebhookRegistry;
  /** Escrow: its service and the auto-release sweep (tests run it with their own clock). */
  escrow: EscrowCapability;
  /** Transactional email: the outbox worker (tests call `email.worker.runOnce`), transport. */
  email: EmailCapability;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the DB. */
  close(): Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger = createLogger(config),
): Promise<RunningServer> {
  const db = await openDatabase(config.database);
  let rateLimits: RateLimits | undefined;
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

    const tokens = createAccessTokens(
      await loadSigningKey(db, config.jwtSecret),
      config.accessTokenTtlSeconds,
    );
    const sessions = new SessionService(db, tokens, config.refreshTokenTtlDays);
    const accounts = new AccountService(db, sessions);
    const twoFactor = new TwoFactorService(db, sessions, { box: await loadSecretBox(db) });
    accounts.secondStep = (user, device, meta) => twoFactor.challengeFor(user, device, meta);
    const email = createEmailCapability({ db, config, logger });
    // Live notifications go out after each commit; the socket server exists once HTTP does.
    const announcer: { live?: LiveServer } = {};
    const syncedWrites = new SyncedWrites(db, (changes) => announcer.live?.announce(changes));
    const sync = new SyncService(db, syncedWrites);
    const invoices = new InvoiceService(db, syncedWrites);
    // The server's own URL for browsers (PUBLIC_URL, else known once it listens): payment
    // return pages and sandbox links.
    const publicBase = { url: '' };
    const publicUrl = () => publicBase.url;
    const accountEmail = new AccountEmailService(db, sessions, publicUrl);
    accounts.onRegistered = (trx, user) => accountEmail.onRegistered(trx, user);
    const payments = railFromConfig(config, db, publicUrl);
    const rail: PaymentRail = payments.rail;
    const webhooks = createWebhookRegistry();
    registerPayoutAccountWebhooks(webhooks);
    // After the payout accounts' handlers: an activated account is stored before transfers.
    const escrow = createEscrowCapability({
      db,
      writes: syncedWrites,
      rail,
      webhooks,
      settings: config.escrow,
      sweepIntervalMs: config.escrow.sweepIntervalMs,
      logger,
    });
    for (const [type, handler] of [...chargebackWebhookHandlers, ...refundWebhookHandlers]) {
      webhooks.on(type, handler);
    }
    const paymentDeps = {
      db,
      configured: payments,
      payoutCountry: config.payoutCountry,
      platformFeeBps: config.escrow.platformFeeBps,
      publicUrl,
    };
    const blobs = fileBlobStore(join(config.dataDir, 'blobs'));
    const taxonomy = new TaxonomyService(db);
    const projects = new ProjectService(db, taxonomy);
    const projectSearch = createProjectSearch(db, taxonomy, projects);
    // Watchers of a project hear its proposal count after each commit that changed it.
    const proposalCounts = createProposalCountPublisher({
      db: db.kysely,
      logger,
      publish: (event, audience) =>
        announcer.live?.tellProjectWatchers(
          event,
          audience.everyone ? 'everyone' : (auth) => canSeeProject(auth, audience.project),
        ),
    });
    // Proposals and money wait for a confirmed email address (server/auth/verified-email-guard.ts).
    const routes = guardUnverifiedEmail(db.kysely, [
      ...healthRoutes(db, serverVersion),
      ...accountRoutes(accounts, sessions),
      ...accountEmailRoutes(accountEmail),
      ...email.routes,
      ...twoFactorRoutes(twoFactor),
      ...userRoutes(db),
      ...syncRoutes(sync),
      // Before the project routes: `/projects/trending` must not be read as a project id.
      ...engagementRoutes(createEngagement(db, projects, projectSearch, taxonomy)),
      ...marketplaceRoutes(taxonomy, projects),
      ...proposalRoutes(
        new ProposalService(db, syncedWrites, proposalCounts),
        new ContractService(db, syncedWrites),
      ),
      ...searchRoutes(projectSearch),
      ...profileRoutes(
        new ProfileService(db),
        new PortfolioService(db),
        createFreelancerSearch(db),
      ),
      ...reviewRoutes(new ReviewService(db)),
      ...invoiceRoutes(db, invoices),
      ...paymentAccountRoutes(paymentDeps),
      ...escrow.routes,
      ...refundRoutes(db, new RefundService(db, syncedWrites, rail)),
      ...disputeRoutes(
        db,
        new DisputeService(db, syncedWrites, rail, {
          feeBasisPoints: config.escrow.platformFeeBps,
          afterRelease: (freelancerId) => escrow.transfers.afterRelease(freelancerId),
        }),
      ),
    ]);

    // In scale mode the counters live in Redis: every instance spends the same budget.
    const limits = await createRateLimits({
      config: config.rateLimits,
      redis: config.redis,
      logger,
    });
    rateLimits = limits;
    const app = createApp({
      rateLimits: (authenticate) => limits.router(authenticate),
      routes,
      routers: (authenticate) => [
        blobRouter(db, blobs, authenticate),
        invoicePdfRouter(invoices, authenticate),
        stripeWebhookRouter({
          db,
          writes: syncedWrites,
          registry: webhooks,
          rail,
          verify:
            payments.kind === 'stripe' && payments.webhookSecret
              ? stripeVerifier(payments.rail.stripe, payments.webhookSecret)
              : null,
        }),
        paymentPagesRouter(paymentDeps),
      ],
      pages: [emailLinkPagesRouter(accountEmail), ...email.pages],
      openApiDocument: buildOpenApiDocument(routes, serverVersion, {
        ...blobOpenApiPaths,
        ...invoiceOpenApiPaths,
        ...stripeWebhookOpenApiPaths,
      }),
      authenticateBearer: (token) => sessions.authenticate(token),
      appOrigins: config.appOrigins,
      logger,
    });
    const http = createServer(app);
    const live = await attachLiveServer(http, {
      db,
      redis: config.redis,
      logger,
      appOrigins: config.appOrigins,
      authenticate: (token) => sessions.authenticate(token),
      projectWatch: {
        requireVisible: async (auth, projectId) => {
          await projects.visibleRow(auth, projectId);
        },
        proposalCount: (projectId) => proposalCountOf(db.kysely, projectId),
      },
    });
    announcer.live = live;
    sessions.onSessionsEnded = (userId) => {
      live.dropEndedSessions(userId).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not close the sockets of ended sessions');
      });
    };
    http.listen(config.port, config.host);
    await once(http, 'listening');
    const { port } = http.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    publicBase.url = config.publicUrl ?? url;
    const overdueSweep =
      config.invoiceOverdueSweepMs > 0
        ? startOverdueSweep(invoices, config.invoiceOverdueSweepMs, logger)
        : null;
    email.start();
    logger.info({ url, db: db.dialect }, 'MegiLance server listening');
    return {
      url,
      port,
      db,
      logger,
      rail,
      webhooks,
      escrow,
      email,
      close: async () => {
        await overdueSweep?.stop();
        await email.close();
        await escrow.close();
        await live.close();
        await proposalCounts.close();
        await limits.close();
        await shutdown(http, db, config.shutdownGraceMs, logger);
      },
    };
  } catch (error) {
    await rateLimits?.close();
    await db.close();
    throw error;
  }
}

async function shutdown(http: Server, db: Db, graceMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn('grace period over: closing remaining connections');
    http.closeAllConnections();
  }, graceMs);
  await closed;
  clearTimeout(timer);
  await db.close();
  logger.info('shutdown complete');
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'megilance-server' },
    // Bearer tokens and cookies must never reach a log file.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  });
}
