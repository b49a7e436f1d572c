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
