import { DynamoFirmSettingsStore } from '../adapters/store/firm-settings-store';
import type { Clock } from '../contracts/clock';
import type { FirmSettingsStore } from '../core/firm/firm-settings';
import { base } from './base';

/** The firm settings function's deps: the settings store and the clock. */
export function firmRuntime(): { firmSettings: FirmSettingsStore; clock: Clock } {
  const { store, clock } = base();
  return { firmSettings: new DynamoFirmSettingsStore(store), clock };
}
