import type * as z from 'zod';
import type { CurrentFollowUpEmail } from '../../core/meetings/follow-up-email';
import type { FollowUpEmailViewSchema } from '../routes/meetings-routes';

/** A follow-up draft as the API shows it: always `status: draft`. */
export function followUpEmailView(email: CurrentFollowUpEmail): z.input<typeof FollowUpEmailViewSchema> {
  return {
    status: 'draft',
    subject: email.subject,
    body: email.body,
    disclaimer: email.disclaimer,
    flags: email.flags,
    extractor: email.writer,
    version: email.version,
    ...(email.generatedAt ? { generated_at: email.generatedAt } : {}),
    ...(email.instructions ? { instructions: email.instructions } : {}),
  };
}
