import { NotBuiltYet } from '../../ui/NotBuiltYet.tsx';
import { upcomingAreas, type UpcomingArea } from './upcoming-areas.ts';

export function UpcomingAreaPage({ area }: { area: UpcomingArea }) {
  return <NotBuiltYet {...upcomingAreas[area]} />;
}
