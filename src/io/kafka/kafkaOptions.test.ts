import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.ts';
import { parseKafkaOptions } from './kafkaOptions.ts';
import { restoredPartition } from './Changelog.ts';

describe('kafka options', () => {
  it('turns the changelog on by default, and the leader waits before syncing', () => {
    const o = parseKafkaOptions({ brokers: ['k:9092'] });
    expect(o.topics.changelog).toBe('argus.changelog');
    expect(o.leaderSyncDelayMs).toBe(300);
    expect(parseKafkaOptions({ brokers: ['k:9092'], topics: { changelog: false } }).topics.changelog).toBe(false);
  });

  it('refuses a changelog with several event topics, naming the field', () => {
    let err: unknown;
    try {
      parseKafkaOptions({ brokers: ['k:9092'], topics: { events: ['a', 'b'] } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]!.path).toEqual(['topics', 'changelog']);
    expect(parseKafkaOptions({ brokers: ['k:9092'], topics: { events: ['a', 'b'], changelog: false } }).topics.events).toEqual(['a', 'b']);
  });
});

describe('changelog restore point', () => {
  const rec = (offset: number, value: string | null = 's') => ({ value, offset });

  it('resumes at the last marker when every key\'s record is at or below it', () => {
    const r = restoredPartition(new Map([['a', rec(10)], ['b', rec(25)]]), 25);
    expect(r.resume).toBe(25);
    expect(r.skip.size).toBe(0);
  });

  it('skips, per key, the events a record ahead of the marker already holds', () => {
    // b's record came from a checkpoint whose marker is not the last one (the previous owner published once more).
    const r = restoredPartition(new Map([['a', rec(25)], ['b', rec(40)]]), 25);
    expect(r.resume).toBe(25);
    expect([...r.skip]).toEqual([['b', 40]]);
  });

  it('resumes at the marker even when a key\'s record is older (no event since), from the start without a marker', () => {
    const r = restoredPartition(new Map([['a', rec(30)], ['b', rec(12, null)]]), 30);
    expect(r.resume).toBe(30);
    expect(r.skip.size).toBe(0);
    expect(restoredPartition(new Map([['a', rec(7)]]), undefined)).toMatchObject({ resume: 0, skip: new Map([['a', 7]]) });
  });
});
