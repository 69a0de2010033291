import type { ConferenceAggregate } from './conference-aggregate.ts';
import { interruptLiveRecording, liveRecording } from './conference-aggregate.ts';
import { ConflictError } from './errors.ts';
import type { DomainEvent } from './events.ts';
import { formatSize } from './recordings-bot.ts';

/**
 * Two thresholds on the free space of the recordings folder: below the start floor no recording
 * starts; below the (lower) stop floor live recordings are stopped while their files can still be
 * closed properly, rather than cut off by a full disk.
 */
export interface DiskFloors {
  startFloorBytes: number;
  stopFloorBytes: number;
}

const MB = 1024 * 1024;

/** A start refused for lack of room, told so that both the conference admin and the appliance's admin know what to do. */
export function assertRoomToStartRecording(freeBytes: number, floors: DiskFloors): void {
  if (freeBytes >= floors.startFloorBytes) return;
  throw new ConflictError(
    `recording cannot start: the appliance has ${Math.floor(freeBytes / MB)} MB of free disk space left for recordings, ` +
      `below the ${Math.floor(floors.startFloorBytes / MB)} MB its administrator requires (RECORDINGS_MIN_FREE_MB); ` +
      'the administrator has to free space, e.g. by shortening the retention of old recordings',
  );
}

export function diskTooFullToRecord(freeBytes: number, floors: DiskFloors): boolean {
  return freeBytes < floors.stopFloorBytes;
}

/**
 * Stops the conference's live recording because the disk is filling up: nobody chose it, whatever
 * was recorded is kept and processed, and the questions about this recording lapse.
 */
export function stopForFullDisk(aggregate: ConferenceAggregate, freeBytes: number, now: Date): DomainEvent[] {
  const recording = liveRecording(aggregate);
  if (!recording) return [];
  return interruptLiveRecording(aggregate, recording.id, { reason: 'disk-full', problem: `На сервере записи закончилось место (осталось ${formatSize(freeBytes)}).` }, now);
}
