import { defaultReminderAfterMs } from './no-timer-reminder.ts';
import { defaultTimerShortcut, fallbackTimerShortcut } from './timer-toggle.ts';

export interface DesktopSettings {
  /** Accelerators to try for the start/stop shortcut, in order; empty: no shortcut. */
  accelerators: string[];
  /** 0: no reminder. */
  reminderAfterMs: number;
}

/**
 * Desktop settings from the environment, like config.ts: `MEGILANCE_TIMER_SHORTCUT` (an
 * Electron accelerator, or `off`) and `MEGILANCE_NO_TIMER_REMINDER_MINUTES` (0 turns the
 * reminder off). A bad value stops the start with a clear message.
 */
export function loadDesktopSettings(env: NodeJS.ProcessEnv = process.env): DesktopSettings {
  return {
    accelerators: accelerators(env.MEGILANCE_TIMER_SHORTCUT),
    reminderAfterMs: reminderMs(env.MEGILANCE_NO_TIMER_REMINDER_MINUTES),
  };
}

function accelerators(raw: string | undefined): string[] {
  const value = raw?.trim();
  // The user's own choice is not second-guessed with a fallback of ours.
  if (!value) return [defaultTimerShortcut, fallbackTimerShortcut];
  if (value.toLowerCase() === 'off') return [];
  if (!/^[A-Za-z0-9]+(\+[A-Za-z0-9]+)+$/.test(value)) {
    throw new Error(
      `MEGILANCE_TIMER_SHORTCUT must be an accelerator like CommandOrControl+Alt+T, or "off": ${value}`,
    );
  }
  return [value];
}

function reminderMs(raw: string | undefined): number {
  const value = raw?.trim();
  if (!value) return defaultReminderAfterMs;
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 480) {
    throw new Error(
      `MEGILANCE_NO_TIMER_REMINDER_MINUTES must be a whole number of minutes from 0 (off) to 480: ${value}`,
    );
  }
  return minutes * 60_000;
}
