/**
 * Escrow commands per second (issue 6, "Benchmark"): funding hourly weeks through the sandbox
 * rail and releasing them, over real HTTP with Idempotency-Keys, on SQLite and PostgreSQL,
 * 8 requests in flight. Each command runs the whole path: authentication, the idempotency
 * record, the rail, the escrow row, the ledger transaction with its fee row, sync stamping.
 * The comparison, in the same run and on the same database: the ledger alone, the same fund
 * and release postings written straight through `postTransaction`, one transaction each.
 * Finally `verifyLedger` reads the whole book and must find it balanced.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { releasePosting, fundPosting } from '../../server/money/escrow/escrow-postings.ts';
import { postTransaction } from '../../server/money/ledger/ledger.ts';
import { verifyLedger } from '../../server/money/ledger/verify.ts';
import { client } from '../support/http.ts';
import { createCategory, signUpAs } from '../support/marketplace-fixtures.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';
import { timeContractBetween } from '../support/time-fixtures.ts';

const contracts = 4;
const weeksPerContract = Math.min(50, Number(process.env.BENCH_ESCROW_WEEKS ?? 50));
const inFlight = 8;
const amountMinor = 10_000;

interface Phase {
  label: string;
  count: number;
  ms: number;
  latencies: number[];
}

/** Runs `tasks` with at most `inFlight` at once; each task's latency is kept. */
async function pool(
  tasks: Array<() => Promise<void>>,
): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        if (!task) break;
        const t0 = performance.now();
        await task();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { ms: performance.now() - started, latencies };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function commands(server: TestServer): Promise<Phase[]> {
  const api = client(server.baseUrl);
  const admin = await signUpAs(server, 'admin');
  const owner = await signUpAs(server, 'client');
  const freelancer = await signUpAs(server, 'freelancer');
  const category = await createCategory(server, admin, { name: 'Software' });
  const card = await api.post('/payments/sandbox/cards', {
    token: owner.token,
    json: { outcome: 'succeeds' },
  });
  if (card.status !== 201) throw new Error(`card: ${JSON.stringify(card.body)}`);
  const targets: Array<{ contractId: string; week: string }> = [];
  for (let c = 0; c < contracts; c++) {
    const { contractId } = await timeContractBetween(
      server,
      { client: owner, freelancer, categoryId: category.id },
      'hourly',
    );
    for (let w = 1; w <= weeksPerContract; w++) {
      targets.push({ contractId, week: `2026-W${String(w).padStart(2, '0')}` });
    }
  }

  const command = async (path: string, json: unknown, expected: number) => {
    const answer = await api.post<{ id: string }>(path, {
      token: owner.token,
      json,
      headers: { 'Idempotency-Key': randomUUID() },
    });
    if (answer.status !== expected) throw new Error(`${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  const escrowIds: string[] = [];
  const fund = await pool(
    targets.map((target) => async () => {
      escrowIds.push((await command('/escrows', { ...target, amountMinor }, 201)).id);
    }),
  );
  const release = await pool(
    escrowIds.map((id) => async () => {
      await command(`/escrows/${id}/release`, { amountMinor }, 200);
    }),
  );
  return [
    { label: 'fund (HTTP command)', count: targets.length, ...fund },
    { label: 'release (HTTP command)', count: escrowIds.length, ...release },
  ];
}

/** The same postings with nothing around them: the ledger's own floor. */
async function bareLedger(server: TestServer, count: number): Promise<Phase[]> {
  const run = `bench-${randomUUID()}`;
  const contractId = randomUUID();
  const post = (posting: Parameters<typeof postTransaction>[1]) =>
    server.db.kysely.transaction().execute((trx) => postTransaction(trx, posting));
  const fund = await pool(
    Array.from({ length: count }, (_, i) => async () => {
      await post(
        fundPosting({
          paymentId: `${run}-fund-${i}`,
          contractId,
          rail: 'sandbox',
          currency: 'EUR',
          amountMinor,
          providerFeeMinor: 320,
        }),
      );
    }),
  );
  const release = await pool(
    Array.from({ length: count }, (_, i) => async () => {
      await post(
        releasePosting({
          releaseId: `${run}-release-${i}`,
          contractId,
          freelancerId: randomUUID(),
          currency: 'EUR',
          amountMinor,
          platformFeeMinor: 1_000,
        }),
      );
    }),
  );
  return [
    { label: 'fund posting (ledger only, peer)', count, ...fund },
    { label: 'release posting (ledger only, peer)', count, ...release },
  ];
}

async function measure(dialect: Dialect): Promise<string[]> {
  const server = await startTestServer({
    dialect,
    env: { ESCROW_SWEEP_INTERVAL_MS: '0', INVOICE_OVERDUE_SWEEP_MS: '0' },
  });
  try {
    const phases = await commands(server);
    phases.push(...(await bareLedger(server, phases[0]?.count ?? 0)));
    const t0 = performance.now();
    const report = await verifyLedger(server.db.kysely);
    const verifyMs = performance.now() - t0;
    if (!report.ok) throw new Error(`ledger does not verify: ${JSON.stringify(report.problems)}`);
    const rows = phases.map((phase) => {
      const perSecond = (phase.count / phase.ms) * 1000;
      return `| ${dialect} | ${phase.label} | ${phase.count} | ${perSecond.toFixed(0)}/s | ${percentile(phase.latencies, 50).toFixed(1)} ms | ${percentile(phase.latencies, 99).toFixed(1)} ms |`;
    });
    rows.push(
      `| ${dialect} | ledger:verify over ${report.counts.transactions} transactions (${report.counts.entries} entries) | 1 | ${verifyMs.toFixed(0)} ms | | |`,
    );
    return rows;
  } finally {
    await server.close();
  }
}

export async function run(): Promise<void> {
  const rows = [...(await measure('sqlite')), ...(await measure('postgres'))];
  console.log(
    `\nEscrow commands: ${contracts * weeksPerContract} hourly weeks funded then released, ${inFlight} in flight, server in process, loopback HTTP\n`,
  );
  console.log('| database | operation | count | rate | p50 | p99 |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
}
