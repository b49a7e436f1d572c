import { addRxPlugin, type RxStorage } from 'rxdb';
import { RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';

/**
 * RxDB's dev-mode (schema and query checks, readable errors). Loaded only by a development
 * build that asks for it (`VITE_RXDB_DEV_MODE=true`), never by a production build: it is
 * slow, large, and in a browser it injects an iframe. Dev-mode refuses to run without a
 * validating storage, so the storage is wrapped with ajv here.
 */
export function enableRxdbDevMode(
  storage: RxStorage<unknown, unknown>,
): RxStorage<unknown, unknown> {
  addRxPlugin(RxDBDevModePlugin);
  return wrappedValidateAjvStorage<unknown, unknown>({ storage });
}
