import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { TrackerStatusView } from '../../../shared/ipc/tracker.ts';
import {
  createTrackerNoticeFeed,
  type ContractNamer,
} from '../../../shared/time/tracker-notices.ts';
import { useSessionStore } from '../session/session-store.ts';

/**
 * The tracker's notices (an idle stretch to answer, a weekly limit near or reached) as in-app
 * notifications, where the host cannot show OS ones: the browser host has no tray and no
 * notification centre. In Electron the main process shows the same notices as OS
 * notifications (src-main/desktop), so this stays silent there rather than say it twice.
 * The rules, and which notice was already shown, are shared/time/tracker-notices.ts's.
 */
export function useBrowserTrackerNotices(
  status: TrackerStatusView | null,
  nameOf: ContractNamer,
): void {
  const host = useSessionStore((state) => state.appInfo?.host ?? null);
  const [feed] = useState(createTrackerNoticeFeed);
  useEffect(() => {
    if (host !== 'browser' || status === null) return;
    for (const notice of feed.next(status, nameOf)) {
      notifications.show({
        id: notice.key,
        title: notice.title,
        message: notice.body,
        color: notice.kind === 'idle-question' ? 'blue' : 'orange',
        // A question waits for its answer; a warning can go once read.
        autoClose: notice.kind === 'idle-question' ? false : 10_000,
      });
    }
  }, [host, status, nameOf, feed]);
}
