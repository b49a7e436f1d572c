import type { MantineSize } from '@mantine/core';
import type { ProjectClient } from '../../../shared/marketplace/projects.ts';
import { AnchorLink } from '../../ui/links.tsx';

/**
 * A project's client by name, leading to their page: how the freelancers who worked for them
 * rated them, and a way to follow them. The name is plain text, which React escapes.
 */
export function ClientLink({ client, size = 'sm' }: { client: ProjectClient; size?: MantineSize }) {
  return (
    <AnchorLink
      to="/marketplace/clients/$clientId"
      params={{ clientId: client.id }}
      size={size}
      fw={600}
    >
      {client.name}
    </AnchorLink>
  );
}
