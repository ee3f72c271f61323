/**
 * banyan.yaml's `kafka` section as a kafkajs client config. Certificates are read from the files
 * named in `ssl` here, at start, so they never sit in the YAML or in a log line.
 */
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaSettings } from './gateway-schema.ts';

export function kafkaClientConfig(settings: KafkaSettings, brokers: readonly string[]): KafkaConfig {
  const config: KafkaConfig = { clientId: settings.client_id, brokers: [...brokers] };
  const ssl = settings.ssl;
  if (ssl === true) config.ssl = true;
  else if (typeof ssl === 'object') {
    config.ssl = {
      rejectUnauthorized: ssl.reject_unauthorized,
      ca: ssl.ca_file ? [readFileSync(ssl.ca_file, 'utf8')] : undefined,
      cert: ssl.cert_file ? readFileSync(ssl.cert_file, 'utf8') : undefined,
      key: ssl.key_file ? readFileSync(ssl.key_file, 'utf8') : undefined,
      passphrase: ssl.key_password,
    };
  }
  if (settings.sasl) config.sasl = saslOptions(settings.sasl);
  return config;
}

function saslOptions(sasl: NonNullable<KafkaSettings['sasl']>): SASLOptions {
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}
