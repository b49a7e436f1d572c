import {
  Anchor,
  Button,
  NavLink,
  type AnchorProps,
  type ButtonProps,
  type NavLinkProps,
} from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { ComponentPropsWithRef } from 'react';
import { outsideLink } from '../../shared/marketplace/rich-text.ts';

/**
 * Mantine's look with the router's typed `to`/`params`: `component={Link}` would lose the
 * route types, `createLink` keeps them.
 */
type AnchorElementProps = Omit<ComponentPropsWithRef<'a'>, keyof AnchorProps | 'color'>;

export const AnchorLink = createLink((props: AnchorProps & AnchorElementProps) => (
  <Anchor component="a" {...props} />
));

export const ButtonLink = createLink(
  (props: ButtonProps & Omit<ComponentPropsWithRef<'a'>, keyof ButtonProps | 'color'>) => (
    <Button component="a" {...props} />
  ),
);

export const NavLinkLink = createLink(
  (props: NavLinkProps & Omit<ComponentPropsWithRef<'a'>, keyof NavLinkProps | 'color'>) => (
    <NavLink component="a" {...props} />
  ),
);

/**
 * A link out of the app (a portfolio piece's site): opened in the system browser, with no
 * referrer or ranking passed on, as links in rich text are.
 */
export function OutsideLink(props: AnchorProps & AnchorElementProps & { href: string }) {
  return <Anchor component="a" target={outsideLink.target} rel={outsideLink.rel} {...props} />;
}
