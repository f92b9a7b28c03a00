import * as z from 'zod';
import { redtailIntegration } from './redtail/redtail-integration';
import { salesforceIntegration } from './salesforce/salesforce-integration';
import { wealthboxIntegration } from './wealthbox/wealthbox-integration';

/** Every CRM an advisor can connect, by the name the API and the stored connections use. One line per CRM. */
export const CRM_REGISTRY = {
  wealthbox: wealthboxIntegration,
  redtail: redtailIntegration,
  salesforce: salesforceIntegration,
} as const;

export type CrmName = keyof typeof CRM_REGISTRY;
export const CRM_NAMES = Object.keys(CRM_REGISTRY) as [CrmName, ...CrmName[]];
/** A CRM name as the API accepts it (path parameters, views). */
export const CrmNameSchema = z.enum(CRM_NAMES);
