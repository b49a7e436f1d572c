/** A thin fetch wrapper for tests: real HTTP, answers read whole. */
export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  contentType: string | null;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  raw?: string;
}

export async function request<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.raw !== undefined) {
    body = options.raw;
  }
  const response = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  return {
    status: response.status,
    headers: response.headers,
    contentType,
    body: (text && contentType?.includes('json') ? JSON.parse(text) : text) as T,
  };
}

export function client(baseUrl: string) {
  return {
    get: <T = unknown>(path: string, options?: RequestOptions) =>
      request<T>(baseUrl, 'GET', path, options),
    post: <T = unknown>(path: string, options?: RequestOptions) =>
      request<T>(baseUrl, 'POST', path, options),
    patch: <T = unknown>(path: string, options?: RequestOptions) =>
      request<T>(baseUrl, 'PATCH', path, options),
    delete: <T = unknown>(path: string, options?: RequestOptions) =>
      request<T>(baseUrl, 'DELETE', path, options),
  };
}
