/**
 * Routes kafkajs' own log lines into the pino root (kafkajs docs, "Custom logging": a logCreator
 * returns a function receiving `{ namespace, level, label, log }`), so the process writes one JSON
 * stream. kafkajs levels: NOTHING 0, ERROR 1, WARN 2, INFO 4, DEBUG 5.
 */
import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...extra } = log;
      const child = { kafkajs: namespace, ...extra };
      if (level === logLevel.ERROR) logger.error(child, message);
      else if (level === logLevel.WARN) logger.warn(child, message);
      else if (level === logLevel.INFO) logger.info(child, message);
      else logger.debug(child, message);
    };
}

/** The kafkajs level matching a pino level, so kafkajs does not build lines pino would drop. */
export function kafkajsLevel(pinoLevel: string): logLevel {
  switch (pinoLevel) {
    case 'silent':
      return logLevel.NOTHING;
    case 'fatal':
    case 'error':
      return logLevel.ERROR;
    case 'warn':
      return logLevel.WARN;
    case 'info':
      return logLevel.INFO;
    default:
      return logLevel.DEBUG;
  }
}
