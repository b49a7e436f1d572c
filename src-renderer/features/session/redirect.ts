/** Only same-app paths: a `redirect` search parameter must never send someone off-site. */
export function safeRedirect(redirect: string | undefined): string {
  if (!redirect || !redirect.startsWith('/') || redirect.startsWith('//')) return '/';
  if (redirect.startsWith('/sign-in') || redirect.startsWith('/sign-up')) return '/';
  return redirect;
}
