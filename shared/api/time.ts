import { z } from 'zod';

/** Instants travel and are stored as ISO 8601 in UTC (`2026-11-21T16:57:00.000Z`). */
export const instantSchema = z.iso.datetime().meta({ description: 'ISO 8601 instant in UTC' });

export const nowIso = (): string => new Date().toISOString();
