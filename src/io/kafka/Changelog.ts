/** Placeholder: replaced by the compacted changelog (Kafka Streams model). */
export interface CapturedChanges {
  readonly partitions: Map<number, Map<string, string | null>>;
  readonly offsets: Map<string, number>;
}

export interface Changelog {
  touch(partition: number, key: string): void;
  capture(): CapturedChanges;
  publish(changes: CapturedChanges): Promise<void>;
  restore(topic: string, partition: number): Promise<{ keys: number; offset: number | undefined }>;
  drop(topic: string, partition: number): Promise<void>;
  close(): Promise<void>;
}
