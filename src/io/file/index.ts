export { JsonlSink, StreamSink, TeeSink } from './JsonlSink.ts';
