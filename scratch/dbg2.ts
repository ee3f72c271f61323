import { produceRequestEncoders } from '../src/connectors/kafka/kafkajs-fast-path.ts';
const { kafkajs, fast } = produceRequestEncoders();
const args: any = { acks: -1, timeout: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'ü'.repeat(150) }] }] }] };
Date.now = () => 5;
const a = (await kafkajs(args).encode()).buffer; const b = (await fast(args).encode()).buffer;
console.log(a.length, b.length, Buffer.compare(a, b));
