/**
 * kafkajs has no manual partition assignment, so a one-off read (a checkpoint topic to its end,
 * `banyan consume` without --group) joins a consumer group of its own, never commits, and deletes
 * the group afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { Admin } from 'kafkajs';

export function throwawayGroupId(purpose: string): string {
  return `banyan-${purpose}-${randomBytes(6).toString('hex')}`;
}

/** Best effort: a group that never joined does not exist, and one left behind expires (offsets.retention.minutes). */
export async function deleteThrowawayGroup(admin: Admin, groupId: string): Promise<void> {
  try {
    await admin.deleteGroups([groupId]);
  } catch {
    // see above
  }
}
