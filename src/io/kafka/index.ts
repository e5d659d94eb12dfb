export { KafkaWorker, offsetMetaName, type KafkaWorkerStats, type KafkaWorkerHooks } from './KafkaWorker.ts';
export { KafkaOutput, KafkaAlertSink, decisionMessage } from './KafkaOutput.ts';
export { deadLetterMessage, deadLetterReason, type DeadLetterReason } from './deadLetter.ts';
export { kafkaOptionsSchema, parseKafkaOptions, parseBrokerList, kafkaClientConfig, type KafkaOptions, type KafkaOptionsInput, type KafkaTopics } from './kafkaOptions.ts';
export { startKafkaWorker, KAFKA_GROUP_COMMIT_MS, type KafkaServer } from './startKafkaWorker.ts';
export { ControlTopic, controlMessageSchema, type ControlMessage, type ControlResult } from './ControlTopic.ts';
