/**
 * Reads a form-encoded body (or query string) the way the stripe SDK writes it: nested
 * objects as `a[b][c]=v`, arrays as `a[0]=v`. Arrays come back as objects keyed "0", "1"…;
 * `listOf` turns them into arrays where the fake needs one.
 */
export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export function parseForm(text: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = keyPath(rawKey);
    let node = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === 'object') {
        node = next;
      } else {
        const created: FormObject = {};
        node[part] = created;
        node = created;
      }
    });
  }
  return root;
}

function keyPath(key: string): string[] {
  const head = /^[^[]+/.exec(key)?.[0] ?? key;
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
  return [head, ...rest];
}

export function stringOf(form: FormObject, key: string): string | undefined {
  const value = form[key];
  return typeof value === 'string' ? value : undefined;
}

export function objectOf(form: FormObject, key: string): FormObject {
  const value = form[key];
  return typeof value === 'object' ? value : {};
}

export function listOf(form: FormObject, key: string): string[] {
  return Object.values(objectOf(form, key)).filter((v): v is string => typeof v === 'string');
}

/** Metadata as Stripe stores it: string values only. */
export function metadataOf(form: FormObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(objectOf(form, 'metadata'))) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
