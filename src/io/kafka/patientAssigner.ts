import { PartitionAssigners, type PartitionAssigner } from 'kafkajs';

/**
 * kafkajs' round-robin assigner (same protocol name, so it mixes with plain kafkajs members), whose
 * leader waits `delayMs` before sending the group's assignment when the group has other members.
 *
 * Why: librdkafka's mock cluster (the test broker) completes a SyncGroup round as soon as the
 * leader's assignment covers every member, and answers a follower's SyncGroup that arrives after
 * that with INVALID_REQUEST (a real broker holds the leader's response until every member synced).
 * A follower in a process that is busy or freshly started regularly loses that race by a few
 * milliseconds, and kafkajs treats INVALID_REQUEST as fatal. Letting the followers sync first costs
 * one `delayMs` per rebalance on a real cluster.
 */
export function patientRoundRobin(delayMs: number): PartitionAssigner {
  return (config) => {
    const base = PartitionAssigners.roundRobin(config);
    return {
      name: base.name,
      version: base.version,
      protocol: (subscription) => base.protocol(subscription),
      async assign(group) {
        if (delayMs > 0 && group.members.length > 1) await new Promise((resolve) => setTimeout(resolve, delayMs));
        return base.assign.call(base, group);
      },
    };
  };
}
