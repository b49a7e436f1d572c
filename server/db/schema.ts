import type { Generated } from 'kysely';
import type { AccountKind } from '../money/ledger/accounts.ts';
import type {
  DisputeOutcome,
  EscrowStatus,
  PaymentStatus,
  RailName,
  RefundStatus,
} from '../../shared/money/escrow.ts';
import type { InvoiceStatus } from '../../shared/money/invoices.ts';

/**
 * Row types of every table. Instants are ISO 8601 UTC strings on both dialects
 * (PostgreSQL stores timestamptz; the pool's type parser hands them back as ISO strings).
 * Money is an integer of minor units plus an ISO 4217 code.
 */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  role: 'client' | 'freelancer' | 'admin';
  headline: string | null;
  bio: string | null;
  country: string | null;
  timezone: string | null;
  hourly_rate_minor: number | null;
  hourly_rate_currency: string | null;
  /** When the owner proved the address (migration 0015); null: not yet. */
  email_verified_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  device_name: string;
  user_agent: string | null;
  ip_address: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

/** One row per refresh token ever issued; a session is the family of its tokens. */
export interface RefreshTokensTable {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  user_id: string | null;
  action: string;
  session_id: string | null;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: string | null;
  created_at: string;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

/** 0 or 1: flags are integers on both dialects. */
export type Flag = number;

interface SyncedRow {
  id: string;
  seq: number;
  deleted: Flag;
  updated_at: string;
}

export interface SyncCountersTable {
  collection: string;
  seq: number;
}

export interface UserSettingsTable extends SyncedRow {
  theme: string;
  locale: string;
  week_starts_on: number;
  desktop_notifications: Flag;
  notification_sound: Flag;
}

export interface ConversationsTable extends SyncedRow {
  kind: string;
  title: string | null;
  /** JSON: [{id, name}] */
  participants: string;
  contract_id: string | null;
  project_id: string | null;
  created_by: string;
  created_at: string;
}

export interface ConversationParticipantsTable {
  conversation_id: string;
  user_id: string;
}

export interface MessagesTable extends SyncedRow {
  conversation_id: string;
  sender_id: string;
  body: string;
  /** JSON: [{hash, name, size, mimeType}] */
  attachments: string;
  sent_at: string;
  edited_at: string | null;
  /** JSON: {userId: {deliveredAt, readAt}} */
  receipts: string;
}

export interface MessageAttachmentsTable {
  message_id: string;
  hash: string;
}

export interface NotificationsTable extends SyncedRow {
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface BlobsTable {
  hash: string;
  size: number;
  mime_type: string;
  created_at: string;
}

export interface BlobUploadsTable {
  hash: string;
  user_id: string;
  created_at: string;
}

export interface CategoriesTable {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  icon: string | null;
  active: Flag;
  position: number;
  created_at: string;
}

/** Skills and tags share one shape. */
export interface TermsTable {
  id: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface ProjectsTable {
  id: string;
  client_id: string;
  title: string;
  /** Sanitised on the way in: safe to render as markup. */
  description_html: string;
  category_id: string;
  budget_type: 'fixed' | 'hourly';
  budget_min_minor: number;
  budget_max_minor: number;
  currency: string;
  /** A calendar date, `YYYY-MM-DD`. */
  deadline: string | null;
  visibility: 'public' | 'invite';
  status: 'draft' | 'open' | 'in_progress' | 'completed' | 'cancelled';
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

export interface ProjectSkillsTable {
  project_id: string;
  skill_id: string;
}

export interface ProjectTagsTable {
  project_id: string;
  tag_id: string;
}

export interface ProjectViewsTable {
  project_id: string;
  viewer_id: string;
  first_viewed_at: string;
}

export interface ProposalsTable {
  id: string;
  project_id: string;
  freelancer_id: string;
  /** Sanitised on the way in, like project descriptions. */
  cover_letter_html: string;
  bid_type: 'fixed' | 'hourly';
  /** The fixed price bid (fixed bids only). */
  amount_minor: number | null;
  /** The hourly rate bid (hourly bids only). */
  rate_minor: number | null;
  currency: string;
  duration_days: number;
  /** JSON `[{ title, amountMinor, dueDate }]` in the bid's currency, or null. */
  milestone_plan: string | null;
  status: 'pending' | 'shortlisted' | 'rejected' | 'withdrawn' | 'accepted';
  created_at: string;
  updated_at: string;
}

/** Synced to both parties' devices (migration 0008): `seq` is the row's pull checkpoint. */
export interface ContractsTable {
  id: string;
  seq: number;
  project_id: string;
  proposal_id: string;
  client_id: string;
  freelancer_id: string;
  type: 'fixed' | 'hourly';
  currency: string;
  rate_minor: number | null;
  weekly_hour_limit: number | null;
  manual_time_allowed: Flag;
  /** 0–3 screenshots in each 10-minute slot of tracked time (migration 0009). */
  screenshots_per_slot: number;
  status: 'active' | 'paused' | 'ended';
  created_at: string;
  updated_at: string;
}

/**
 * A stretch during which a contract was not active (migration 0010): opened when it is paused
 * or ended, closed (`ended_at`) when the client resumes it. The time rules refuse time in one.
 */
export interface ContractInactivePeriodsTable {
  id: Generated<number>;
  contract_id: string;
  /** The status that opened the stretch. */
  kind: 'paused' | 'ended';
  started_at: string;
  /** Null while the stretch is open: the contract is paused or ended now. */
  ended_at: string | null;
}

/** Synced with its contract (migration 0008): `seq` is the row's pull checkpoint. */
export interface MilestonesTable {
  id: string;
  seq: number;
  contract_id: string;
  title: string;
  amount_minor: number;
  currency: string;
  /** A calendar date, `YYYY-MM-DD`. */
  due_date: string | null;
  position: number;
  status: 'pending' | 'funded' | 'submitted' | 'approved' | 'released' | 'disputed';
  created_at: string;
  updated_at: string;
}

/** One plain-text search document per project (the FTS5 / tsvector source). */
export interface ProjectSearchDocsTable {
  project_id: string;
  title: string;
  /** The description without markup. */
  body: string;
  /** Skill names, comma-separated. */
  skills: string;
  /** Tag names, comma-separated. */
  tags: string;
}

export type SkillLevel = 'beginner' | 'intermediate' | 'expert';

/** A freelancer's skills, each at a level, in the freelancer's own order. */
export interface ProfileSkillsTable {
  user_id: string;
  skill_id: string;
  level: SkillLevel;
  position: number;
}

export interface PortfolioItemsTable {
  id: string;
  user_id: string;
  title: string;
  /** Sanitised on the way in, like project descriptions. */
  description_html: string;
  url: string | null;
  /** The sha256 of an image in the blob store that the freelancer uploaded. */
  image_hash: string | null;
  /** A calendar date, `YYYY-MM-DD`. */
  completed_on: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}

/** One per side of an ended contract; public once both are in or 14 days after the first. */
export interface ReviewsTable {
  id: string;
  contract_id: string;
  reviewer_id: string;
  reviewee_id: string;
  rating: number;
  /** Sanitised on the way in. */
  text_html: string;
  created_at: string;
}

/** One plain-text search document per freelancer, kept by triggers (migration 0006). */
export interface FreelancerSearchDocsTable {
  user_id: string;
  name: string;
  headline: string;
  /** The bio. */
  body: string;
  /** Skill names, comma-separated. */
  skills: string;
}

export interface ProjectFavoritesTable {
  user_id: string;
  project_id: string;
  created_at: string;
}

export interface FreelancerFavoritesTable {
  user_id: string;
  freelancer_id: string;
  created_at: string;
}

export interface FollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: string;
}

export interface SavedSearchesTable {
  id: string;
  user_id: string;
  name: string;
  /** JSON: the search's filters as `projectSearchQuerySchema` validated them, without paging. */
  query: string;
  created_at: string;
  updated_at: string;
  /** Saving counts as the first run. */
  last_run_at: string;
  /** The run before the latest: what the latest run's pages count "new" from. */
  previous_run_at: string;
}

export interface ProjectAttachmentsTable {
  project_id: string;
  blob_hash: string;
  name: string;
  size: number;
  mime_type: string;
  position: number;
  created_at: string;
}

/** Time tracking (migration 0009): the freelancer's entries, screenshots and work logs. */
export interface TimeEntriesTable extends SyncedRow {
  contract_id: string;
  freelancer_id: string;
  kind: 'tracked' | 'manual';
  /** The UTC day, `YYYY-MM-DD`, and the Monday (UTC) of its week. */
  day: string;
  week: string;
  /** JSON: [{ start, billedMs, trackedMinutes, activeMinutes, memo, removed }] */
  segments: string;
  manual_from: string | null;
  manual_to: string | null;
  memo: string;
  billable: Flag;
  billed_ms: number;
  currency: string;
  rate_minor: number | null;
  amount_minor: number | null;
  status: 'pending' | 'approved' | 'disputed';
  created_at: string;
}

export interface ScreenshotsTable extends SyncedRow {
  contract_id: string;
  freelancer_id: string;
  entry_id: string;
  slot: string;
  taken_at: string;
  screen: number;
  activity: number | null;
  image_hash: string;
  /** JSON: { hash, size, width, height, mimeType } */
  image: string;
  thumbnail_hash: string;
  /** JSON: { hash, size, width, height, mimeType } */
  thumbnail: string;
  blurred: Flag;
  created_at: string;
}

export interface WorkLogsTable extends SyncedRow {
  contract_id: string;
  freelancer_id: string;
  day: string;
  tasks_done: string;
  blockers: string;
  notes: string;
  created_at: string;
}

/** The client's approvals and disputes of a contract's weeks. */
export interface TimeReviewsTable extends SyncedRow {
  contract_id: string;
  /** Monday (UTC), `YYYY-MM-DD`. */
  week: string;
  kind: 'approval' | 'dispute';
  /** JSON: [{ entryId, start }] */
  slots: string;
  reason: string;
  reviewer_id: string;
  status: 'open' | 'withdrawn';
  response: string;
  created_at: string;
}

/** One account of the money ledger (server/money/ledger/accounts.ts); one currency each. */
export interface LedgerAccountsTable {
  id: Generated<number>;
  kind: AccountKind;
  owner_key: string;
  currency: string;
  created_at: string;
}

/** One balanced movement of money, unique by (kind, reference). */
export interface LedgerTransactionsTable {
  id: Generated<number>;
  kind: string;
  reference: string;
  created_at: string;
}

/** One signed line of a transaction: debit positive, credit negative, never zero. */
export interface LedgerEntriesTable {
  id: Generated<number>;
  transaction_id: number;
  account_id: number;
  amount_minor: number;
  currency: string;
}

/** One escrow per milestone, or per contract and week (migration 0012); synced read-only. */
export interface EscrowsTable {
  id: string;
  seq: number;
  contract_id: string;
  client_id: string;
  freelancer_id: string;
  milestone_id: string | null;
  /** ISO week, `2026-W47`. */
  week: string | null;
  currency: string;
  amount_minor: number;
  funded_minor: Generated<number>;
  released_minor: Generated<number>;
  refunded_minor: Generated<number>;
  platform_fee_minor: Generated<number>;
  status: EscrowStatus;
  submitted_at: string | null;
  review_deadline: string | null;
  created_at: string;
  updated_at: string;
}

/** One attempt to fund an escrow through the payment rail. */
export interface PaymentsTable {
  id: string;
  escrow_id: string;
  rail: RailName;
  provider_payment_id: string | null;
  amount_minor: number;
  currency: string;
  status: PaymentStatus;
  provider_fee_minor: number | null;
  failure_message: string | null;
  created_at: string;
  updated_at: string;
}

export interface RefundsTable {
  id: string;
  escrow_id: string;
  amount_minor: number;
  reason: string;
  requested_by: string;
  status: RefundStatus;
  decided_by: string | null;
  decided_at: string | null;
  provider_refund_id: string | null;
  failure_message: string | null;
  created_at: string;
  updated_at: string;
}

export interface EscrowDisputesTable {
  id: string;
  escrow_id: string;
  source: 'party' | 'chargeback';
  opened_by: string | null;
  reason: string;
  status: 'open' | 'resolved';
  outcome: DisputeOutcome | null;
  released_minor: Generated<number>;
  refunded_minor: Generated<number>;
  resolved_by: string | null;
  provider_dispute_id: string | null;
  opened_at: string;
  resolved_at: string | null;
}

/** Fees of one ledger transaction, for statements and the net amounts both sides see. */
export interface TransactionFeesTable {
  ledger_transaction_id: number;
  escrow_id: string;
  currency: string;
  gross_minor: number;
  platform_fee_minor: number;
  provider_fee_minor: number;
  net_minor: number;
  created_at: string;
}

/** The first answer to an Idempotency-Key; `status_code` is null while it is being made. */
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  scope: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
}

/** Invoices (migration 0014), synced read-only to issuer and recipient. */
export interface InvoicesTable {
  id: string;
  seq: number;
  issuer_id: string;
  issuer_name: string;
  recipient_id: string;
  recipient_name: string;
  contract_id: string;
  contract_title: string;
  number: string | null;
  sequence: number | null;
  source_kind: 'week' | 'milestone' | 'manual';
  /** Monday (UTC) of the week billed, `YYYY-MM-DD`. */
  source_week: string | null;
  source_milestone_id: string | null;
  /** JSON: [{ description, quantityThousandths, unitPriceMinor, amountMinor }] */
  lines: string;
  tax_rate_bps: number;
  currency: string;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  issue_date: string | null;
  due_date: string;
  status: InvoiceStatus;
  notes: string;
  sent_at: string | null;
  paid_at: string | null;
  voided_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The last number each issuer's invoices used: incremented when an invoice is sent. */
export interface InvoiceCountersTable {
  issuer_id: string;
  last_sequence: number;
}

/** The payment provider's customer of a user, per rail (migration 0013). */
export interface PaymentCustomersTable {
  user_id: string;
  rail: RailName;
  customer_id: string;
  created_at: string;
}

/** A freelancer's payout account and its last known status, per rail. */
export interface PayoutAccountsTable {
  user_id: string;
  rail: RailName;
  account_id: string;
  details_submitted: Generated<Flag>;
  charges_enabled: Generated<Flag>;
  payouts_enabled: Generated<Flag>;
  /** JSON array of field names. */
  requirements_due: Generated<string>;
  created_at: string;
  updated_at: string;
}

/** Verified Stripe webhook events; `processed_at` once all handlers applied them. */
export interface WebhookEventsTable {
  id: string;
  type: string;
  received_at: string;
  processed_at: string | null;
}

/** One handler's application of one event, committed with the handler's work. */
export interface WebhookEventEffectsTable {
  event_id: string;
  handler_key: string;
  applied_at: string;
}

export interface SandboxPaymentMethodsTable {
  id: string;
  customer_id: string;
  outcome: 'succeeds' | 'declines';
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  detached: Generated<Flag>;
  created_at: string;
}

export interface SandboxPaymentsTable {
  id: string;
  idempotency_key: string;
  request_hash: string;
  customer_id: string;
  payment_method_id: string;
  amount_minor: number;
  currency: string;
  status: 'succeeded' | 'failed';
  fee_minor: number | null;
  failure_message: string | null;
  /** JSON object of strings. */
  metadata: string;
  created_at: string;
}

export interface SandboxRefundsTable {
  id: string;
  idempotency_key: string;
  request_hash: string;
  payment_id: string;
  amount_minor: number;
  created_at: string;
}

export interface SandboxAccountsTable {
  id: string;
  user_id: string;
  email: string;
  country: string;
  details_submitted: Generated<Flag>;
  onboarding_token: string | null;
  created_at: string;
}

export interface SandboxTransfersTable {
  id: string;
  idempotency_key: string;
  request_hash: string;
  account_id: string;
  amount_minor: number;
  currency: string;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  audit_log: AuditLogTable;
  server_secrets: ServerSecretsTable;
  sync_counters: SyncCountersTable;
  user_settings: UserSettingsTable;
  conversations: ConversationsTable;
  conversation_participants: ConversationParticipantsTable;
  messages: MessagesTable;
  message_attachments: MessageAttachmentsTable;
  notifications: NotificationsTable;
  blobs: BlobsTable;
  blob_uploads: BlobUploadsTable;
  categories: CategoriesTable;
  skills: TermsTable;
  tags: TermsTable;
  projects: ProjectsTable;
  project_skills: ProjectSkillsTable;
  project_tags: ProjectTagsTable;
  project_views: ProjectViewsTable;
  proposals: ProposalsTable;
  contracts: ContractsTable;
  contract_inactive_periods: ContractInactivePeriodsTable;
  milestones: MilestonesTable;
  project_search_docs: ProjectSearchDocsTable;
  profile_skills: ProfileSkillsTable;
  portfolio_items: PortfolioItemsTable;
  reviews: ReviewsTable;
  freelancer_search_docs: FreelancerSearchDocsTable;
  project_favorites: ProjectFavoritesTable;
  freelancer_favorites: FreelancerFavoritesTable;
  follows: FollowsTable;
  saved_searches: SavedSearchesTable;
  project_attachments: ProjectAttachmentsTable;
  time_entries: TimeEntriesTable;
  screenshots: ScreenshotsTable;
  work_logs: WorkLogsTable;
  time_reviews: TimeReviewsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_entries: LedgerEntriesTable;
  escrows: EscrowsTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  escrow_disputes: EscrowDisputesTable;
  transaction_fees: TransactionFeesTable;
  idempotency_keys: IdempotencyKeysTable;
  payment_customers: PaymentCustomersTable;
  payout_accounts: PayoutAccountsTable;
  webhook_events: WebhookEventsTable;
  webhook_event_effects: WebhookEventEffectsTable;
  sandbox_payment_methods: SandboxPaymentMethodsTable;
  sandbox_payments: SandboxPaymentsTable;
  sandbox_refunds: SandboxRefundsTable;
  sandbox_accounts: SandboxAccountsTable;
  sandbox_transfers: SandboxTransfersTable;
  invoices: InvoicesTable;
  invoice_counters: InvoiceCountersTable;
  email_jobs: EmailJobsTable;
  account_tokens: AccountTokensTable;
  two_factor: TwoFactorTable;
  two_factor_backup_codes: TwoFactorBackupCodesTable;
  two_factor_challenges: TwoFactorChallengesTable;
  password_history: PasswordHistoryTable;
}

/** The email outbox (migration 0015): one row per mail to deliver. */
export interface EmailJobsTable {
  id: string;
  recipient: string;
  template: string;
  /** JSON of the template's data. */
  data: string;
  dedupe_key: string;
  status: 'queued' | 'sending' | 'sent' | 'dead';
  attempts: number;
  /** Due time while queued; lease end while sending. */
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** Single-use links mailed to a user (migration 0015); only the sha256 is kept. */
export interface AccountTokensTable {
  id: string;
  user_id: string;
  purpose: 'verify_email' | 'password_reset';
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A user's TOTP enrolment (migration 0016); the secret is encrypted at rest. */
export interface TwoFactorTable {
  user_id: string;
  secret_encrypted: string;
  status: 'pending' | 'active';
  last_used_step: number | null;
  created_at: string;
  enabled_at: string | null;
}

/** Backup codes (migration 0016): only their SHA-256, each spent once. */
export interface TwoFactorBackupCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** Between the password and the second step (migration 0016); only the token's SHA-256. */
export interface TwoFactorChallengesTable {
  id: string;
  token_hash: string;
  user_id: string;
  device_name: string;
  attempts: Generated<number>;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
}

/** Hashes of the passwords a user replaced (migration 0017); the newest few are kept. */
export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: string;
  password_hash: string;
  replaced_at: string;
}
