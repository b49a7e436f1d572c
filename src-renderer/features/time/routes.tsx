import { createRoute } from '@tanstack/react-router';
import type { appRoute as AppRoute } from '../../app/router.tsx';
import { TimesheetPage } from './TimesheetPage.tsx';
import { WorkDiaryPage } from './WorkDiaryPage.tsx';

const calendarDay = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A contract's time screens, under its page: the work diary of a day
 * (`#/contracts/<id>/diary?day=2026-11-20`, the viewer's calendar day) and the timesheet of
 * a week (`#/contracts/<id>/timesheet?week=2026-11-16`, a Monday, UTC).
 */
export function contractTimeRoutes(getParentRoute: () => typeof AppRoute) {
  const diary = createRoute({
    getParentRoute,
    path: 'contracts/$contractId/diary',
    validateSearch: (search: Record<string, unknown>): { day?: string } =>
      typeof search.day === 'string' && calendarDay.test(search.day) ? { day: search.day } : {},
    component: function Diary() {
      const { contractId } = diary.useParams();
      const { day } = diary.useSearch();
      return <WorkDiaryPage key={contractId} contractId={contractId} day={day} />;
    },
  });

  const timesheet = createRoute({
    getParentRoute,
    path: 'contracts/$contractId/timesheet',
    validateSearch: (search: Record<string, unknown>): { week?: string } =>
      typeof search.week === 'string' && calendarDay.test(search.week) ? { week: search.week } : {},
    component: function Timesheet() {
      const { contractId } = timesheet.useParams();
      const { week } = timesheet.useSearch();
      return <TimesheetPage key={contractId} contractId={contractId} week={week} />;
    },
  });

  return [diary, timesheet] as const;
}
