import * as z from 'zod';

/** The meeting platforms whose recordings and transcripts arrive by webhook (issue 6). */
export const PLATFORMS = ['zoom', 'teams', 'meet'] as const;
export const PlatformSchema = z.enum(PLATFORMS).meta({ id: 'MeetingPlatform' });
export type Platform = z.infer<typeof PlatformSchema>;
