import { AnchorLink } from '../../ui/links.tsx';

/**
 * A freelancer's name, leading to their profile. The name comes with the answer that refers to
 * them (a proposal carries its sender), so nothing is fetched here; React escapes it as text.
 */
export function PersonName({ userId, name }: { userId: string; name: string }) {
  return (
    <AnchorLink
      to="/marketplace/freelancers/$freelancerId"
      params={{ freelancerId: userId }}
      fw={600}
      size="sm"
    >
      {name}
    </AnchorLink>
  );
}
