const currencyNames = new Intl.DisplayNames(undefined, { type: 'currency' });

/** Common freelance currencies first, then every other currency this runtime knows. */
export function currencyOptions(): { value: string; label: string }[] {
  const common = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'INR', 'PKR', 'JPY', 'CHF'];
  const all = Intl.supportedValuesOf('currency');
  const ordered = [
    ...common.filter((code) => all.includes(code)),
    ...all.filter((c) => !common.includes(c)),
  ];
  return ordered.map((code) => ({
    value: code,
    label: `${code} — ${currencyNames.of(code) ?? code}`,
  }));
}
